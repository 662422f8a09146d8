"""The warehouse stock ledger: lots, holds for orders, shipments (see stockroom.ledger)."""

from .errors import BadQuantity, InsufficientStock, StockError, UnknownOrder, UnknownSku
from .ledger import Stockroom
from .parsing import normalise_sku, parse_quantity

__all__ = [
    "BadQuantity",
    "InsufficientStock",
    "StockError",
    "Stockroom",
    "UnknownOrder",
    "UnknownSku",
    "normalise_sku",
    "parse_quantity",
]
