"""Qualified values as intervals: "more than 1,200" is (1200, inf), "about 20" is [19, 21].

Two observations agree when their intervals can hold the same true value, that is when the
intervals intersect.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

#: Relative tolerance for "about" and "nearly" when the metric sets none.
DEFAULT_TOLERANCE = Decimal("0.05")


@dataclass(frozen=True, slots=True)
class Interval:
    """A set of real numbers between ``low`` and ``high`` (None is unbounded), each end open or closed."""

    low: Decimal | None
    high: Decimal | None
    low_open: bool = False
    high_open: bool = False

    def __post_init__(self) -> None:
        low, high = self.low, self.high
        if low is not None and high is not None and (low > high or (low == high and (self.low_open or self.high_open))):
            raise ValueError(f"empty interval: {self}")

    @property
    def exact(self) -> bool:
        return self.low is not None and self.low == self.high and not (self.low_open or self.high_open)

    def intersects(self, other: Interval) -> bool:
        """True when some number lies in both intervals."""
        return not (self._below(other) or other._below(self))

    def _below(self, other: Interval) -> bool:
        """True when every number of self is smaller than every number of other."""
        if self.high is None or other.low is None:
            return False
        if self.high < other.low:
            return True
        return self.high == other.low and (self.high_open or other.low_open)

    def entirely_below(self, other: Interval) -> bool:
        return self._below(other)

    def __contains__(self, value: Decimal) -> bool:
        if self.low is not None and (value < self.low or (self.low_open and value == self.low)):
            return False
        return not (self.high is not None and (value > self.high or (self.high_open and value == self.high)))

    def __str__(self) -> str:
        low = "-inf" if self.low is None else _fmt(self.low)
        high = "inf" if self.high is None else _fmt(self.high)
        left = "(" if self.low_open or self.low is None else "["
        right = ")" if self.high_open or self.high is None else "]"
        return f"{left}{low}, {high}{right}"


def _fmt(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def interval_of(value: Decimal, qualifier: str, tolerance: Decimal | None = None) -> Interval:
    """The interval of true values that a figure stated with ``qualifier`` admits."""
    t = DEFAULT_TOLERANCE if tolerance is None else tolerance
    zero = Decimal(0)
    if qualifier == "exact":
        return Interval(value, value)
    if qualifier == "more_than":
        return Interval(value, None, low_open=True)
    if qualifier == "at_least":
        return Interval(value, None)
    # "up to 30" of a positive quantity starts at 0; a bound at or below 0 leaves the floor open.
    floor = zero if value > zero else None
    if qualifier == "up_to":
        return Interval(floor, value)
    if qualifier == "less_than":
        return Interval(floor, value, high_open=True)
    spread = abs(value) * t
    if qualifier == "about":
        return Interval(value - spread, value + spread)
    if qualifier == "nearly":
        # "nearly 50" is a little short of 50 (with no tolerance, or of 0, it can only be the value).
        if spread == zero:
            return Interval(value, value)
        return Interval(value - spread, value, high_open=True)
    raise ValueError(f"unknown qualifier {qualifier!r}")


def _add(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    return None if a is None or b is None else a + b


def add(a: Interval, b: Interval) -> Interval:
    """The interval of x + y for x in a and y in b."""
    return Interval(_add(a.low, b.low), _add(a.high, b.high), a.low_open or b.low_open, a.high_open or b.high_open)


def subtract(a: Interval, b: Interval) -> Interval:
    """The interval of x - y for x in a and y in b."""
    negated = Interval(None if b.high is None else -b.high, None if b.low is None else -b.low, b.high_open, b.low_open)
    return add(a, negated)
