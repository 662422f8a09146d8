"""Differential testing: the original and the candidate, side by side, call by call.

The stage in one paragraph: the public surface of the original is read statically
(``surface``, griffe); the golden tests are run once against the original with a recorder on
that surface (``recording``, cached per golden repo); three long-lived workers are started
(``workers``: the original twice, under different hash seeds, and the candidate). Every
recorded call is replayed; then a sweep changes recorded calls one place at a time
(``sweep``, ``neighbours``, ``literals``) and hypothesis generates random programs around the
recorded arguments, the type hints and an optional strategies file (``generation``,
``hints``), with extra budget where mutation testing says the golden tests are blind
(``search``), and copies of both packages instrumented to log their comparisons and branches
steer recorded inputs onto the code's own boundaries, in rounds guided by coverage
(``cmplog``). Inputs that tell the golden suite's surviving mutants apart from the original
(each mutant rebuilt from its diff, ``mutant_source``) are kept per exercise as probes and
replayed first on every candidate (``probes``). Observations cross back as canonical data
(``values``) and are compared in this process (``compare``); differences that no caller can
rely on are excused with a warning: what differs between the original's own two runs, inputs
of types never seen for a parameter (``domain``), failures by accident on both sides, and an
input's problems reported in another order (``precedence``). The first difference per public
name is shrunk to a minimal program (``shrink``) and reported with both behaviours side by
side (``counterexamples``, as ``results.differential`` holds them), each input as runnable
Python (``rendering``); public names and signatures are compared with griffe, checked against
the running code (``api``). ``stage`` runs it all, top-down.

Objects of the tests handed to the package (a clock, a callback) are recorded as test doubles
and rebuilt from data on each side, answering per step as recorded (``doubles``); floats a
rounding error apart are a counted warning, not a difference (``values``).

Nothing here imports the candidate's (or the original's) package: it runs only in the
workers, through ``runner.py``.
"""
