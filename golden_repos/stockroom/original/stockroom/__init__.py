"""The warehouse stock ledger: lots, holds for orders, shipments (see stockroom.ledger)."""

from .ledger import (
    BadQuantity,
    InsufficientStock,
    StockError,
    Stockroom,
    UnknownOrder,
    UnknownSku,
    normalise_sku,
    parse_quantity,
)

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
