"""EDTF level-0 partial dates: ``2017``, ``2017-05``, ``2022-02-05`` and intervals of those.

Written by hand rather than with the ``edtf`` package: level 0 is a small grammar, and the
package costs milliseconds per parse, which would dominate loading a large dataset.
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from enum import IntEnum
from functools import lru_cache
from typing import Any

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

# ASCII digits only (``\d`` would take Arabic-Indic digits), and fullmatch rather than ``$``
# (which lets a trailing newline through).
_SINGLE = r"[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?"
_SINGLE_RE = re.compile(f"({_SINGLE})")
_INTERVAL_RE = re.compile(f"({_SINGLE})/({_SINGLE})")

#: The years a date may fall in. Every exporter can write these: Excel's date serials are wrong
#: before 1900-03-01 (its 1900 leap-year bug), pandas' nanosecond timestamps end in 2262, and a
#: calendar writes the day after an event's last day; 1901-2199 keeps well inside all three.
MIN_YEAR, MAX_YEAR = 1901, 2199

# The JSON Schema pattern says what _parse_single accepts, calendar included, so that an editor
# or check-jsonschema refuses '2017-13', '2017-02-29' and '1800' as the loader does. Written for
# 1901-2199 only (the assertion below keeps it so): there, a year is leap when divisible by 4,
# except 2100. What no pattern can say, that an interval does not end before it starts, is
# checked in code.
assert (MIN_YEAR, MAX_YEAR) == (1901, 2199), "rewrite _YEAR and _LEAP_YEAR for the new range"
_YEAR = r"(?:190[1-9]|19[1-9][0-9]|2[01][0-9]{2})"
_LEAP_YEAR = r"(?:(?:19|21)(?:0[48]|[2468][048]|[13579][26])|20(?:[02468][048]|[13579][26]))"
_MONTH_DAY = (
    r"(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])"
    r"|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)"
    r"|02-(?:0[1-9]|1[0-9]|2[0-8]))"
)
_STRICT_SINGLE = rf"(?:{_YEAR}(?:-(?:0[1-9]|1[0-2])|-{_MONTH_DAY})?|{_LEAP_YEAR}-02-29)"
#: The JSON Schema pattern of a PartialDate string: a year 1901-2199, a real month, a real day of
#: it, or an interval of two of those.
PATTERN = rf"^{_STRICT_SINGLE}(?:/{_STRICT_SINGLE})?$"


class Precision(IntEnum):
    """How much of a date the source states; larger is more precise."""

    YEAR = 1
    MONTH = 2
    DAY = 3

    def __str__(self) -> str:
        return self.name.lower()


class PartialDateError(ValueError):
    """A string that is not a valid EDTF level-0 date; ``kind`` is a stable error code."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


def _parse_single(text: str) -> tuple[date, date, Precision]:
    """Return lower bound, upper bound and precision of one ``YYYY[-MM[-DD]]`` string."""
    year = int(text[0:4])
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise PartialDateError(
            "invalid_date",
            f"{text!r}: year {year:04d} is outside {MIN_YEAR}-{MAX_YEAR}, the years every export can write",
        )
    if len(text) == 4:
        return date(year, 1, 1), date(year, 12, 31), Precision.YEAR
    month = int(text[5:7])
    if not 1 <= month <= 12:
        raise PartialDateError("invalid_date", f"{text!r}: month {month:02d} does not exist")
    last_day = calendar.monthrange(year, month)[1]
    if len(text) == 7:
        return date(year, month, 1), date(year, month, last_day), Precision.MONTH
    day = int(text[8:10])
    if not 1 <= day <= last_day:
        raise PartialDateError(
            "invalid_date",
            f"{text!r}: {calendar.month_name[month]} {year} has no day {day} (it has {last_day})",
        )
    the_day = date(year, month, day)
    return the_day, the_day, Precision.DAY


