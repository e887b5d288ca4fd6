"""The records of the dataset, one pydantic model per record type.

Every model forbids unknown fields (a misspelt key is an error, not a silently ignored one) and is
frozen (a loaded dataset is evidence; it is not edited in place).
"""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal
from typing import Annotated, Any, ClassVar, Literal, Self, TypeAlias

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)
from pydantic.dataclasses import dataclass
from pydantic.fields import FieldInfo

from ipcoop_data.model.characters import ALLOWED_WHITESPACE, TEXT_PATTERN, VISIBLE
from ipcoop_data.model.countries import ISO_3166_ALPHA2, ST3_REGIONAL
from ipcoop_data.model.dates import PartialDate
from ipcoop_data.model.origin import Origin

# "patternErrorMessage" is not JSON Schema but the editors' own keyword (VS Code, yaml-language-
# server): they show it instead of the pattern, which no curator should have to read. Validators
# that do not know it ignore it, as JSON Schema lets them.
Id = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9][a-z0-9._-]*$", max_length=120),
    Field(
        description="Lower-case identifier: letters, digits, '.', '_' and '-'",
        json_schema_extra={
            "patternErrorMessage": "an id: lower-case letters, digits, '.', '_' and '-', first a letter or digit"
        },
    ),
]
# Stripped, then at least one character: the pattern says the same to an editor.
Text = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1),
    Field(
        json_schema_extra={
            "pattern": TEXT_PATTERN,
            "patternErrorMessage": "must hold text, and no control character (tab and line feed are fine)",
        }
    ),
]
# A source text is named, never located: no folder, no parent, no hidden file, so a dataset cannot
# make the checks read a file outside its texts folder.
_FILE_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]{0,199}")


def _plain_file_name(value: str) -> str:
    if not _FILE_NAME.fullmatch(value):
        raise ValueError(
            "must be a plain file name in the dataset's texts/ folder: letters, digits, '.', '_' and '-', "
            "not starting with '.', with no folder"
        )
    return value


TextFileName = Annotated[
    str,
    AfterValidator(_plain_file_name),
    Field(
        description="A plain file name: letters, digits, '.', '_' and '-'; no folder",
        json_schema_extra={
            "pattern": f"^{_FILE_NAME.pattern}$",
            "patternErrorMessage": "a plain file name in texts/: letters, digits, '.', '_' and '-', no folder",
        },
    ),
]
Sha256 = Annotated[
    str,
    StringConstraints(pattern=r"^[0-9a-f]{64}$"),
    Field(json_schema_extra={"patternErrorMessage": "64 lower-case hex digits (sha256sum FILE)"}),
]


def _iso_country(value: str) -> str:
    if value not in ISO_3166_ALPHA2:
        raise ValueError(f"{value!r} is not an ISO 3166-1 alpha-2 country code")
    return value


CountryCode = Annotated[
    str,
    AfterValidator(_iso_country),
    Field(
        json_schema_extra={"enum": sorted(ISO_3166_ALPHA2), "errorMessage": "not an ISO 3166-1 alpha-2 country code"}
    ),
]


def _st3_code(value: str) -> str:
    if value not in ST3_REGIONAL:
        known = ", ".join(sorted(ST3_REGIONAL))
        raise ValueError(f"{value!r} is not a regional or international WIPO ST.3 code ({known})")
    return value


St3Code = Annotated[
    str,
    AfterValidator(_st3_code),
    Field(
        json_schema_extra={
            "enum": sorted(ST3_REGIONAL),
            "errorMessage": f"not a regional or international WIPO ST.3 code ({', '.join(sorted(ST3_REGIONAL))})",
        }
    ),
]


def _no_repeats(values: tuple[str, ...]) -> tuple[str, ...]:
    repeated = sorted(v for v, n in Counter(values).items() if n > 1)
    if repeated:
        raise ValueError(f"lists {', '.join(repeated)} more than once")
    return values


#: The most digits a figure may have, integer and fraction together: Excel keeps 15 significant
#: digits and every JSON reader that parses numbers as doubles keeps 15 exactly, so a figure within
#: this bound reads back unchanged everywhere it is exported.
MAX_FIGURE_DIGITS = 15
_FIGURE = re.compile(r"[+-]?([0-9]+)(?:\.([0-9]+))?")


