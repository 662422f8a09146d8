"""Endpoint names: paths without query strings, ids grouped."""

_HEX_DIGITS = frozenset("0123456789abcdef")
_SHORTEST_HASH = 8


def _label(segment):
    if segment.isdigit():
        return ":id"
    if len(segment) >= _SHORTEST_HASH and _HEX_DIGITS.issuperset(segment.lower()):
        return ":hash"
    return segment


def normalize_path(path, group_ids=True):
    """Drop the query string; with group_ids, numbers become :id and long hex ids :hash."""
    query = path.find("?")
    if query >= 0:
        path = path[:query]
    if not group_ids:
        return path
    grouped = "/".join(map(_label, path.split("/")))
    # one trailing slash goes, but the root stays "/"
    return grouped[:-1] if len(grouped) > 1 and grouped.endswith("/") else grouped
