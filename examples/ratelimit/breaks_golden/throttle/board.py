"""The plain-text board the on-call dashboard scrapes."""

import math

from .errors import ThrottleError

NAME_WIDTH = 16
_SORT_KEYS = {
    "denied": lambda row: (-row.denied, row.client),
    "allowed": lambda row: (-row.allowed, row.client),
    "client": lambda row: row.client,
}


class Row:
    def __init__(self, client, record, now, show_bans):
        self.client = client
        self.plan = record["plan"]
        self.allowed = record["allowed"]
        self.denied = record["denied"]
        total = self.allowed + self.denied
        self.deny_pct = self.denied * 100.0 / total if total > 0 else 0.0
        self.tokens = record["tokens"]
        self.ban = ""
        banned_until = record["banned_until"]
        if show_bans and banned_until is not None and banned_until > now:
            self.ban = "%ds" % math.ceil(banned_until - now)

    def render(self, show_bans):
        name = self.client
        if len(name) > NAME_WIDTH:
            name = name[: NAME_WIDTH - 1] + "~"
        line = "%-16s %-10s %7d %7d %5.1f%% %7.2f" % (
            name, self.plan, self.allowed, self.denied, self.deny_pct, self.tokens
        )
        if show_bans:
            line += " %6s" % self.ban
        return line.rstrip()


def render_board(clients, now, allowed_total, denied_total, sort_by, limit, show_bans):
    # A tuple, not the dict: anything may be passed in, even something unhashable.
    if sort_by not in ("denied", "allowed", "client"):
        raise ThrottleError("cannot sort the board by %r" % (sort_by,))
    rows = [Row(client, record, now, show_bans) for client, record in clients.items()]
    rows.sort(key=_SORT_KEYS[sort_by])
    if limit is not None:
        rows = rows[:limit]
    header = "%-16s %-10s %7s %7s %6s %7s" % ("client", "plan", "allowed", "denied", "deny%", "tokens")
    if show_bans:
        header += " %6s" % "ban"
    rule = "-" * len(header)
    footer = "total allowed %d, denied %d, clients %d" % (allowed_total, denied_total, len(clients))
    return "\n".join([header, rule, *(row.render(show_bans) for row in rows), rule, footer])
