"""Which words carry a fact: quotes compared as the checks compare them, the citation that prints a
figure, and whether a quote names a country.

One rule each, shared by the provenance checks and the pandas views, so that the quote a frame
shows for a figure is the one the checks found it in.
"""

from __future__ import annotations

import re
from functools import cache

from ipcoop_data.analysis.printed import normalize_quote
from ipcoop_data.model.countries import COUNTRY_ALIASES, COUNTRY_NAMES
from ipcoop_data.model.records import Citation, Observation

__all__ = ["country_forms", "figure_citation", "names_country", "normalize_quote"]


def figure_citation(obs: Observation) -> Citation | None:
    """The first citation whose quote prints the figure (``as_reported``), or None when none does.

    A figure is often cited twice, once for its context and once for the number: the second
    quote of ``feature2024.bri-pph-partners`` is the one that says "18"."""
    printed = normalize_quote(obs.as_reported)
    return next((c for c in obs.citations if printed in normalize_quote(c.quote)), None)


def country_forms(code: str) -> tuple[str, ...]:
    """The words that name a country in a quote: its English short name and the other names and
    adjectives the sources use for it ("UK", "Czech Republic", "Korea", "Chinese")."""
    name = COUNTRY_NAMES.get(code)
    return ((name,) if name else ()) + COUNTRY_ALIASES.get(code, ())


@cache
def _country_pattern(code: str) -> re.Pattern[str] | None:
    forms = sorted(country_forms(code), key=len, reverse=True)
    if not forms:
        return None
    # Whole words only, and case as printed: "US" is the country, "us" is not; "Niger" is not in
    # "Nigeria". A hyphen is a boundary, so "China-France" names France.
    return re.compile(r"(?<![A-Za-z])(?:" + "|".join(re.escape(f) for f in forms) + r")(?![A-Za-z])")


def names_country(text: str, code: str) -> bool:
    """True when ``text`` names the country ``code`` by one of :func:`country_forms`."""
    pattern = _country_pattern(code)
    return pattern is not None and pattern.search(normalize_quote(text)) is not None
