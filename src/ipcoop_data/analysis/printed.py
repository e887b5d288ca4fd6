"""Reading figures as printed: "more than 1,300", "4.425 million", "72.8%", "two", "a full 23 places".

Used to check that an observation's value is the number its source printed, and that its
qualifier matches the words around it.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

_MULTIPLIERS = {
    "thousand": Decimal(10) ** 3,
    "million": Decimal(10) ** 6,
    "billion": Decimal(10) ** 9,
    "trillion": Decimal(10) ** 12,
}
_WORDS = {
    word: Decimal(n)
    for n, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
}
_WORDS.update(
    {
        w: Decimal(n)
        for w, n in (
            ("thirty", 30),
            ("forty", 40),
            ("fifty", 50),
            ("sixty", 60),
            ("seventy", 70),
            ("eighty", 80),
            ("ninety", 90),
            ("hundred", 100),
            ("dozen", 12),
        )
    }
)
_ORDINALS = {
    w: Decimal(n)
    for n, w in enumerate("zeroth first second third fourth fifth sixth seventh eighth ninth tenth".split())
    if n
}
_NUMBER = re.compile(
    r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?:\s*(thousand|million|billion|trillion))?"
    r"(?:\s*(?:hundred\s+million))?",
)
_HUNDRED_MILLION = re.compile(r"^\s*hundred\s+million")
_WORD = re.compile(r"[a-z]+")

#: Phrases that imply a qualifier, longest first so "more than" wins over "more".
QUALIFIER_PHRASES: tuple[tuple[str, str], ...] = (
    ("no less than", "at_least"),
    ("not less than", "at_least"),
    ("in excess of", "more_than"),
    ("more than", "more_than"),
    ("exceeding", "more_than"),
    ("exceeded", "more_than"),
    ("over", "more_than"),
    ("above", "more_than"),
    ("at least", "at_least"),
    ("approximately", "about"),
    ("around", "about"),
    ("roughly", "about"),
    ("about", "about"),
    ("some", "about"),
    ("nearly", "nearly"),
    ("almost", "nearly"),
    ("close to", "nearly"),
    ("up to", "up_to"),
    ("less than", "less_than"),
    ("fewer than", "less_than"),
    ("under", "less_than"),
)


def normalize(text: str) -> str:
    """Fold the typographic differences that copy-and-paste introduces."""
    if text.isascii():  # NFKC leaves ASCII as it is, and every character replaced below is not ASCII
        return text
    text = unicodedata.normalize("NFKC", text)
    return (
        text.replace("\u2019", "'")
        .replace("\u2018", "'")
        .replace("\u201c", '"')
        .replace("\u201d", '"')
        .replace("\u2013", "-")
        .replace("\u2014", "-")
        .replace("\u2011", "-")
        .replace("\u2212", "-")
    )


def normalize_quote(text: str) -> str:
    """The one form in which quotes and source texts are compared: typography folded (``normalize``),
    white space collapsed, and the ``*`` emphasis marks of the source texts removed."""
    # Markdown emphasis (*title*) in the source texts is formatting, not words. str.split() splits
    # at exactly the characters that the pattern \s matches (str.isspace), three times faster.
    return " ".join(normalize(text).replace("*", "").split())


def numbers(text: str) -> list[Decimal]:
    """Every number in ``text`` as its value: "4.425 million" -> 4425000, "1,300" -> 1300."""
    text = normalize(text).lower()
    found: list[Decimal] = []
    for match in _NUMBER.finditer(text):
        digits, fraction, multiplier = match.group(1), match.group(2) or "", match.group(3)
        try:
            value = Decimal(digits.replace(",", "") + fraction)
        except InvalidOperation:  # pragma: no cover - the regex admits only digits
            continue
        if multiplier:
            value *= _MULTIPLIERS[multiplier]
        if _HUNDRED_MILLION.match(text[match.end(3) if multiplier else match.end(2) if fraction else match.end(1) :]):
            value *= Decimal(10) ** 8
        found.append(value)
    for word in _WORD.findall(text):
        if word in _WORDS:
            found.append(_WORDS[word])
        elif word in _ORDINALS:
            found.append(_ORDINALS[word])
    return found


def qualifier_of(text: str) -> str | None:
    """The qualifier that the words of ``text`` imply, or None when they imply none."""
    words = f" {normalize(text).lower()} "
    for phrase, qualifier in QUALIFIER_PHRASES:
        if f" {phrase} " in words:
            return qualifier
    return None