def _figure(value: object) -> object:
    """A figure as a plain decimal: ASCII digits, no exponent, no '_', at most 15 digits."""
    if isinstance(value, bool):
        raise ValueError("a figure is a number, not a yes/no")
    if isinstance(value, int):
        text = str(value)
    elif isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError("a figure must be a finite number")
        text = format(value, "f")
    elif isinstance(value, str):
        text = value.strip()
    else:
        return value  # a float or another type: pydantic's own Decimal rules say what is wrong
    match = _FIGURE.fullmatch(text)
    if match is None:
        raise ValueError(
            "must be a plain decimal number written with the digits 0-9, such as 4425000 or 12.9 "
            "(no exponent, no '_' or ',' separators, no other scripts' digits)"
        )
    digits = len(match.group(1).lstrip("0")) + len(match.group(2) or "")
    if digits > MAX_FIGURE_DIGITS:
        raise ValueError(
            f"has {digits} digits; a figure may have at most {MAX_FIGURE_DIGITS} (integer and fraction "
            "together), the most Excel and JSON readers keep exactly"
        )
    return Decimal(text)


def _figure_schema(*, negative: bool) -> dict[str, object]:
    """The JSON Schema of a figure: a YAML number, or a string that ``_figure`` reads.

    A number within 15 digits of integer part; the digits of a fraction are lost to the YAML
    reader's float before a schema sees them, so only the loader counts those. A string: at most
    15 digits (leading zeros of the integer part not counted), by a lookahead.
    """
    largest = 10**MAX_FIGURE_DIGITS - 1
    sign = "[+-]?" if negative else r"\+?"
    digits = rf"(?=[0-9])0*(?=\.?(?:[0-9]\.?){{0,{MAX_FIGURE_DIGITS}}}[{ALLOWED_WHITESPACE}]*$)[0-9]*(?:\.[0-9]+)?"
    body = f"{sign}{digits}" if negative else f"(?:{sign}{digits}|-0+(?:\\.0+)?)"
    return {
        "type": ["number", "string"],
        "minimum": -largest if negative else 0,
        "maximum": largest,
        "pattern": f"^[{ALLOWED_WHITESPACE}]*{body}[{ALLOWED_WHITESPACE}]*$",
        "patternErrorMessage": f"a plain decimal number (4425000, 12.9{', -3' if negative else ''}) of at most "
        f"{MAX_FIGURE_DIGITS} digits: no exponent, no ',' or '_'",
    }


Figure = Annotated[Decimal, BeforeValidator(_figure), WithJsonSchema(_figure_schema(negative=True))]
#: A figure that cannot be negative (pydantic's ``ge=0`` checks it; the schema says it alike).
NonNegativeFigure = Annotated[
    Decimal, BeforeValidator(_figure), Field(ge=0), WithJsonSchema(_figure_schema(negative=False))
]

_URL = re.compile(f"https?://{VISIBLE}+")


def _web_url(value: str) -> str:
    if not _URL.fullmatch(value):
        raise ValueError("must be an http:// or https:// address without spaces or control characters")
    return value


WebUrl = Annotated[
    str,
    AfterValidator(_web_url),
    Field(
        json_schema_extra={
            "pattern": f"^{_URL.pattern}$",
            "patternErrorMessage": "an http:// or https:// address without spaces or control characters",
        }
    ),
]


# What a model validator below requires, said again as JSON Schema for the editor and
# check-jsonschema, with the validator's message (the validator stays the check; a test feeds both
# the same broken records). "Given" is what the validators test: present and not null, and not
# empty for a list. Said with types and if/then rather than "not" and "oneOf", whose failures the
# editors can only report as "Matches a schema that is not allowed"; "errorMessage" is the
# editors' keyword for the message to show instead of theirs.
def _given(name: str, json_type: str, message: str) -> dict[str, Any]:
    value: dict[str, Any] = {"type": json_type, "errorMessage": message}
    if json_type == "array":
        value["minItems"] = 1
    return {"required": [name], "properties": {name: value}, "errorMessage": message}


def _absent(name: str, message: str) -> dict[str, Any]:
    return {"properties": {name: {"type": "null", "errorMessage": message}}}


def _when(condition: dict[str, Any], then: dict[str, Any]) -> dict[str, Any]:
    return {"if": condition, "then": then}


def _field_is(name: str, values: list[str]) -> dict[str, Any]:
    return {"required": [name], "properties": {name: {"enum": values}}}


