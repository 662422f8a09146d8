"""The business rules as data.

``TAX_RATES`` is public and may be extended by callers at run time: pricing always looks
rates up in this very dict.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from .errors import InvoiceError
from .money import ZERO, to_cents

TAX_RATES = {
    "US-CA": Decimal("0.0725"),
    "US-NY": Decimal("0.04"),
    "US-TX": Decimal("0.0625"),
    "US-WA": Decimal("0.065"),
    "US-OR": Decimal("0"),
    "EU-DE": Decimal("0.19"),
    "EU-FR": Decimal("0.20"),
    "UK": Decimal("0.20"),
}

CURRENCIES = {"US": "USD", "EU": "EUR", "UK": "GBP"}
DEFAULT_COUNTRY = "US"
DEFAULT_CURRENCY = "USD"

# (least quantity, discount rate), largest first.  Quantities are ints by the time they
# are priced, so the legacy "more than 20" is written "at least 21".
VOLUME_DISCOUNTS = (
    (100, Decimal("0.10")),
    (50, Decimal("0.05")),
    (21, Decimal("0.02")),
)
NO_DISCOUNT = Decimal("0")


def volume_rate(qty):
    return next((rate for least, rate in VOLUME_DISCOUNTS if qty >= least), NO_DISCOUNT)


# --- customer tiers: tier name -> subtotal -> tier discount --------------------------

GOLD_RATE = Decimal("0.05")
GOLD_FROM = 500  # strictly above
PLATINUM_RATE = Decimal("0.08")
PLATINUM_CAP = Decimal("200.00")
DEFAULT_TIER = "standard"


def _standard(subtotal):
    return ZERO


def _gold(subtotal):
    return to_cents(subtotal * GOLD_RATE) if subtotal > GOLD_FROM else ZERO


def _platinum(subtotal):
    # min() keeps the computed amount unless the cap is strictly smaller
    return min(to_cents(subtotal * PLATINUM_RATE), PLATINUM_CAP)


TIER_DISCOUNTS = {"standard": _standard, "gold": _gold, "platinum": _platinum}


# --- coupons -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Coupon:
    value: Decimal
    minimum: Decimal | None = None
    last_day: datetime.date | None = None
    excluded_tiers: tuple = ()

    def check(self, code, tier, on, after_tier):
        """Raise InvoiceError when the coupon cannot be used; checks run in this order."""
        if self.last_day is not None:
            if on is None:
                raise InvoiceError("coupon %s requires an invoice date" % code)
            when = datetime.date.fromisoformat(on) if isinstance(on, str) else on
            if when > self.last_day:
                raise InvoiceError("coupon %s expired on %s" % (code, self.last_day))
        if tier in self.excluded_tiers:
            raise InvoiceError("coupon %s cannot be combined with %s pricing" % (code, tier))
        if self.minimum is not None and after_tier < self.minimum:
            raise InvoiceError("coupon %s requires a subtotal of at least %s" % (code, self.minimum))


class PercentCoupon(_Coupon):
    """A percentage off; it also reduces the tax base by the same percentage."""

    def apply(self, code, after_tier, taxable):
        discount = to_cents(after_tier * self.value / 100)
        return discount, taxable - to_cents(taxable * self.value / 100)


class FixedCoupon(_Coupon):
    """An amount off, capped at what is left; the tax base stays (finance rule, 2019)."""

    def apply(self, code, after_tier, taxable):
        if self.value > after_tier:
            print("WARNING: coupon %s exceeds invoice amount, capped at %s" % (code, after_tier))
            return after_tier, taxable
        return self.value, taxable


COUPONS = {
    "SAVE10": PercentCoupon(Decimal("10")),
    "WELCOME5": FixedCoupon(Decimal("5.00")),
    "BULK15": PercentCoupon(
        Decimal("15"),
        minimum=Decimal("1000.00"),
        last_day=datetime.date(2025, 12, 31),
        excluded_tiers=("platinum",),
    ),
    "SPRING20": FixedCoupon(Decimal("20.00"), minimum=Decimal("100.00"), last_day=datetime.date(2024, 6, 30)),
}


def currency_for(region):
    country = (region or DEFAULT_COUNTRY).split("-")[0].upper()
    return CURRENCIES.get(country, DEFAULT_CURRENCY)
