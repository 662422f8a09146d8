"""The plain-text board the on-call dashboard scrapes: one row per client."""

import math
from dataclasses import dataclass

from .bucket import is_banned
from .errors import ThrottleError

NAME_WIDTH = 16
_TRUNCATED = "~"
_HEADER = "%-16s %-10s %7s %7s %6s %7s" % ("client", "plan", "allowed", "denied", "deny%", "tokens")
_BAN_HEADER = " %6s" % "ban"
_ROW = "%-16s %-10s %7d %7d %5.1f%% %7.2f"
_BAN_CELL = " %6s"


@dataclass
class _Row:
    cid: str
    plan: str
    allowed: int
    denied: int
    deny_pct: float
    tokens: float
    ban: str

    def render(self, show_bans):
        name = self.cid if len(self.cid) <= NAME_WIDTH else self.cid[: NAME_WIDTH - 1] + _TRUNCATED
        text = _ROW % (name, self.plan, self.allowed, self.denied, self.deny_pct, self.tokens)
        if show_bans:
            text += _BAN_CELL % self.ban
        return text.rstrip()


# tried in order with ==, so an odd sort_by still gets the ThrottleError
_ORDERS = (
    ("denied", lambda row: (-row.denied, row.cid)),
    ("allowed", lambda row: (-row.allowed, row.cid)),
    ("client", lambda row: row.cid),
)


def _row(cid, record, now, show_bans):
    total = record["allowed"] + record["denied"]
    deny_pct = record["denied"] * 100.0 / total if total > 0 else 0.0
    ban = "%ds" % math.ceil(record["banned_until"] - now) if show_bans and is_banned(record, now) else ""
    return _Row(cid, record["plan"], record["allowed"], record["denied"], deny_pct, record["tokens"], ban)


def render_board(clients, now, allowed_total, denied_total, sort_by, limit, show_bans):
    rows = [_row(cid, record, now, show_bans) for cid, record in clients.items()]
    order = next((key for name, key in _ORDERS if sort_by == name), None)
    if order is None:
        raise ThrottleError("cannot sort the board by %r" % sort_by)
    rows.sort(key=order)
    if limit is not None:
        rows = rows[:limit]
    header = _HEADER + _BAN_HEADER if show_bans else _HEADER
    rule = "-" * len(header)
    lines = [header, rule, *(row.render(show_bans) for row in rows), rule]
    lines.append("total allowed %d, denied %d, clients %d" % (allowed_total, denied_total, len(clients)))
    return "\n".join(lines)
