"""Schema family: what loading found (YAML syntax, duplicate keys, types, enums, fields)."""

from __future__ import annotations

from collections.abc import Iterable

from ipcoop_data.checks.context import Context
from ipcoop_data.report.findings import Finding


def check(ctx: Context) -> Iterable[Finding]:
    return list(ctx.dataset.load_findings)
