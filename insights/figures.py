"""A figure as the insight pages show it (issue 16): a rate with its numerator and denominator, never a bare
percentage. An empty denominator is "no data" — never 0 % and never an error. Pure: no database."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class Rate:
    numerator: int
    denominator: int

    @property
    def has_data(self):
        return self.denominator > 0

    @property
    def value(self):
        """The ratio to 4 decimal places (the API's precision), or None without data."""
        if not self.denominator:
            return None
        return (Decimal(self.numerator) / Decimal(self.denominator)).quantize(PLACES, rounding=ROUND_HALF_UP)

    @property
    def percent(self):
        """The percentage to one decimal place (the pages' precision), or None without data."""
        value = self.value
        return None if value is None else (value * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    def as_dict(self):
        return {"numerator": self.numerator, "denominator": self.denominator, "value": self.value}


def rate(numerator, denominator):
    return Rate(int(numerator), int(denominator))
