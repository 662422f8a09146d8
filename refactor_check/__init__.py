"""refactor-check: grade "refactor this module without changing its behaviour" exercises."""

__version__ = "0.1.0"
