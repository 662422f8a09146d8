"""The warehouse stock ledger: lots in, holds for orders, shipments out."""

from .codes import normalise_sku, parse_quantity
from .errors import BadQuantity, InsufficientStock, StockError, UnknownOrder, UnknownSku
from .ledger import Stockroom

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
