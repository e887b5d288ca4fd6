"""The README's data dictionary documents every field of every record type."""

from __future__ import annotations

import re

from ipcoop_data.model.records import RECORD_TYPES, Citation, fields_of

from .conftest import REPO


def test_data_dictionary_lists_every_field() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    dictionary = readme.split("## Data dictionary", 1)[1].split("\n## ", 1)[0]
    sections = dict(re.findall(r"### (\w+)[^\n]*\n(.*?)(?=\n### |\Z)", dictionary, flags=re.S))
    for model in [Citation, *RECORD_TYPES.values()]:
        assert model.__name__ in sections, f"no section for {model.__name__}"
        documented = set(re.findall(r"^\| `(\w+)`", sections[model.__name__], flags=re.M))
        assert set(fields_of(model)) <= documented, (model.__name__, set(fields_of(model)) - documented)


def test_readme_counts_match_the_bundled_dataset() -> None:
    from ipcoop_data import load
    from ipcoop_data.analysis.stats import stats_table

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    shown = readme.split("What it holds today (`ipcoop stats`):\n\n```\n", 1)[1].split("```", 1)[0]
    assert shown == stats_table(load()), "update the README's 'What it holds today' block from `ipcoop stats`"


def _questions_section() -> str:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    return readme.split("### Questions in a line\n", 1)[1].split("\n## ", 1)[0]


def test_questions_in_a_line_print_what_the_readme_shows() -> None:
    """Each Python block of "Questions in a line", run in turn, prints the text block after it."""
    import contextlib
    import io

    pairs = re.findall(r"```python\n(.*?)```\n\n```text\n(.*?)```", _questions_section(), flags=re.S)
    assert len(pairs) >= 4, "the section lost its examples"
    namespace: dict[str, object] = {}
    for code, shown in pairs:
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            exec(compile(code, "README.md", "exec"), namespace)
        assert printed.getvalue() == shown, code
    # the answers are the ones the README promises, on the bundled data
    france = set(namespace["france"].id)  # type: ignore[attr-defined]
    assert {
        "2022-china-france-high-level-economic-financial-dialogue",
        "2017-06-china-france-joint-committee-patents-30",
    } <= france