class PartialDate:
    """A date known to a year, a month or a day, or an interval between two such dates.

    Partial dates compare as ranges: "May 2017" is neither before nor after "2017-05-20".
    Use :meth:`before`, :meth:`after` and :meth:`overlaps` rather than ``<``.
    """

    __slots__ = ("end", "is_interval", "lower", "precision", "start", "text", "upper")

    text: str
    lower: date
    upper: date
    precision: Precision
    is_interval: bool
    start: str
    end: str

    def __new__(cls, text: str) -> PartialDate:
        return _parse(text)

    @classmethod
    def _build(cls, text: str) -> PartialDate:
        if not isinstance(text, str):
            raise PartialDateError("date_type", f"expected an EDTF date string, got {type(text).__name__}")
        self = object.__new__(cls)
        single = _SINGLE_RE.fullmatch(text)
        if single:
            lower, upper, precision = _parse_single(text)
            start = end = text
            is_interval = False
        else:
            interval = _INTERVAL_RE.fullmatch(text)
            if not interval:
                raise PartialDateError(
                    "invalid_date",
                    f"{text!r} is not an EDTF level-0 date: use YYYY, YYYY-MM, YYYY-MM-DD or START/END",
                )
            start, end = interval.group(1), interval.group(2)
            lower, _, p1 = _parse_single(start)
            end_lower, upper, p2 = _parse_single(end)
            if end_lower < lower or upper < lower:
                raise PartialDateError(
                    "end_before_start", f"{text!r}: the interval ends ({end}) before it starts ({start})"
                )
            precision = min(p1, p2)
            is_interval = True
        for name, value in (
            ("text", text),
            ("lower", lower),
            ("upper", upper),
            ("precision", precision),
            ("is_interval", is_interval),
            ("start", start),
            ("end", end),
        ):
            object.__setattr__(self, name, value)
        return self

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("PartialDate is immutable")

    # --- comparison as ranges -------------------------------------------------------------
    def before(self, other: PartialDate) -> bool:
        """True when every day of this date is earlier than every day of ``other``."""
        return self.upper < other.lower

    def after(self, other: PartialDate) -> bool:
        """True when every day of this date is later than every day of ``other``."""
        return self.lower > other.upper

    def overlaps(self, other: PartialDate) -> bool:
        """True when the two dates may share a day (neither is certainly before the other)."""
        return not (self.before(other) or self.after(other))

    @property
    def year(self) -> int:
        return self.lower.year

    @property
    def days(self) -> int:
        """Number of days the date spans, inclusive."""
        return (self.upper - self.lower).days + 1

    # --- value semantics --------------------------------------------------------------------
    def __eq__(self, other: object) -> bool:
        if isinstance(other, PartialDate):
            return self.text == other.text
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.text)

    def __lt__(self, other: PartialDate) -> bool:
        """A total order for sorting only (by lower bound, then upper, then text)."""
        return (self.lower, self.upper, self.text) < (other.lower, other.upper, other.text)

    def __repr__(self) -> str:
        return f"PartialDate({self.text!r})"

    def __str__(self) -> str:
        return self.text

    def __reduce__(self) -> tuple[Any, ...]:
        return (PartialDate, (self.text,))

    # --- pydantic integration ---------------------------------------------------------------
    @classmethod
    def __get_pydantic_core_schema__(cls, source: type[Any], handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            _validate,
            serialization=core_schema.plain_serializer_function_ser_schema(str, when_used="always"),
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {
            "type": "string",
            "pattern": PATTERN,
            # The editors' own keyword (see model/records.py), shown instead of the pattern.
            "patternErrorMessage": f"a date from {MIN_YEAR} to {MAX_YEAR}, quoted: YYYY, YYYY-MM, YYYY-MM-DD "
            "(a real month and day) or START/END",
            "description": f"EDTF level-0 date: YYYY, YYYY-MM, YYYY-MM-DD, or an interval START/END; years "
            f"{MIN_YEAR}-{MAX_YEAR}",
            "examples": ["2017", "2017-05", "2022-02-05", "2024-09-11/2024-09-13"],
        }


@lru_cache(maxsize=65536)
def _parse(text: str) -> PartialDate:
    # Instances are immutable, so equal strings can share one parsed object; a dataset repeats
    # the same few thousand dates many times over.
    return PartialDate._build(text)


def _validate(value: Any) -> PartialDate:
    if isinstance(value, PartialDate):
        return value
    if not isinstance(value, str):
        raise PydanticCustomError(
            "date_type",
            "expected an EDTF date string such as '2017-05' (quote it in YAML), got {type}",
            {"type": type(value).__name__},
        )
    try:
        return _parse(value)
    except PartialDateError as exc:
        raise PydanticCustomError(exc.kind, str(exc)) from None