def _one_of_two(first: str, second: str, needs: str, not_both: str) -> list[Any]:
    """Exactly one of two fields given (both strings when given)."""
    return [
        {"anyOf": [_given(first, "string", needs), _given(second, "string", needs)]},
        _when(_given(first, "string", needs), _absent(second, not_both)),
    ]


class Part:
    """A value inside a record (a citation, a party, a place): frozen, compared by value.

    Each kind of part is a frozen pydantic dataclass with slots, not a model: a dataset holds one
    or more parts per record, and a model instance costs an object, a dict of its fields and a set
    of their names (at 10k events, 24,800 citations took 6.6 MB as models, 1.6 MB with slots).
    pydantic validates, serialises and describes them (JSON Schema) as it does models.
    """

    __slots__ = ()
    __pydantic_fields__: ClassVar[dict[str, FieldInfo]]


#: How every part is validated: unknown fields are errors, as in records.
PART_CONFIG = ConfigDict(extra="forbid")


class Record(BaseModel):
    """A record of the dataset: one item of a file, which knows where it was read from: frozen,
    compared by value.

    Where it was read from is a slot, not a pydantic private attribute: a private attribute costs
    every record a dict and a call to fill it as it is made. Not a field either, so it is neither
    exported nor compared; pickling and copying carry it (below), as they would a private attribute.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    __slots__ = ("_origin",)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self.__dict__ == other.__dict__

    __hash__ = None  # type: ignore[assignment]

    @property
    def origin(self) -> Origin | None:
        return getattr(self, "_origin", None)  # None until the reader sets it (a record made in code)

    def with_origin(self, origin: Origin | None) -> None:
        """Say where the record was read from (the reader does, once, as it makes the record)."""
        object.__setattr__(self, "_origin", origin)

    def __getstate__(self) -> dict[Any, Any]:
        return {**super().__getstate__(), "origin": self.origin}

    def __setstate__(self, state: dict[Any, Any]) -> None:
        super().__setstate__(state)
        self.with_origin(state.get("origin"))

    def __copy__(self) -> Self:
        copied = super().__copy__()
        copied.with_origin(self.origin)
        return copied

    def __deepcopy__(self, memo: dict[int, Any] | None = None) -> Self:
        copied = super().__deepcopy__(memo)
        copied.with_origin(self.origin)  # an Origin is frozen: sharing it is copying it
        return copied


#: What has declared fields: a record, or a part inside one.
Fielded: TypeAlias = Record | Part


def fields_of(model: type[Fielded]) -> dict[str, FieldInfo]:
    """The fields of a record type or of a part type, in the order they are declared."""
    return model.__pydantic_fields__


def values_of(part: Part) -> tuple[object, ...]:
    """A part's field values, in the order of its fields."""
    return tuple(getattr(part, name) for name in part.__pydantic_fields__)


# --- provenance -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, config=PART_CONFIG)
class Citation(Part):
    """Where a fact is stated: a source, a place in it, and the verbatim words that carry it."""

    source: Id = Field(description="Id of the source document (sources.yaml)")
    quote: Text = Field(
        description="Verbatim words from the source that state the fact, at most about 300 "
        "characters; checked against the source text by `ipcoop validate --sources-dir`"
    )
    locator: str | None = Field(default=None, description="Section, heading, speaker or caption where the quote stands")
    prospective: bool = Field(
        default=False,
        description="The source announces the event before it happened (so a citing source may "
        "be published before the event it cites)",
    )


SourceKind = Literal["annual_report", "news", "feature", "transcript", "press_release", "report", "web_page"]


class Source(Record):
    """A document that records cite."""

    id: Id
    title: Text = Field(description="The document's title, as printed")
    kind: SourceKind = Field(description="What sort of document")
    published: PartialDate = Field(description="When the document was published, as precisely as known")
    publisher: str | None = Field(default=None, description="Who published it, as printed")
    covers: PartialDate | None = Field(
        default=None, description="The period a report is about (an annual report covers its year)"
    )
    url: WebUrl | None = Field(default=None, description="Where the document was published (http or https)")
    language: str = Field(default="en", description="Language of the document (default en)")
    text: TextFileName | None = Field(
        default=None,
        description="File name of the document's plain text in the dataset's texts/ folder (or in "
        "--sources-dir), against which every quote is checked: a plain name, no folder",
    )
    text_sha256: Sha256 | None = Field(
        default=None,
        description="sha256 of the text file's bytes (64 lower-case hex digits): a text that differs is an error",
    )
    note: str | None = Field(default=None, description="Free text for readers: context that no field holds")


