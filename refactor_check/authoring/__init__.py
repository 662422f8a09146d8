"""Exercise authoring: scaffold a golden repo, check it is fit to hand out, export a starter.

- ``scaffold``: ``refactor-check exercise new``, a golden repo in the contract's layout with
  every optional setting commented, built from the defaults in code.
- ``validate``: ``refactor-check exercise validate``, every check an exercise must pass
  before candidates see it, each timed (``runs``: the golden suite's repeated and reversed
  runs; ``adequacy``: mutation testing; ``model``: the data they share); ``summary``
  renders the result as text or JSON.
- ``starter``: ``refactor-check exercise starter``, the repository a candidate is given.

Like every other stage, nothing here imports an exercise's code: the original and its tests
run only through ``runner.py`` (``suite.run_suite`` and the mutation stage).
"""
