"""Schema family: what reading the files found (YAML syntax, duplicate keys, types, enums, fields).

The reader hands these over with the records (``read.loaded.Loaded``); ``validate`` puts them in
the context, and this family reports them in the run's order of families.
"""

from __future__ import annotations

from collections.abc import Iterable

from ipcoop_data.checks.context import Context
from ipcoop_data.report.findings import Finding


def check(ctx: Context) -> Iterable[Finding]:
    return list(ctx.read_findings)