# --- who ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, config=PART_CONFIG)
class OrganizationName(Part):
    """One name an organization bore, for a span of time (open-ended when start or end is unknown)."""

    name: Text = Field(description="The name in full, as a source prints it")
    abbreviation: str | None = Field(default=None, description="Its short form (SIPO, CNIPA)")
    start: PartialDate | None = Field(default=None, description="When the name came into use, when known")
    end: PartialDate | None = Field(default=None, description="When the name went out of use, when known")
    citations: tuple[Citation, ...] = Field(default=(), description="Quotes that attest the name")


OrganizationKind = Literal[
    "national_office",
    "regional_office",
    "igo",
    "government",
    "ministry",
    "agency",
    "court",
    "university",
    "company",
    "association",
    "forum",
    "other",
]
_NATIONAL_KINDS = {"national_office", "ministry", "agency", "court", "government"}


class Organization(Record):
    """An office or body; its id is kept across renames (SIPO and CNIPA are one organization)."""

    model_config = ConfigDict(
        json_schema_extra=_when(
            _field_is("kind", sorted(_NATIONAL_KINDS)),
            _given(
                "country",
                "string",
                f"a national body ({', '.join(sorted(_NATIONAL_KINDS))}) needs a country (ISO 3166-1 alpha-2)",
            ),
        )
    )

    id: Id
    kind: OrganizationKind = Field(
        description="What sort of body; a national office, ministry, agency, court or government needs a country"
    )
    names: tuple[OrganizationName, ...] = Field(
        min_length=1, description="Every name it bore, each with its span: the name at a date is taken from here"
    )
    country: CountryCode | None = Field(default=None, description="ISO 3166-1 alpha-2 code of a national body")
    st3: St3Code | None = Field(
        default=None, description="WIPO ST.3 code of a regional or international IP body (EP, EA, AP, OA, GC, WO)"
    )
    parent: Id | None = Field(default=None, description="Id of the organization this one belongs to")
    note: str | None = Field(default=None, description="Free text for readers: context that no field holds")

    @model_validator(mode="after")
    def _national_bodies_have_a_country(self) -> Organization:
        if self.kind in _NATIONAL_KINDS and self.country is None:
            raise ValueError(f"a {self.kind} needs a country (ISO 3166-1 alpha-2)")
        return self

    def name_at(self, when: PartialDate) -> list[OrganizationName]:
        """The names that may have been in use at ``when`` (open ends count as unknown)."""
        return [
            n
            for n in self.names
            if (n.start is None or not n.start.after(when)) and (n.end is None or not n.end.before(when))
        ]


@dataclass(frozen=True, slots=True, config=PART_CONFIG)
class Role(Part):
    """A title a person held, with the organization and the span (as far as the sources tell)."""

    title: Text = Field(description="The title, as a source gives it")
    organization: Id | None = Field(default=None, description="Id of the organization the title is held in")
    start: PartialDate | None = Field(default=None, description="When the person took up the role, when known")
    end: PartialDate | None = Field(default=None, description="When the person left it, when known")
    as_of: PartialDate | None = Field(
        default=None, description="A date at which a source attests the role, when start and end are unknown"
    )
    citations: tuple[Citation, ...] = Field(default=(), description="Quotes that attest the role")


class Person(Record):
    id: Id
    name: Text = Field(description="The person's name, as printed")
    roles: tuple[Role, ...] = Field(
        default=(), description="Titles the person held, each with its organization and span"
    )
    note: str | None = Field(default=None, description="Free text for readers: context that no field holds")


# --- what happened ----------------------------------------------------------------------------


class Series(Record):
    """A recurring meeting or programme; its events carry ordinals when the series is numbered."""

    id: Id
    name: Text = Field(description="The series' name, as printed")
    organizers: tuple[Id, ...] = Field(default=(), description="Ids of the organizations that hold it")
    numbered: bool = Field(
        default=False,
        description="The sources number its meetings (14th, 9th): its ordinals must rise with the dates",
    )
    cadence: Literal["annual", "biennial", "irregular"] | None = Field(
        default=None, description="How often it meets: annual, biennial or irregular"
    )
    citations: tuple[Citation, ...] = Field(default=(), description="Quotes that attest the series")
    note: str | None = Field(default=None, description="Free text for readers: context that no field holds")


