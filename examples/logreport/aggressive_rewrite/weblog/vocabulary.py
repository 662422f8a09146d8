"""Constants of the gateway's log format and of the weekly report."""

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD")

# A line: date, time, client address, method, path, status, duration, size.
FIELD_NAMES = ("day", "clock", "ip", "method", "path", "status", "took", "size")

# The old gateway wrote statuses as "HTTP/404".
LEGACY_STATUS_PREFIX = "HTTP/"

# Status classes, highest first; anything below 200 is counted as "other".
STATUS_CLASSES = ((500, "5xx"), (400, "4xx"), (300, "3xx"), (200, "2xx"))
OTHER_STATUS = "other"
SERVER_ERROR = "5xx"

# How much of the log the totals keep verbatim.
KEPT_ERROR_MESSAGES = 5
KEPT_SLOW_REQUESTS = 5

TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S"
