"""Schema family: what loading found (YAML syntax, duplicate keys, types, enums, fields)."""

from __future__ import annotations

from collections.abc import Iterable

from ..findings import Finding
from .context import Context


def check(ctx: Context) -> Iterable[Finding]:
    return list(ctx.dataset.load_findings)
