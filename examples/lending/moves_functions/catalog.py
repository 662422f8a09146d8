"""What the library owns: its items, how many copies of each, and who is queued for them."""

# Loan period in days for each kind of item. 0 means it never leaves the building.
KINDS = {"book": 21, "dvd": 7, "magazine": 7, "reference": 0}


class Item:
    def __init__(self, code, title, kind="book", copies=1):
        code = str(code).strip().upper()
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
        n = self.copies - self.out
        if n < 0:
            n = 0
        return n

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


class Catalog:
    def __init__(self, items=None):
        self.items = {}
        if items:
            for item in items:
                self.add(item)

    def add(self, item):
        if not isinstance(item, Item):
            raise TypeError("only items can be catalogued")
        if item.code in self.items:
            old = self.items[item.code]
            if old.title.lower() != item.title.lower() or old.kind != item.kind:
                raise ValueError("code %s is already used for %r" % (item.code, old.title))
            # a second delivery of the same title: more copies of the item we have
            old.copies = old.copies + item.copies
            return old
        self.items[item.code] = item
        return item

    def find(self, code):
        key = str(code).strip().upper()
        if key not in self.items:
            raise KeyError("no item " + key)
        return self.items[key]

    def search(self, text, kind=None, available_only=False):
        words = text.lower().split()
        found = []
        for item in self.items.values():
            title = item.title.lower()
            ok = True
            for w in words:
                if w not in title:
                    ok = False
                    break
            if not ok:
                continue
            if kind is not None:
                if item.kind != kind:
                    continue
            if available_only:
                if item.available() == 0:
                    continue
            found.append(item)
        found.sort(key=lambda i: (i.title.lower(), i.code))
        return found

    def withdraw(self, code, copies=1):
        item = self.find(code)
        if copies < 1:
            raise ValueError("withdraw at least one copy")
        if copies > item.copies - item.out:
            raise ValueError(
                "only %d copies of %s are on the shelf" % (item.copies - item.out, item.code)
            )
        item.copies = item.copies - copies
        if item.copies == 0:
            del self.items[item.code]
        return item.copies