EventKind = Literal[
    "meeting",
    "visit",
    "signing",
    "adoption",
    "accession",
    "ratification",
    "entry_into_force",
    "conference",
    "seminar",
    "roundtable",
    "forum",
    "training",
    "programme",
    "launch",
    "publication",
    "election",
    "pph",
    "other",
]
InstrumentKind = Literal[
    "agreement",
    "mou",
    "work_plan",
    "joint_statement",
    "declaration",
    "record_of_discussion",
    "action_plan",
    "treaty",
    "initiative",
    "report",
    "other",
]


@dataclass(frozen=True, slots=True, config=PART_CONFIG)
class Party(Part):
    """An organization taking part in an event, with the name the source used for it."""

    id: Id
    name: str | None = Field(default=None, description="The name the source uses, when it matters (SIPO vs CNIPA)")


def _parties_from_ids(value: object) -> object:
    # A bare id is the common case; the mapping form is for when the name used matters.
    if isinstance(value, list):
        return [{"id": item} if isinstance(item, str) else item for item in value]
    return value


@dataclass(frozen=True, slots=True, config=PART_CONFIG)
class Participant(Part):
    """A person taking part in an event, with the title the source gives them there."""

    person: Id
    title: str | None = Field(default=None, description="The person's title as the source gives it at this event")


@dataclass(frozen=True, slots=True, config=PART_CONFIG)
class Instrument(Part):
    """A document signed, adopted or released at an event."""

    title: Text = Field(description="The document's title, as printed")
    kind: InstrumentKind = Field(description="What sort of document")


@dataclass(frozen=True, slots=True, config=PART_CONFIG)
class Location(Part):
    city: str | None = Field(default=None, description="The city, as printed")
    country: CountryCode | None = Field(default=None, description="ISO 3166-1 alpha-2 code")
    venue: str | None = Field(default=None, description="The building or venue, as printed")


class Event(Record):
    """Something that happened (or was planned) on a date known to a year, a month or a day."""

    id: Id
    title: Text = Field(description="What happened, in a line")
    kind: EventKind = Field(description="What sort of event")
    date: PartialDate = Field(description="When: YYYY, YYYY-MM, YYYY-MM-DD, or START/END for a span of days")
    date_basis: Literal["stated", "report_year", "attested"] = Field(
        default="stated",
        description="'report_year' when the source gives no date and the event is dated to the year "
        "its annual report covers; 'attested' when the record is a state of affairs ('currently', "
        "'has not ratified') dated to when a source attests it, not to when it began",
    )
    status: Literal["held", "planned", "cancelled"] = Field(
        default="held", description="held (the default), planned or cancelled"
    )
    series: Id | None = Field(default=None, description="Id of the series it belongs to (series.yaml)")
    ordinal: int | None = Field(
        default=None, ge=1, le=100_000, description="Number within its series (14 for the '14th')"
    )
    location: Location | None = Field(default=None, description="Where it was held: city, country, venue")
    parties: Annotated[
        tuple[Party, ...],
        BeforeValidator(_parties_from_ids, json_schema_input_type=list[Id | Party]),
    ] = Field(default=(), description="Organizations taking part: ids, or {id, name}")
    people: tuple[Participant, ...] = Field(
        default=(), description="People taking part: each a person id and the title the source gives them there"
    )
    instruments: tuple[Instrument, ...] = Field(default=(), description="Documents signed, adopted or released at it")
    countries: Annotated[tuple[CountryCode, ...], AfterValidator(_no_repeats)] = Field(
        default=(),
        description="Countries the event is with that no party records (ISO 3166-1 alpha-2), "
        "each named in one of its quotes: a 'China-France dialogue' with CNIPA as its only party",
    )
    citations: tuple[Citation, ...] = Field(default=(), description="Quotes that state the event: at least one")
    note: str | None = Field(default=None, description="Free text for readers: context that no field holds")


# --- figures ----------------------------------------------------------------------------------

Unit = Literal[
    "count",
    "percent",
    "percentage_points",
    "cny",
    "usd",
    "points",
    "rank",
    "places",
    "years",
    "months",
    "days",
    "per_10k_people",
    "ratio",
]
MetricKind = Literal["cumulative", "stock", "flow", "ratio", "rank", "change"]


