"""Synthetic datasets in the real layout, for benchmarks: as large as asked, the same every time.

Run: python bench/generate.py --events 10000 --out /tmp/ipcoop-bench/events-10000 [--seed 0]

The dataset is made of blocks of ``BLOCK`` events (and as many observations). Each block has its
own organizations (some renamed), people with roles, series, metrics, events across 1990-2030 at
every date precision, observations with qualifiers from several sources, relations and rulings,
all drawn from a random generator seeded by (seed, block number): so the first ten blocks of the
100k dataset are the 10k dataset, byte for byte in each record.

Every block also carries the same deliberate conflicts (``EXPECTED_PER_BLOCK``), with ids that
differ only by the block number (``b0007-...``), and nothing else that a check reports. So the
findings of a dataset of k blocks are the findings of one block, k times over: ``same_findings.py``
asserts it, which is how the benchmarks show that correctness does not change with size.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

BLOCK = 1000
YEARS = range(1990, 2031)
SERIES_LENGTH = 14  # events per series: one a year, so ordinals and dates rise together
HOME = "home-office"  # the office whose reports these are: a party to every event

#: What validation reports for each block: (code, severity) -> count. Nothing else is reported.
EXPECTED_PER_BLOCK: dict[tuple[str, str], int] = {
    ("metric-conflict", "error"): 2,  # a stock stated two ways on one day; a cumulative count that shrank
    ("metric-conflict", "info"): 1,  # a flow stated two ways, settled by a ruling
    ("metric-compatible", "info"): 1,  # "more than 1,200" and "more than 1,300" (settled: both stand)
    ("metric-growth", "warning"): 2,  # a cumulative count rising 17 -> 18 -> 21: two steps between neighbours
    ("relation-part-exceeds-whole", "error"): 1,
    ("possible-duplicate", "warning"): 1,
    ("name-not-valid-at-date", "error"): 1,  # an office called by the name it took later
    ("title-mismatch", "warning"): 1,
    ("series-gap", "info"): 1,
    ("event-after-source", "error"): 1,
}

_BLOCK_ID = re.compile(r"\bb\d{4}(?=[-.])")


def normalize_id(text: str) -> str:
    """Strip the block number from the ids in ``text`` (``b0007-dup-a`` -> ``b*-dup-a``)."""
    return _BLOCK_ID.sub("b*", text)


# --- YAML writing ---------------------------------------------------------------------------------
# Written by hand rather than with yaml.dump: the output should look like the curated files (quoted
# dates, inline id lists) and a 100k dataset should take seconds, not minutes, to write.


class Num(str):
    """A number, written unquoted (the loader reads it as the string the schema turns into a Decimal)."""


_PLAIN = re.compile(r"[a-z][a-z0-9._-]*")


def _scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | Num):
        return str(value)
    text = str(value)
    if _PLAIN.fullmatch(text) and text not in ("true", "false", "null", "yes", "no", "on", "off"):
        return text
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid double-quoted YAML scalar


def _mapping(record: dict[str, Any], pad: str, lead: str) -> Iterator[str]:
    """Lines of ``record``: the first starts with ``lead`` (``"- "`` for a list item), the others with ``pad``."""
    for i, (key, value) in enumerate(record.items()):
        head = f"{lead if i == 0 else pad}{key}:"
        if isinstance(value, dict):
            yield head
            yield from _mapping(value, pad + "  ", pad + "  ")
        elif isinstance(value, list) and any(isinstance(v, dict) for v in value):
            yield head
            for item in value:
                if isinstance(item, dict):
                    yield from _mapping(item, pad + "    ", pad + "  - ")
                else:
                    yield f"{pad}  - {_scalar(item)}"
        elif isinstance(value, list):
            yield f"{head} [{', '.join(_scalar(v) for v in value)}]"
        else:
            yield f"{head} {_scalar(value)}"


def dump(records: list[dict[str, Any]], header: str) -> str:
    lines = [f"# {header}"]
    for record in records:
        lines.append("")
        lines.extend(_mapping(record, "  ", "- "))
    return "\n".join(lines) + "\n"


# --- shared records: the sources -----------------------------------------------------------------


def report_id(year: int) -> str:
    return f"annual-report-{year}"


def news_id(year: int) -> str:
    return f"news-{year}"


def sources() -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for year in YEARS:
        out.append(
            {
                "id": report_id(year),
                "title": f"Home Office Annual Report {year}, Chapter VII: International Cooperation",
                "kind": "annual_report",
                "publisher": "Home Office",
                "published": str(year + 1),
                "covers": str(year),
            }
        )
        out.append(
            {
                "id": news_id(year),
                "title": f"Home Office news digest {year}",
                "kind": "news",
                "publisher": "Home Office",
                "published": f"{year + 1}-01-15",
            }
        )
    return out


def cite(source: str, quote: str, locator: str | None = None, prospective: bool = False) -> dict[str, Any]:
    citation: dict[str, Any] = {"source": source}
    if locator:
        citation["locator"] = locator
    citation["quote"] = quote
    if prospective:
        citation["prospective"] = True
    return citation


# --- one block ------------------------------------------------------------------------------------

_WORDS = (
    "Alpine Baltic Coastal Delta Eastern Federal Global Highland Inland Joint Lake Maritime Northern "
    "Oriental Pacific Royal Southern Tropical Union Valley Western"
).split()
_BODIES = "Patent Office|Intellectual Property Agency|Trademark Registry|Innovation Institute|IP Academy".split("|")
_ORG_KINDS = ("national_office", "national_office", "agency", "university", "association", "igo")
_COUNTRIES = "AR AU BR CA CH DE EG ES FR GB ID IN IT JP KE KR MX MY NG NZ PE PH PK RU SA SE SG TH TR US VN ZA".split()
_CITIES = "Geneva Beijing Tokyo Seoul Munich Alicante Moscow Singapore Nairobi Lima Cairo Bangkok".split()
_FIRST = "Ana Ben Chen Dara Eli Fatima Goro Hana Ivan Jun Kofi Lena Mina Nils Omar Priya Rui Sara Tomas Yuki".split()
_LAST = "Abe Baker Costa Diallo Evans Fujita Garcia Haddad Ito Jensen Kim Li Moreau Novak Okafor Park Rossi".split()
_SERIES_KINDS = ("meeting", "conference", "forum", "seminar", "roundtable", "training")
_LOOSE_KINDS = ("meeting", "visit", "signing", "seminar", "training", "conference", "launch", "publication", "pph")
_MONTHS = "January February March April May June July August September October November December".split()
_QUALIFIERS = {
    "exact": "{n}",
    "more_than": "more than {n}",
    "at_least": "at least {n}",
    "about": "about {n}",
    "nearly": "nearly {n}",
    "up_to": "up to {n}",
    "less_than": "less than {n}",
}


def _nth(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _printed(value: int, qualifier: str, unit: str = "count") -> str:
    if unit == "percent":
        number = f"{value / 10:.1f}%"  # values of percent metrics are kept in tenths
    elif unit == "cny":
        number = f"CNY {value / 1000:.3f} million"  # value in thousands, printed in millions
    else:
        number = f"{value:,}"
    return _QUALIFIERS[qualifier].format(n=number)


def _value(value: int, unit: str) -> Num:
    if unit == "percent":
        return Num(f"{value / 10:.1f}")
    if unit == "cny":
        return Num(str(value * 1000))
    return Num(str(value))


@dataclass
class Org:
    id: str
    names: list[tuple[str, str, int | None]]  # (name, abbreviation, year of the rename that ends or starts it)
    renamed: int | None = None  # the year the second name replaced the first

    def name_at(self, year: int) -> str:
        if self.renamed is None or year >= self.renamed:
            return self.names[-1][1]
        return self.names[0][1]


@dataclass
class Block:
    """Records of one block, by record type, plus the events and observations by file."""

    number: int
    rng: random.Random
    organizations: list[dict[str, Any]] = field(default_factory=list)
    people: list[dict[str, Any]] = field(default_factory=list)
    series: list[dict[str, Any]] = field(default_factory=list)
    metrics: list[dict[str, Any]] = field(default_factory=list)
    events: dict[int, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    observations: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    relations: list[dict[str, Any]] = field(default_factory=list)
    rulings: list[dict[str, Any]] = field(default_factory=list)
    orgs: list[Org] = field(default_factory=list)
    roles: dict[str, list[tuple[str, int, int | None]]] = field(default_factory=dict)  # person -> (title, start, end)
    event_count: int = 0
    observation_count: int = 0

    @property
    def p(self) -> str:
        return f"b{self.number:04d}"

    # --- dates ---------------------------------------------------------------------------------
    def date_in(self, year: int) -> tuple[str, str]:
        """A partial date in ``year`` at a random precision, and how a report would phrase it."""
        r = self.rng.random()
        month = self.rng.randint(1, 12)
        day = self.rng.randint(1, 26)  # so that day + 2 exists in every month
        if r < 0.15:
            return str(year), f"In {year}"
        if r < 0.45:
            return f"{year}-{month:02d}", f"In {_MONTHS[month - 1]} {year}"
        if r < 0.85:
            return f"{year}-{month:02d}-{day:02d}", f"On {day} {_MONTHS[month - 1]} {year}"
        return (
            f"{year}-{month:02d}-{day:02d}/{year}-{month:02d}-{day + 2:02d}",
            f"From {day} to {day + 2} {_MONTHS[month - 1]} {year}",
        )

    # --- who -----------------------------------------------------------------------------------
    def make_orgs(self, count: int) -> None:
        for i in range(count):
            oid = f"{self.p}-org-{i:03d}"
            kind = self.rng.choice(_ORG_KINDS)
            word = self.rng.choice(_WORDS)
            body = self.rng.choice(_BODIES)
            if i == 0:  # the deliberate rename: fixed names and year, so its finding is the same in every block
                names = [("Old Patent Office", "OPO", None), ("New Patent Administration", "NPA", None)]
                renamed: int | None = 2005
            elif i % 4 == 0:
                renamed = self.rng.randint(1995, 2025)
                names = [
                    (f"{word} {body} {i}", f"{word[:2].upper()}{i}", None),
                    (f"{word} National {body} {i}", f"{word[:2].upper()}N{i}", None),
                ]
            else:
                renamed = None
                names = [(f"{word} {body} {i}", f"{word[:2].upper()}{i}", None)]
            org = Org(oid, names, renamed)
            self.orgs.append(org)
            spans: list[dict[str, Any]] = []
            for n, (name, abbreviation, _) in enumerate(names):
                span: dict[str, Any] = {"name": name, "abbreviation": abbreviation}
                if renamed is not None:
                    span["end" if n == 0 else "start"] = str(renamed)
                year = (renamed - 1 if n == 0 else renamed) if renamed is not None else 2010
                span["citations"] = [
                    cite(report_id(year), f"In {year}, the {name} ({abbreviation}) met the Home Office.", "Partners")
                ]
                spans.append(span)
            record: dict[str, Any] = {"id": oid, "kind": kind, "names": spans}
            if kind in ("national_office", "agency"):
                record["country"] = self.rng.choice(_COUNTRIES)
            self.organizations.append(record)

    def make_people(self, count: int) -> None:
        for j in range(count):
            pid = f"{self.p}-person-{j:03d}"
            name = f"{self.rng.choice(_FIRST)} {self.rng.choice(_LAST)}"
            org = self.orgs[1 + j % (len(self.orgs) - 1)].id
            start = self.rng.randint(1990, 2015)
            change = start + self.rng.randint(3, 10)
            roles = [
                ("director of international cooperation", start, change - 1),
                ("deputy director general", change, None),
            ]
            self.roles[pid] = roles
            entries: list[dict[str, Any]] = []
            for title, begin, end in roles:
                role: dict[str, Any] = {"title": title, "organization": org, "start": str(begin)}
                if end is not None:
                    role["end"] = str(end)
                role["citations"] = [cite(report_id(begin), f"{name}, {title}, took part.", "Delegations")]
                entries.append(role)
            attested = change + 1
            entries.append(
                {
                    "title": "deputy director general",
                    "organization": org,
                    "as_of": str(attested),
                    "citations": [cite(report_id(attested), f"{name}, deputy director general, spoke.", "Speakers")],
                }
            )
            self.people.append({"id": pid, "name": name, "roles": entries})

    def title_at(self, person: str, year: int) -> str | None:
        for title, start, end in self.roles[person]:
            if start <= year and (end is None or year <= end):
                return title
        return None

    # --- events --------------------------------------------------------------------------------
    def add_event(self, year: int, record: dict[str, Any]) -> None:
        self.events[year].append(record)
        self.event_count += 1

    def event(
        self,
        eid: str,
        title: str,
        kind: str,
        year: int,
        partners: list[Org],
        series: str | None = None,
        ordinal: int | None = None,
        date: tuple[str, str] | None = None,
    ) -> dict[str, Any]:
        text, phrase = date or self.date_in(year)
        record: dict[str, Any] = {"id": eid, "title": title, "kind": kind, "date": text}
        if len(text) == 4 and self.rng.random() < 0.5:
            record["date_basis"] = "report_year"
        if year >= 2029 and self.rng.random() < 0.3:
            record["status"] = "planned"
        if series:
            record["series"] = series
        if ordinal:
            record["ordinal"] = ordinal
        if self.rng.random() < 0.7:
            record["location"] = {"city": self.rng.choice(_CITIES), "country": self.rng.choice(_COUNTRIES)}
        parties: list[Any] = [HOME]
        for org in partners:
            # Name the renamed offices as the source does, by the name they bore that year.
            parties.append({"id": org.id, "name": org.name_at(year)} if org.renamed else org.id)
        record["parties"] = parties
        if self.rng.random() < 0.3:
            person = f"{self.p}-person-{self.rng.randrange(len(self.people)):03d}"
            title_then = self.title_at(person, year)
            record["people"] = [{"person": person, "title": title_then} if title_then else {"person": person}]
        if kind == "signing":
            record["instruments"] = [{"title": f"Memorandum of Understanding: {title}", "kind": "mou"}]
        names = " and ".join(o.name_at(year) for o in partners) or "its partners"
        citations = [cite(report_id(year), f"{phrase}, the Home Office and {names} held the {title}.", "Chapter VII")]
        if self.rng.random() < 0.25:
            citations.append(cite(news_id(year), f"{title}: the Home Office and {names} ({phrase.lower()}).", "Digest"))
        if year > YEARS[0] and self.rng.random() < 0.1:
            citations.append(cite(news_id(year - 1), f"The {title} will be held in {year}.", "Outlook", True))
        record["citations"] = citations
        return record

    def make_series(self, count: int, budget: int) -> int:
        """``count`` series of up to SERIES_LENGTH yearly events; returns the events made."""
        made = 0
        for k in range(count):
            sid = f"{self.p}-series-{k:03d}"
            partner = self.orgs[1 + self.rng.randrange(len(self.orgs) - 1)]
            kind = self.rng.choice(_SERIES_KINDS)
            numbered = k == 0 or self.rng.random() < 0.8
            name = f"{self.rng.choice(_WORDS)} {kind.title()} on IP Cooperation {k}"
            first = self.rng.randint(YEARS[0], YEARS[-1] - SERIES_LENGTH + 1)
            self.series.append(
                {
                    "id": sid,
                    "name": name,
                    "organizers": [HOME, partner.id],
                    "numbered": numbered,
                    "cadence": "annual",
                    "citations": [cite(report_id(first), f"The Home Office holds the {name} every year.", "Series")],
                }
            )
            for ordinal in range(1, SERIES_LENGTH + 1):
                if made >= budget:
                    return made
                if k == 0 and ordinal == 7:
                    continue  # the deliberate gap: the 6th and the 8th two years apart, the 7th missing
                year = first + ordinal - 1
                title = f"{_nth(ordinal)} {name}" if numbered else f"{name} {year}"
                eid = f"{sid}-{ordinal:02d}"
                record = self.event(eid, title, kind, year, [partner], sid, ordinal if numbered else None)
                self.add_event(year, record)
                made += 1
        return made

    def make_loose_events(self, count: int, taken: set[frozenset[str]]) -> None:
        """Events outside any series, each with its own set of partners (so none looks like another)."""
        partners = self.orgs[1:]
        sets = [frozenset(pair) for pair in combinations(range(len(partners)), 2)]
        sets += [frozenset(t) for t in combinations(range(min(len(partners), 12)), 3)]
        self.rng.shuffle(sets)
        sets = [s for s in sets if frozenset(partners[i].id for i in s) not in taken]
        if len(sets) < count:
            raise ValueError("block too small for its events: raise the block size")
        for j in range(count):
            chosen = [partners[i] for i in sorted(sets[j])]
            year = self.rng.choice(YEARS)
            kind = self.rng.choice(_LOOSE_KINDS)
            title = f"{kind.replace('_', ' ').title()} with " + " and ".join(o.name_at(year) for o in chosen)
            self.add_event(year, self.event(f"{self.p}-event-{j:04d}", title, kind, year, chosen))

    def make_deliberate_events(self) -> set[frozenset[str]]:
        """Events that each trigger one finding; returns the partner sets they use."""
        p, a, b, renamed = self.p, self.orgs[1], self.orgs[2], self.orgs[0]
        pair = [a, b]
        # One meeting told twice: same kind, overlapping dates, same partners.
        for suffix, date in (("dup-a", ("2012-05-10", "On 10 May 2012")), ("dup-b", ("2012-05", "In May 2012"))):
            record = self.event(f"{p}-{suffix}", "Meeting of the heads of offices", "meeting", 2012, pair, date=date)
            record.pop("people", None)
            self.add_event(2012, record)
        # An office called, in 2001, by the name it took in 2005.
        record = self.event(
            f"{p}-early-npa", "Visit of a delegation", "visit", 2001, [], date=("2001-03", "In March 2001")
        )
        record["parties"] = [HOME, {"id": renamed.id, "name": "NPA"}]
        record.pop("people", None)
        self.add_event(2001, record)
        # A title the person did not hold at that date.
        person = f"{p}-person-000"
        _, start, _ = self.roles[person][0]
        record = self.event(f"{p}-wrong-title", "Working visit", "visit", start, [a, self.orgs[3]])
        record["people"] = [{"person": person, "title": "chief wizard"}]
        self.add_event(start, record)
        # A held event dated after the report that tells it (and not marked as announced in advance).
        record = self.event(
            f"{p}-too-late", "Closing seminar", "seminar", 2015, [b, self.orgs[3]], date=("2015-06", "In June 2015")
        )
        record["citations"] = [
            cite(report_id(2013), "In June 2015, the Home Office held the Closing seminar.", "Chapter VII")
        ]
        record.pop("status", None)
        record.pop("people", None)
        self.add_event(2015, record)
        return {frozenset(o.id for o in pair), frozenset((a.id, self.orgs[3].id)), frozenset((b.id, self.orgs[3].id))}

    # --- figures -------------------------------------------------------------------------------
    def metric(self, slug: str, label: str, unit: str, kind: str) -> str:
        mid = f"{self.p}-{slug}"
        self.metrics.append({"id": mid, "label": label, "unit": unit, "kind": kind})
        return mid

    def observation(
        self,
        oid: str,
        metric: str,
        value: int,
        qualifier: str,
        when: tuple[str, str],
        source: str,
        unit: str = "count",
        label: str = "",
        subject: str | None = None,
    ) -> dict[str, Any]:
        field_name, date = when
        printed = _printed(value, qualifier, unit)
        record: dict[str, Any] = {"id": oid, "metric": metric, "value": _value(value, unit)}
        if qualifier != "exact":
            record["qualifier"] = qualifier
        record["as_reported"] = printed
        record[field_name] = date
        if subject:
            record["subject"] = subject
        where = f"in {date}" if field_name == "period" else f"as of {date}"
        what = f"{printed} {label}" if label else printed
        record["citations"] = [cite(source, f"The Home Office reported {what} {where}.", "Figures")]
        self.observations[source].append(record)
        self.observation_count += 1
        return record

    def figure_group(self, g: int, kind: str) -> int:
        """One metric and its observations, none of which disagree; returns how many were made."""
        rng, p = self.rng, self.p
        start = rng.randint(YEARS[0], YEARS[-1] - 5)
        qualifier = rng.choice(list(_QUALIFIERS))
        base = rng.randint(20, 90_000)
        if kind in ("flow", "money"):
            unit = "cny" if kind == "money" else "count"
            label = "spent on cooperation projects" if kind == "money" else "cooperation projects"
            mid = self.metric(f"m{g:03d}-{kind}", f"Cooperation projects ({kind} {g})", unit, "flow")
            for k in range(4):  # four years, each from that year's report
                year = start + k
                self.observation(
                    f"{p}.m{g:03d}.{k}",
                    mid,
                    base + 7 * k,
                    qualifier,
                    ("period", str(year)),
                    report_id(year),
                    unit,
                    label,
                )
            # The news digest repeats the first year's figure, in the same words: they agree.
            self.observation(
                f"{p}.m{g:03d}.r", mid, base, qualifier, ("period", str(start)), news_id(start), unit, label
            )
            return 5
        if kind in ("stock", "ratio", "cumulative"):
            unit = "percent" if kind == "ratio" else "count"
            if kind == "ratio":
                base = rng.randint(0, 1000)
            mid = self.metric(f"m{g:03d}-{kind}", f"Offices in the network ({kind} {g})", unit, kind)
            for k in range(5):  # five years apart: a stock or ratio at different dates is not compared
                year = start + k
                date, _ = self.date_in(year)
                value = base if kind == "cumulative" else rng.randint(0, 1000) if kind == "ratio" else base + 3 * k
                q = qualifier if kind == "cumulative" else rng.choice(list(_QUALIFIERS))
                self.observation(f"{p}.m{g:03d}.{k}", mid, value, q, ("as_of", date), report_id(year), unit, "offices")
            return 5
        # Parts within a whole: three origins of applications, and their total.
        year = start
        whole = self.metric(f"m{g:03d}-total", f"Applications from abroad ({g})", "count", "flow")
        parts = self.metric(f"m{g:03d}-by-origin", f"Applications from abroad by origin ({g})", "count", "flow")
        total = base + 1000
        self.observation(
            f"{p}.m{g:03d}.total", whole, total, "exact", ("period", str(year)), report_id(year), label="applications"
        )
        ids = []
        for k, country in enumerate(("Japan", "United States", "South Korea")):
            oid = f"{p}.m{g:03d}.{k}"
            ids.append(oid)
            share = total // (4 + k)
            self.observation(
                oid,
                parts,
                share,
                "exact",
                ("period", str(year)),
                report_id(year),
                label="applications",
                subject=country,
            )
        self.relations.append({"id": f"{p}-r{g:03d}", "kind": "part_of", "parts": ids, "whole": f"{p}.m{g:03d}.total"})
        return 4

    def make_figures(self, budget: int) -> None:
        kinds = ("flow", "stock", "ratio", "cumulative", "money", "parts")
        g = 0
        while budget >= 5:
            budget -= self.figure_group(g, kinds[g % len(kinds)])
            g += 1
        for k in range(budget):  # the remainder: single figures, each of its own metric
            year = self.rng.choice(YEARS)
            mid = self.metric(f"m{g:03d}-{k}-single", f"Visits received ({g}.{k})", "count", "stock")
            when = ("as_of", self.date_in(year)[0])
            self.observation(f"{self.p}.m{g:03d}.{k}", mid, self.rng.randint(1, 500), "exact", when, report_id(year))

    def make_deliberate_figures(self) -> None:
        p = self.p
        # A stock stated two ways on the same day by two sources: a conflict.
        mid = self.metric("x-stock", "Examiners on loan", "count", "stock")
        self.observation(f"{p}.x-stock.a", mid, 1234, "exact", ("as_of", "2010-06-30"), report_id(2010))
        self.observation(f"{p}.x-stock.b", mid, 1321, "exact", ("as_of", "2010-06-30"), news_id(2010))
        # A cumulative count that shrank: a conflict.
        mid = self.metric("x-shrink", "Partner offices since 1990", "count", "cumulative")
        self.observation(f"{p}.x-shrink.a", mid, 1500, "exact", ("as_of", "2011-03"), report_id(2011))
        self.observation(f"{p}.x-shrink.b", mid, 1400, "exact", ("as_of", "2012-03"), report_id(2012))
        # A flow stated two ways, settled by a ruling: a conflict, as info.
        mid = self.metric("x-settled", "Trainees", "count", "flow")
        self.observation(f"{p}.x-settled.a", mid, 2000, "exact", ("period", "2014"), report_id(2014))
        self.observation(f"{p}.x-settled.b", mid, 2100, "exact", ("period", "2014"), news_id(2014))
        self.rulings.append(
            {
                "id": f"{p}-ruling-trainees",
                "observations": [f"{p}.x-settled.a", f"{p}.x-settled.b"],
                "decision": "prefer",
                "prefer": f"{p}.x-settled.a",
                "reason": "The annual report counts trainees at the end of the year; the digest rounds up.",
                "citations": [cite(report_id(2014), "The Home Office trained 2,000 people in 2014.", "Training")],
            }
        )
        # Two floors of one stock on one day: compatible, and a ruling says both stand.
        mid = self.metric("x-floors", "Participants", "count", "stock")
        self.observation(f"{p}.x-floors.a", mid, 1200, "more_than", ("as_of", "2016-09"), report_id(2016))
        self.observation(f"{p}.x-floors.b", mid, 1300, "more_than", ("as_of", "2016-09"), news_id(2016))
        self.rulings.append(
            {
                "id": f"{p}-ruling-floors",
                "observations": [f"{p}.x-floors.a", f"{p}.x-floors.b"],
                "decision": "both_stand",
                "reason": "Both are floors; the digest counts late registrations too.",
            }
        )
        # A cumulative count rising: a growth warning for each step between neighbours in time.
        mid = self.metric("x-growth", "PPH partners", "count", "cumulative")
        for k, value in enumerate((17, 18, 21)):
            self.observation(f"{p}.x-growth.{k}", mid, value, "exact", ("as_of", str(2018 + k)), report_id(2018 + k))
        # Parts larger than their whole.
        whole = self.metric("x-whole", "Joint projects", "count", "flow")
        part = self.metric("x-part", "Joint projects by partner", "count", "flow")
        self.observation(f"{p}.x-whole", whole, 100, "exact", ("period", "2019"), report_id(2019))
        for k, (subject, value) in enumerate((("Japan", 60), ("Korea", 70))):
            self.observation(
                f"{p}.x-part.{k}", part, value, "exact", ("period", "2019"), report_id(2019), subject=subject
            )
        self.relations.append(
            {
                "id": f"{p}-x-parts",
                "kind": "part_of",
                "parts": [f"{p}.x-part.0", f"{p}.x-part.1"],
                "whole": f"{p}.x-whole",
            }
        )


def make_block(number: int, events: int, seed: int) -> Block:
    if events < 100:
        raise ValueError(f"a block needs at least 100 events (got {events})")
    # A string seed is hashed with SHA-512 by random.Random: stable across runs and Python builds.
    block = Block(number, random.Random(f"ipcoop-bench:{seed}:{number}"))
    block.make_orgs(max(12, events // 25))
    block.make_people(max(4, events // 50))
    taken = block.make_deliberate_events()
    series_events = block.make_series(max(2, events // 20), int(events * 0.7))
    block.make_loose_events(events - block.event_count, taken)
    block.make_deliberate_figures()
    block.make_figures(events - block.observation_count)
    assert block.event_count == events and block.observation_count == events, (block.event_count, series_events)
    return block


# --- the whole dataset ----------------------------------------------------------------------------


def _home() -> dict[str, Any]:
    return {
        "id": HOME,
        "kind": "national_office",
        "country": "CN",
        "names": [
            {
                "name": "Home Office",
                "citations": [cite(report_id(1990), "The Home Office is the national IP office.", "Foreword")],
            }
        ],
    }


def generate(events: int, out: Path, seed: int = 0, block: int = BLOCK) -> None:
    """Write a dataset of ``events`` events (and as many observations) to ``out``, replacing it."""
    sizes = [block] * (events // block) + ([events % block] if events % block else [])
    blocks = [make_block(n, size, seed) for n, size in enumerate(sizes)]
    if out.exists():
        shutil.rmtree(out)
    (out / "events").mkdir(parents=True)
    (out / "observations").mkdir()

    def write(name: str, records: list[dict[str, Any]], header: str) -> None:
        (out / name).write_text(dump(records, header), encoding="utf-8")

    made = f"synthetic: {events} events, seed {seed}, blocks of {block} (bench/generate.py)"
    write("sources.yaml", sources(), f"Sources, {made}")
    write("organizations.yaml", [_home()] + [r for b in blocks for r in b.organizations], f"Organizations, {made}")
    write("people.yaml", [r for b in blocks for r in b.people], f"People, {made}")
    write("series.yaml", [r for b in blocks for r in b.series], f"Series, {made}")
    write("metrics.yaml", [r for b in blocks for r in b.metrics], f"Metrics, {made}")
    write("rulings.yaml", [r for b in blocks for r in b.rulings], f"Rulings, {made}")
    write("relations.yaml", [r for b in blocks for r in b.relations], f"Relations, {made}")
    for year in YEARS:
        records = [r for b in blocks for r in b.events.get(year, [])]
        if records:
            write(f"events/{year}.yaml", records, f"Events of {year}, {made}")
    for source in sorted({s for b in blocks for s in b.observations}):
        records = [r for b in blocks for r in b.observations.get(source, [])]
        write(f"observations/{source}.yaml", records, f"Figures stated by {source}, {made}")


def expected_findings(events: int, block: int = BLOCK) -> dict[tuple[str, str], int]:
    """(code, severity) -> count that validating a generated dataset reports (all blocks full)."""
    if events % block:
        raise ValueError("expected findings are known for whole blocks only")
    return {key: n * (events // block) for key, n in EXPECTED_PER_BLOCK.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--events", type=int, required=True, help="number of events (and of observations)")
    parser.add_argument("--out", type=Path, required=True, help="dataset directory to write (replaced)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--block", type=int, default=BLOCK, help=f"events per block (default {BLOCK})")
    args = parser.parse_args()
    generate(args.events, args.out, args.seed, args.block)
    print(f"wrote {args.events} events and observations to {args.out}")


if __name__ == "__main__":
    main()
