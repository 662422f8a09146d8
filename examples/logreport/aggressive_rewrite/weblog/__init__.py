"""Access-log summaries for the ops weekly report.

Layout (rewritten from the single legacy ``report.py``):

* ``vocabulary``  -- the constants of the log format and of the report
* ``errors``      -- ``LogFormatError``
* ``lines``       -- one log line -> a record dict (a table of field readers)
* ``paths``       -- endpoint names
* ``stats``       -- nearest-rank percentile, human-readable sizes
* ``tally``       -- ``summarize``: folds records into the plain totals dict
* ``reports``     -- ``render_report``: a dispatch table of the text and CSV renderers
"""

from .errors import LogFormatError
from .lines import parse_line
from .paths import normalize_path
from .reports import render_report
from .stats import human_bytes, percentile
from .tally import summarize
from .vocabulary import METHODS

__all__ = [
    "METHODS",
    "LogFormatError",
    "human_bytes",
    "normalize_path",
    "parse_line",
    "percentile",
    "render_report",
    "summarize",
]
