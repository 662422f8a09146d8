"""A small branch library the golden tests lend from: five items and four members."""

from datetime import date

from catalog import Catalog, Item
from desk import Desk
from members import Register

MONDAY = date(2024, 3, 4)


def stocked_desk():
    catalog = Catalog(
        [
            Item("B1", "The Pragmatic Programmer", copies=2),
            Item("B2", "Refactoring"),
            Item("D1", "Hidden Figures", kind="dvd"),
            Item("M1", "Python Monthly 42", kind="magazine"),
            Item("R1", "Oxford English Dictionary", kind="reference"),
        ]
    )
    register = Register()
    register.join("ann", "Ann Archer")
    register.join("bo", "Bo Brand", "student")
    register.join("cy", "Cy Cole", "staff")
    register.join("di", "Di Dunn", "guest")
    return Desk(catalog, register)
