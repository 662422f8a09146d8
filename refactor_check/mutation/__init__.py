"""Mutation testing with mutmut: profiles, the mutmut driver, and what mutmut leaves out."""