class Metric(Record):
    """What a figure measures; many observations from many sources share one metric."""

    id: Id = Field(description="Metric key, used by observations")
    label: Text = Field(description="What is counted, in a line")
    unit: Unit = Field(description="The unit every observation of it is in")
    kind: MetricKind = Field(
        description="cumulative: never decreases; stock: a level at a date; flow: a total over a "
        "period; ratio; rank; change: a stated difference"
    )
    description: str | None = Field(
        default=None, description="What the metric counts and how, when the label alone does not say"
    )
    tolerance: NonNegativeFigure | None = Field(
        default=None, description="Relative tolerance for 'about' and 'nearly' (default 0.05)"
    )


Qualifier = Literal["exact", "more_than", "at_least", "about", "nearly", "up_to", "less_than"]


_NEEDS_WHEN = "an observation needs 'as_of' (a date) or 'period' (for a flow)"
_NOT_BOTH = "give 'as_of' or 'period', not both"


class Observation(Record):
    """A figure as one source states it: a value, how exact it is, and when it holds."""

    model_config = ConfigDict(json_schema_extra={"allOf": _one_of_two("as_of", "period", _NEEDS_WHEN, _NOT_BOTH)})

    id: Id
    metric: Id
    value: Figure = Field(
        description="The number in the metric's unit: '4.425 million' is 4425000; a plain decimal of at most 15 digits"
    )
    qualifier: Qualifier = Field(
        default="exact",
        description="How the source bounds the figure: 'more than 1,300' is more_than; exact by default",
    )
    as_of: PartialDate | None = Field(default=None, description="When a stock or cumulative figure holds")
    period: PartialDate | None = Field(default=None, description="The period a flow is totalled over")
    as_reported: Text = Field(description="The figure in the words printed, 'more than 1,300'")
    subject: str | None = Field(
        default=None, description="What the figure is about, when the metric alone does not say"
    )
    citations: tuple[Citation, ...] = Field(
        default=(), description="Quotes that state the figure: at least one; as_reported must stand in one of them"
    )
    note: str | None = Field(default=None, description="Free text for readers: context that no field holds")

    @model_validator(mode="after")
    def _when(self) -> Observation:
        if self.as_of is None and self.period is None:
            raise ValueError(_NEEDS_WHEN)
        if self.as_of is not None and self.period is not None:
            raise ValueError(_NOT_BOTH)
        return self

    @property
    def when(self) -> PartialDate:
        when = self.as_of or self.period
        assert when is not None  # guaranteed by _when
        return when


#: ``open`` records what bears on a finding (its ``evidence``) without deciding it: it never settles.
Decision = Literal["prefer", "both_stand", "source_error", "different_definitions", "open"]


_PREFER_NEEDS = "decision 'prefer' needs 'prefer: <observation id>'"
_SETTLES = "a ruling settles 'observations' or a 'finding'"


class Ruling(Record):
    """A curator's decision on a discrepancy, with a reason a reader can verify."""

    model_config = ConfigDict(
        json_schema_extra={
            "allOf": [
                _when(_field_is("decision", ["prefer"]), _given("prefer", "string", _PREFER_NEEDS)),
                {"anyOf": [_given("observations", "array", _SETTLES), _given("finding", "string", _SETTLES)]},
            ]
        }
    )

    id: Id
    observations: tuple[Id, ...] = Field(default=(), description="Observations the ruling settles")
    finding: str | None = Field(
        default=None, description="Fingerprint of the finding it settles (see `ipcoop validate --format json`)"
    )
    decision: Decision = Field(description="What was decided; open records evidence and never settles")
    prefer: Id | None = Field(default=None, description="With decision 'prefer': the observation to use")
    reason: Text = Field(description="Why, so that a reader can verify it")
    citations: tuple[Citation, ...] = Field(default=(), description="Quotes that support the decision")
    evidence: tuple[Citation, ...] = Field(
        default=(),
        description="Quotes that bear on the finding, for or against a reading (with decision 'open': why it is open)",
    )

    @property
    def settles(self) -> bool:
        """Whether the ruling decides its finding; an ``open`` one only carries evidence."""
        return self.decision != "open"

    @model_validator(mode="after")
    def _prefer(self) -> Ruling:
        if self.decision == "prefer" and self.prefer is None:
            raise ValueError(_PREFER_NEEDS)
        if not self.observations and self.finding is None:
            raise ValueError(_SETTLES)
        return self


