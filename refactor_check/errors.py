"""The two ways a run ends early, mapped to the contract's exit codes by the CLI.

Anything the candidate is to blame for is *not* an exception: it becomes a finding and the run
goes on to a verdict. These exceptions are for problems nobody can grade around.
"""

from __future__ import annotations


class BadInputError(Exception):
    """Bad invocation or bad input the candidate is not to blame for (exit 2).

    The message is shown as one line, so it must say what is wrong and how to fix it.
    """


class ToolFailure(Exception):
    """refactor-check itself could not finish (exit 3); report.json still records it."""
