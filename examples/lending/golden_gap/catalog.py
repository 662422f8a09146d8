"""What the library owns: its items, how many copies of each, and who is queued for them."""

# The loan period of an item that never leaves the building.
REFERENCE_ONLY = 0
# Loan period in days for each kind of item.
KINDS = {"book": 21, "dvd": 7, "magazine": 7, "reference": REFERENCE_ONLY}


def _clean_code(code):
    """Item codes are compared upper case, without surrounding spaces."""
    return str(code).strip().upper()


class Item:
    def __init__(self, code, title, kind="book", copies=1):
        code = _clean_code(code)
        if code == "" or " " in code:
            raise ValueError("bad item code: %r" % code)
        if kind not in KINDS:
            raise ValueError("unknown kind: %s" % kind)
        if type(copies) is not int or copies < 1:
            raise ValueError("copies must be a positive whole number")
        self.code = code
        self.title = title.strip()
        self.kind = kind
        self.copies = copies
        self.out = 0
        # member ids, first come first served (the desk reads and pops this list)
        self.holds = []

    def available(self):
        # never negative, even when more are out than the catalogue owns
        return max(self.copies - self.out, 0)

    def loan_days(self):
        return KINDS[self.kind]

    def __repr__(self):
        return "Item(%r, %r, %s, %d/%d)" % (
            self.code,
            self.title,
            self.kind,
            self.available(),
            self.copies,
        )


def _matches(item, words, kind, available_only):
    """Whether an item is one a search asks for: every word in its title (ignoring case), of
    the kind asked for, and with a copy on the shelf when only those are wanted."""
    title = item.title.lower()
    if not all(word in title for word in words):
        return False
    if kind is not None and item.kind != kind:
        return False
    return not available_only or item.available() != 0


def _by_title(item):
    return (item.title.lower(), item.code)


class Catalog:
    def __init__(self, items=None):
        self.items = {}
        for item in items or ():
            self.add(item)

    def add(self, item):
        """Catalogue an item; a second delivery of a title we have adds copies to the item
        already catalogued, which is returned instead of the one handed in."""
        if not isinstance(item, Item):
            raise TypeError("only items can be catalogued")
        if item.code not in self.items:
            self.items[item.code] = item
            return item
        old = self.items[item.code]
        if old.title.lower() != item.title.lower() or old.kind != item.kind:
            raise ValueError("code %s is already used for %r" % (item.code, old.title))
        old.copies = old.copies + item.copies
        return old

    def find(self, code):
        key = _clean_code(code)
        if key not in self.items:
            raise KeyError("no item " + key)
        return self.items[key]

    def search(self, text, kind=None, available_only=False):
        words = text.lower().split()
        found = [
            item for item in self.items.values() if _matches(item, words, kind, available_only)
        ]
        return sorted(found, key=_by_title)

    def withdraw(self, code, copies=1):
        """Take copies out of stock; the last copy takes the item out of the catalogue.
        Returns the copies left."""
        item = self.find(code)
        if copies < 1:
            raise ValueError("withdraw at least one copy")
        # not available(): a shelf that went negative is reported as it is
        on_shelf = item.copies - item.out
        if copies > on_shelf:
            raise ValueError("only %d copies of %s are on the shelf" % (on_shelf, item.code))
        item.copies = item.copies - copies
        if item.copies == 0:
            del self.items[item.code]
        return item.copies