#: The fields each kind of relation needs (given and not empty), with their JSON types.
_RELATION_NEEDS: dict[str, dict[str, str]] = {
    "part_of": {"parts": "array", "whole": "string"},
    "difference": {"change": "string", "before": "string", "after": "string"},
    "duration": {"duration": "string"},
    "target": {"target": "string", "reached": "string", "by": "string"},
}
_DURATION_OF = "a duration relation needs one of 'of_event' or 'of_observation'"


class Relation(Record):
    """Arithmetic that must hold between figures, declared by the curator and checked.

    - ``part_of``: the ``parts`` together are no larger than the ``whole``;
    - ``difference``: the ``change`` equals ``after`` minus ``before`` (``before`` minus ``after``
      with ``decrease: true``, as for a rank that "rose 23 places" from 35th to 12th);
    - ``duration``: the ``duration`` figure equals the span of the event ``of_event`` (or of the
      period of the observation ``of_observation``);
    - ``target``: the ``reached`` figure meets the ``target`` figure (a floor: reached at least the
      target) ``by`` the date the target is set for; met before it is ahead of schedule.
    """

    model_config = ConfigDict(
        json_schema_extra={
            "allOf": [
                *(
                    _when(
                        _field_is("kind", [kind]),
                        {"allOf": [_given(name, t, f"a {kind} relation needs {name}") for name, t in needs.items()]},
                    )
                    for kind, needs in _RELATION_NEEDS.items()
                ),
                _when(
                    _field_is("kind", ["duration"]),
                    {"allOf": _one_of_two("of_event", "of_observation", _DURATION_OF, _DURATION_OF)},
                ),
            ]
        }
    )

    id: Id
    kind: Literal["part_of", "difference", "duration", "target"] = Field(
        description="part_of, difference, duration or target: which fields it needs follows from it"
    )
    parts: tuple[Id, ...] = Field(default=(), description="part_of: observations that are parts")
    whole: Id | None = Field(default=None, description="part_of: the observation of the whole")
    change: Id | None = Field(default=None, description="difference: the observation stating the change")
    before: Id | None = Field(default=None, description="difference: the earlier value")
    after: Id | None = Field(default=None, description="difference: the later value")
    decrease: bool = Field(default=False, description="difference: the change is before minus after")
    duration: Id | None = Field(default=None, description="duration: the observation stating the duration")
    of_event: Id | None = Field(default=None, description="duration: the event whose span it is")
    of_observation: Id | None = Field(default=None, description="duration: the observation whose period it is")
    target: Id | None = Field(default=None, description="target: the observation stating the target")
    reached: Id | None = Field(default=None, description="target: the observation of the level reached")
    by: PartialDate | None = Field(default=None, description="target: the date the target is set for")
    note: str | None = Field(default=None, description="Free text for readers: context that no field holds")

    @model_validator(mode="after")
    def _fields_of_kind(self) -> Relation:
        needed = _RELATION_NEEDS[self.kind]
        missing = [name for name in needed if not getattr(self, name)]
        if missing:
            raise ValueError(f"a {self.kind} relation needs {', '.join(missing)}")
        if self.kind == "duration" and (self.of_event is None) == (self.of_observation is None):
            raise ValueError(_DURATION_OF)
        return self


# --- coverage ---------------------------------------------------------------------------------


class CoverageExclusion(Record):
    """A unit of a source text (a sentence or a caption) deliberately left out of its coverage.

    ``ipcoop coverage`` counts the units of each source text that carry a date or a figure and
    that no quote covers; a unit that states no fact about IP cooperation (site navigation, a link
    to another page, the document's own dateline) is listed here with the reason, so that it is not
    counted and the reason can be read and challenged.
    """

    id: Id
    source: Id = Field(description="Id of the source whose text holds the unit (sources.yaml)")
    text: Text = Field(
        description="The unit's words, verbatim as in the source text (white space and typography "
        "normalised as for quotes): the whole unit, or enough of it to find it"
    )
    reason: Text = Field(description="Why the unit is left out: what it is, and why it is not a fact to record")


RECORD_TYPES: dict[str, type[Record]] = {
    "source": Source,
    "organization": Organization,
    "person": Person,
    "series": Series,
    "metric": Metric,
    "event": Event,
    "observation": Observation,
    "ruling": Ruling,
    "relation": Relation,
    "exclusion": CoverageExclusion,
}
