"""What the stock room raises."""


class StockError(Exception):
    """Something the stock room refuses to do."""


class UnknownSku(StockError, KeyError):
    """A SKU that was never received (str() quotes it, as KeyError does)."""


class UnknownOrder(StockError, LookupError):
    """An order with no hold to release or ship."""


class BadQuantity(StockError, ValueError):
    """A quantity that is not a positive whole number."""


class InsufficientStock(StockError):
    """Not enough free units of a SKU for an order."""

    def __init__(self, sku, wanted, available):
        super().__init__("%s: wanted %d, only %d available" % (sku, wanted, available))
        self.sku = sku
        self.wanted = wanted
        self.available = available
