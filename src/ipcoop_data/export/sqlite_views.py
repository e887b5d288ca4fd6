"""The views of the SQLite export: the common joins, one row per event, figure or discrepancy.

They join what the tables hold and compute nothing: the discrepancies are the analysis' own
(the ``discrepancies`` table), and a record's lists come back in their order, as text a person
reads (``; `` between items, each quote between quotation marks).
"""

from __future__ import annotations

from dataclasses import dataclass


def quote_name(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def quote_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@dataclass(frozen=True)
class View:
    """A view for a common join. A column whose description is None takes the one of the column of
    that name in ``base`` (the data dictionary's), so no description is written twice."""

    name: str
    description: str
    base: str
    columns: tuple[tuple[str, str, str | None], ...]  # (name, SQL expression, description)
    source: str  # FROM ... [ORDER BY ...]

    def sql(self) -> str:
        select = ",\n  ".join(f"{expr} AS {quote_name(name)}" for name, expr, _ in self.columns)
        return f"SELECT\n  {select}\n{self.source}"


def _joined(select: str, separator: str) -> str:
    # group_concat keeps the order of its input rows; SQLite before 3.44 has no ORDER BY inside
    # an aggregate, so the rows come ordered from a subquery.
    return f"(SELECT group_concat(v, {quote_text(separator)}) FROM ({select}))"


def _own_citations(record_type: str, alias: str, what: str, separator: str) -> str:
    # A record's own citations (item 0), in their order; sources listed once each.
    where = f"c.record_type = {quote_text(record_type)} AND c.record_id = {alias}.id AND c.item = 0"
    if what == "source":
        first = "min(c.position) AS p"
        select = f"SELECT c.source AS v, {first} FROM citations c WHERE {where} GROUP BY c.source ORDER BY p"
    else:
        select = f"SELECT {_quoted('c.' + what)} AS v FROM citations c WHERE {where} ORDER BY c.position"
    return _joined(select, separator)


#: Between the quotes of one record in a view: a line of its own in Datasette's cells.
QUOTE_SEPARATOR = "\n\n"
LIST_SEPARATOR = "; "

_DATE_PARTS = ("", "_lower", "_upper", "_precision")


def _side(prefix: str, alias: str, citation: str) -> tuple[tuple[str, str, str | None], ...]:
    which = "first (earlier)" if prefix == "first" else "second"
    return (
        (f"{prefix}_as_reported", f"{alias}.as_reported", f"The {which} figure in the words printed"),
        (f"{prefix}_date", f"coalesce({alias}.as_of, {alias}.period)", f"When the {which} figure holds (EDTF)"),
        (f"{prefix}_quote", _quoted(f"{citation}.quote"), f"The words that state the {which} figure"),
        (f"{prefix}_source", f"{citation}.source", f"Source of the {which} figure (its first citation)"),
    )


def _side_ids(prefix: str, alias: str) -> tuple[tuple[str, str, str | None], ...]:
    which = "first (earlier)" if prefix == "first" else "second"
    return (
        (f"{prefix}_observation", f"d.{prefix}_observation", None),
        (f"{prefix}_value", f"{alias}.value", f"Value of the {which} figure, in the metric's unit"),
        (f"{prefix}_qualifier", f"{alias}.qualifier", f"How exact the {which} figure is"),
    )


def _quoted(expr: str) -> str:
    # Several quotes in one cell: each between quotation marks, so that one can tell where it ends.
    return f"'\u201c' || {expr} || '\u201d'"


# Each view puts first what a person reads (labels, the words printed, the quotes), then the ids,
# codes and date bounds that a query filters on.
VIEWS: tuple[View, ...] = (
    View(
        "event_details",
        "Events with their series, place, parties, people, instruments, sources and quotes, one row per event",
        "events",
        (
            ("id", "e.id", None),
            ("date", "e.date", None),
            ("title", "e.title", "What happened"),
            ("kind", "e.kind", None),
            ("status", "e.status", None),
            ("series_name", "s.name", "Name of the series it belongs to (see series)"),
            ("ordinal", "e.ordinal", None),
            (
                "location",
                # concat_ws() is SQLite 3.44; trimming the last ", " does the same on older ones
                "nullif(rtrim(coalesce(e.location_venue || ', ', '') || coalesce(e.location_city || ', ', '') "
                "|| coalesce(e.location_country, ''), ', '), '')",
                "Venue, city and ISO country code, as far as stated",
            ),
            (
                "parties",
                _joined(
                    "SELECT p.organization AS v FROM event_parties p WHERE p.event = e.id ORDER BY p.position",
                    LIST_SEPARATOR,
                ),
                "Ids of the organizations taking part, in the record's order (see event_parties)",
            ),
            (
                "people",
                _joined(
                    "SELECT pe.name AS v FROM event_people ep JOIN people pe ON pe.id = ep.person "
                    "WHERE ep.event = e.id ORDER BY ep.position",
                    LIST_SEPARATOR,
                ),
                "Names of the people taking part (see event_people for the titles they acted in)",
            ),
            (
                "instruments",
                _joined(
                    "SELECT i.title AS v FROM event_instruments i WHERE i.event = e.id ORDER BY i.position",
                    LIST_SEPARATOR,
                ),
                "Titles of the documents signed, adopted or released",
            ),
            ("quotes", _own_citations("event", "e", "quote", QUOTE_SEPARATOR), "The verbatim quotes, in order"),
            ("sources", _own_citations("event", "e", "source", LIST_SEPARATOR), "Ids of the sources cited"),
            ("note", "e.note", "Curator's note"),
            ("series", "e.series", "Id of the series (see series)"),
            *((f"date{p}", f"e.date{p}", None) for p in _DATE_PARTS[1:]),
        ),
        "FROM events e LEFT JOIN series s ON s.id = e.series\nORDER BY e.id",
    ),
    View(
        "observation_details",
        "Figures with their metric (label, unit, kind), when they hold, their sources and quotes",
        "observations",
        (
            ("id", "o.id", None),
            ("metric_label", "m.label", "What the metric measures"),
            ("subject", "o.subject", None),
            ("as_reported", "o.as_reported", None),
            ("value", "o.value", None),
            ("unit", "m.unit", "Unit of the value"),
            ("date", "coalesce(o.as_of, o.period)", "'as_of' or 'period', whichever is given (EDTF)"),
            ("quotes", _own_citations("observation", "o", "quote", QUOTE_SEPARATOR), "The verbatim quotes, in order"),
            ("sources", _own_citations("observation", "o", "source", LIST_SEPARATOR), "Ids of the sources cited"),
            ("note", "o.note", "Curator's note"),
            ("metric", "o.metric", "Id of the metric (see metrics)"),
            ("metric_kind", "m.kind", "cumulative, stock, flow, ratio, rank or change"),
            ("qualifier", "o.qualifier", None),
            (
                "date_kind",
                "CASE WHEN o.as_of IS NOT NULL THEN 'as_of' ELSE 'period' END",
                "as_of: the date a level holds; period: the span a total is taken over",
            ),
            *(
                (f"date{p}", f"coalesce(o.as_of{p}, o.period{p})", f"'as_of{p}' or 'period{p}', whichever is given")
                for p in _DATE_PARTS[1:]
            ),
        ),
        "FROM observations o JOIN metrics m ON m.id = o.metric\nORDER BY o.id",
    ),
    View(
        "discrepancy_details",
        "Differences between figures of one quantity (the discrepancies table, as `ipcoop discrepancies` "
        "reports them), with both figures as printed, their sources and quotes, and the ruling",
        "discrepancies",
        (
            ("metric_label", "m.label", "What the metric measures"),
            ("subject", "f.subject", "What the figures are about, when the metric alone does not say"),
            ("outcome", "d.outcome", None),
            ("status", "d.status", None),
            *_side("first", "f", "fc"),
            *_side("second", "o2", "sc"),
            ("explanation", "d.explanation", None),
            ("ruling", "d.ruling", None),
            ("ruling_decision", "r.decision", "What the ruling decided"),
            ("ruling_reason", "r.reason", "Why"),
            ("metric", "d.metric", "Id of the metric"),
            ("unit", "m.unit", "Unit of the values"),
            *_side_ids("first", "f"),
            *_side_ids("second", "o2"),
        ),
        "FROM discrepancies d\n"
        "JOIN metrics m ON m.id = d.metric\n"
        "JOIN observations f ON f.id = d.first_observation\n"
        "JOIN observations o2 ON o2.id = d.second_observation\n"
        "LEFT JOIN citations fc ON fc.record_type = 'observation' AND fc.record_id = f.id AND fc.item = 0 "
        "AND fc.position = 1\n"
        "LEFT JOIN citations sc ON sc.record_type = 'observation' AND sc.record_id = o2.id AND sc.item = 0 "
        "AND sc.position = 1\n"
        "LEFT JOIN rulings r ON r.id = d.ruling\n"
        "ORDER BY d.metric, d.first_observation, d.second_observation",
    ),
)
