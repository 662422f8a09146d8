"""The exceptions callers catch; every one is a StockError."""


class StockError(Exception):
    """Something the stock room refuses to do."""


class UnknownSku(StockError, KeyError):
    """A SKU never received. Being a KeyError, str() shows the SKU quoted."""


class UnknownOrder(StockError, LookupError):
    """No hold to release or ship for this order."""


class BadQuantity(StockError, ValueError):
    """Not a positive whole number of units."""


class InsufficientStock(StockError):
    """An order line wants more free units than there are."""

    def __init__(self, sku, wanted, available):
        super().__init__("%s: wanted %d, only %d available" % (sku, wanted, available))
        self.sku, self.wanted, self.available = sku, wanted, available
