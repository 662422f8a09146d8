"""Endpoint names: the path without its query string, ids grouped."""

HEX_DIGITS = "0123456789abcdef"
MIN_HASH_LENGTH = 8


def normalize_path(path, group_ids=True):
    """Drop the query string; with group_ids, numbers become :id and long hex ids :hash."""
    path = path.split("?", 1)[0]
    if not group_ids:
        return path
    path = "/".join(_group(segment) for segment in path.split("/"))
    if len(path) > 1 and path.endswith("/"):
        path = path[:-1]
    return path


def _group(segment):
    if segment.isdigit():
        return ":id"
    if len(segment) >= MIN_HASH_LENGTH and all(c in HEX_DIGITS for c in segment.lower()):
        return ":hash"
    return segment
