"""How a package is built, read statically with libcst: functions, public API, duplication.

Nothing here imports or runs the code it reads; the complexity check puts these together
with radon's measures into the stewardship evidence.
"""
