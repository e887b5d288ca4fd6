from __future__ import annotations

import fnmatch
import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from check_jsonschema import main as check_jsonschema_main
from click.testing import CliRunner

from ipcoop_data import load, read_dataset
from ipcoop_data.export.jsonschema import all_schemas, stale_schemas
from ipcoop_data.model.records import RECORD_TYPES
from ipcoop_data.read.jsondoc import record_document
from ipcoop_data.read.load import LAYOUT

from .conftest import DATASET, REPO


def test_committed_schemas_match_fresh_output() -> None:
    assert stale_schemas(REPO / "schemas") == [], "run: ipcoop schema --out schemas/"
    committed = {p.name for p in (REPO / "schemas").glob("*.schema.json")}
    assert committed == set(all_schemas())


@pytest.mark.parametrize("name", sorted(all_schemas()))
def test_schemas_are_valid_draft_2020_12(name: str) -> None:
    schema = json.loads((REPO / "schemas" / name).read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].endswith(name)
    jsonschema.Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("record_type", sorted(RECORD_TYPES))
def test_every_field_says_what_it_is_for_an_editors_hover(record_type: str) -> None:
    # yaml-language-server shows a property's description on hover and in completion: a field
    # without one shows its bare type, and the data dictionary is then only in the README.
    schema = json.loads((REPO / "schemas" / f"{record_type}.schema.json").read_text(encoding="utf-8"))
    objects = {record_type: schema, **{name: d for name, d in schema.get("$defs", {}).items() if "properties" in d}}
    bare = [
        f"{owner}.{field}"
        for owner, definition in objects.items()
        for field, prop in definition["properties"].items()
        if not prop.get("description")
    ]
    assert bare == [], "give these fields a description in model/records.py, then run: ipcoop schema --out schemas/"


def test_every_bundled_record_validates_against_its_schema() -> None:
    dataset = load()
    validators = {rt: jsonschema.Draft202012Validator(all_schemas()[f"{rt}.schema.json"]) for rt in RECORD_TYPES}
    for record_type, record in dataset.records():
        data = record.model_dump(mode="json", exclude_none=True)
        errors = list(validators[record_type].iter_errors(data))
        assert not errors, (record_type, getattr(record, "id", ""), errors[0].message)


def test_schema_rejects_what_the_loader_rejects() -> None:
    validator = jsonschema.Draft202012Validator(all_schemas()["event.schema.json"])
    bad = {"id": "x", "title": "T", "kind": "meeting", "date": "17-05", "citations": [], "titel": "y"}
    messages = " ".join(e.message for e in validator.iter_errors(bad))
    assert "does not match" in messages and "titel" in messages
    assert record_document  # the export form is covered in test_json_export


# --- the dataset files against their schemas, with check-jsonschema (an independent validator) --


def check_jsonschema(schema: Path, *files: Path) -> dict[str, Any]:
    """Run check-jsonschema's own command line (in process) and return its JSON report."""
    result = CliRunner().invoke(
        check_jsonschema_main, ["--output-format", "json", "--schemafile", str(schema), *map(str, files)]
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    report: dict[str, Any] = json.loads(result.stdout)
    report["exit_code"] = result.exit_code
    return report


def file_schema_of(relative: str) -> Path:
    """The file schema of a dataset file, by the loader's own layout."""
    for record_type, pattern in LAYOUT:
        if fnmatch.fnmatch(relative, pattern):
            return REPO / "schemas" / f"{record_type}-file.schema.json"
    raise AssertionError(f"{relative} is not in the layout")


def test_every_bundled_dataset_file_passes_check_jsonschema() -> None:
    files = sorted(DATASET.rglob("*.yaml"))
    by_schema: dict[Path, list[Path]] = {}
    for path in files:
        by_schema.setdefault(file_schema_of(path.relative_to(DATASET).as_posix()), []).append(path)
    assert {p.name for p in by_schema} == {f"{rt}-file.schema.json" for rt in RECORD_TYPES}, "every file type"
    for schema, paths in by_schema.items():
        report = check_jsonschema(schema, *paths)
        assert report["exit_code"] == 0 and report["status"] == "ok", (schema.name, report)


def bundled_record(relative: str, record_id: str) -> str:
    """The text of one record of a bundled file, as the curators wrote it (from '- id:' to the next)."""
    lines = (DATASET / relative).read_text(encoding="utf-8").splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.rstrip() == f"- id: {record_id}")
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("- ")), len(lines))
    return "".join(lines[start:end])


def edit(text: str, old: str, new: str) -> str:
    """Replace the one match of ``old`` (a regex, ``^`` at each line) by ``new`` (``<line>``: what matched)."""
    changed, count = re.subn(old, lambda match: new.replace("<line>", match.group(0)), text, flags=re.MULTILINE)
    assert count == 1, f"{old!r} matched {count} times in:\n{text}"
    return changed


def load_errors(root: Path) -> list[str]:
    return [f"{f.code}: {f.message}" for f in read_dataset(root).findings if f.severity == "error"]


EVENT = ("events/2017.yaml", "2017-05-belt-and-road-forum")
SOURCE = ("sources.yaml", "cnipa-annual-report-2022-ch7")
ORGANIZATION = ("organizations.yaml", "cnipa")
OBSERVATION = ("observations/sipo-annual-report-2017-ch7.yaml", "ar2017.cooperation-documents-signed")
METRIC = ("metrics.yaml", "bri-ip-cooperation-agreement-partners")
RULING = ("rulings.yaml", "ge-shu-patent-office-title")
PART_OF = ("relations.yaml", "foreign-applications-top-origins-within-total")
DURATION = ("relations.yaml", "open-license-pilot-length")

DATE, TITLE, VALUE = r'^  date: "2017-05"$', r"^  title: .*$", r"^  value: 52$"

#: One broken record per rule: (name, file and record, line to change, replacement, the loader's
#: code, check-jsonschema's path). Each starts from a real bundled record that both accept.
BROKEN = [
    ("month 13", EVENT, DATE, '  date: "2017-13"', "invalid-date", "$[0].date"),
    ("day 32", EVENT, DATE, '  date: "2017-02-32"', "invalid-date", "$[0].date"),
    ("29 February of 2017", EVENT, DATE, '  date: "2017-02-29"', "invalid-date", "$[0].date"),
    ("31 April", EVENT, DATE, '  date: "2017-04-31"', "invalid-date", "$[0].date"),
    ("29 February 2100", EVENT, DATE, '  date: "2100-02-29"', "invalid-date", "$[0].date"),
    ("year 1800", EVENT, DATE, '  date: "1800"', "invalid-date", "$[0].date"),
    ("year 2200", EVENT, DATE, '  date: "2200-01"', "invalid-date", "$[0].date"),
    ("one-digit month", EVENT, DATE, '  date: "2017-5"', "invalid-date", "$[0].date"),
    ("uncertain date", EVENT, DATE, '  date: "2017-05?"', "invalid-date", "$[0].date"),
    ("approximate date", EVENT, DATE, '  date: "2017-05~"', "invalid-date", "$[0].date"),
    ("open interval", EVENT, DATE, '  date: "2017-05/.."', "invalid-date", "$[0].date"),
    ("bad end of interval", EVENT, DATE, '  date: "2017-05/2017-13"', "invalid-date", "$[0].date"),
    ("bad id", EVENT, r"^- id: .*$", "- id: 2017-05-Belt-and-Road-Forum", "invalid-value", "$[0].id"),
    ("unknown enum", EVENT, r"^  kind: forum$", "  kind: gathering", "invalid-value", "$[0].kind"),
    ("unknown field", EVENT, r"^  title:", "  titel:", "unknown-field", "$[0]"),
    (
        "unknown nested field",
        EVENT,
        r'^      quote: "In May,',
        '      qoute: "In May,',
        "unknown-field",
        "$[0].citations[0]",
    ),
    ("blank title", EVENT, TITLE, '  title: "   "', "invalid-value", "$[0].title"),
    ("control character", EVENT, TITLE, '  title: "Belt and Road\\a"', "invalid-character", "$[0].title"),
    ("value too long", EVENT, TITLE, f"  title: {'x' * 32_768}", "value-too-long", "$[0].title"),
    ("ordinal 0", EVENT, r"^  series: .*$", "<line>\n  ordinal: 0", "invalid-value", "$[0].ordinal"),
    ("ftp URL", SOURCE, r"^  kind: .*$", "<line>\n  url: ftp://example.org/r.pdf", "invalid-value", "$[0].url"),
    ("URL with a space", SOURCE, r"^  kind: .*$", '<line>\n  url: "https://a.org/x y"', "invalid-value", "$[0].url"),
    (
        "sha256 in capitals",
        SOURCE,
        r"^  text_sha256: .*$",
        f"  text_sha256: {'A' * 64}",
        "invalid-value",
        "$[0].text_sha256",
    ),
    ("text in a folder", SOURCE, r"^  text: .*$", "  text: ../secret.txt", "invalid-value", "$[0].text"),
    ("country XX", ORGANIZATION, r"^  country: CN$", "  country: XX", "invalid-value", "$[0].country"),
    ("national office without country", ORGANIZATION, r"^  country: CN\n", "", "invalid-value", "$[0]"),
    ("ST.3 code ZZ", ORGANIZATION, r"^  country: CN$", "<line>\n  st3: ZZ", "invalid-value", "$[0].st3"),
    ("figure with 16 digits", OBSERVATION, VALUE, "  value: 1234567890123456", "invalid-value", "$[0].value"),
    ("figure string of 16", OBSERVATION, VALUE, '  value: "1234567.890123456"', "invalid-value", "$[0].value"),
    ("figure with exponent", OBSERVATION, VALUE, '  value: "5.2e1"', "invalid-value", "$[0].value"),
    ("figure with comma", OBSERVATION, VALUE, '  value: "1,052"', "invalid-value", "$[0].value"),
    ("unknown qualifier", OBSERVATION, VALUE, "<line>\n  qualifier: roughly", "invalid-value", "$[0].qualifier"),
    ("as_of and period", OBSERVATION, r'^  period: "2017"$', '<line>\n  as_of: "2017"', "invalid-value", "$[0].period"),
    ("neither as_of nor period", OBSERVATION, r'^  period: "2017"\n', "", "invalid-value", "$[0]"),
    ("negative tolerance", METRIC, r"^  kind: .*$", "<line>\n  tolerance: -0.1", "invalid-value", "$[0].tolerance"),
    ("duration of nothing", DURATION, r"^  of_event: .*\n", "", "invalid-value", "$[0]"),
    ("prefer without prefer", RULING, r"^  decision: .*$", "  decision: prefer", "invalid-value", "$[0]"),
    ("ruling settling nothing", RULING, r"^  finding: .*\n", "", "invalid-value", "$[0]"),
    ("part_of without whole", PART_OF, r"^  whole: .*\n", "", "invalid-value", "$[0]"),
    ("part_of with no parts", PART_OF, r"^  parts:\n(    - .*\n)+", "  parts: []\n", "invalid-value", "$[0].parts"),
    (
        "duration of two things",
        DURATION,
        r"^  of_event: .*$",
        "<line>\n  of_observation: x",
        "invalid-value",
        "$[0].of_observation",
    ),
]

#: Edge cases both must accept: the schema must not be stricter than the loader where it can help it.
ACCEPTED = [
    ("leap day 2000", EVENT, DATE, '  date: "2000-02-29"'),
    ("leap day 2196", EVENT, DATE, '  date: "2196-02-29"'),
    ("first and last years", EVENT, DATE, '  date: "1901/2199-12-31"'),
    ("interval of two precisions", EVENT, DATE, '  date: "2017-05/2017-06-20"'),
    ("tab and line feed in text", EVENT, TITLE, '  title: "Belt and\\tRoad\\nForum"'),
    ("longest value", EVENT, TITLE, f"  title: {'x' * 32_767}"),
    ("15 digits and leading zeros", OBSERVATION, VALUE, '  value: "000123456789012.345"'),
    ("15 digits of fraction", OBSERVATION, VALUE, '  value: "-0.000000000000001"'),
    ("largest figure as a number", OBSERVATION, VALUE, "  value: 999999999999999"),
    ("https URL", SOURCE, r"^  kind: .*$", "<line>\n  url: https://example.org/r?id=1#p"),
]


def write_one(tmp_path: Path, where: tuple[str, str], text: str) -> Path:
    path = tmp_path / "datasets" / where[0]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("where", sorted({case[1] for case in BROKEN + ACCEPTED}))
def test_the_records_the_broken_cases_start_from_pass_both(tmp_path: Path, where: tuple[str, str]) -> None:
    path = write_one(tmp_path, where, bundled_record(*where))
    assert load_errors(tmp_path / "datasets") == []
    report = check_jsonschema(file_schema_of(where[0]), path)
    assert report["status"] == "ok", report


@pytest.mark.parametrize(
    ("where", "old", "new", "code", "json_path"), [case[1:] for case in BROKEN], ids=[case[0] for case in BROKEN]
)
def test_the_loader_and_check_jsonschema_both_reject(
    tmp_path: Path, where: tuple[str, str], old: str, new: str, code: str, json_path: str
) -> None:
    path = write_one(tmp_path, where, edit(bundled_record(*where), old, new))
    errors = load_errors(tmp_path / "datasets")
    assert any(e.startswith(f"{code}: ") for e in errors), errors
    report = check_jsonschema(file_schema_of(where[0]), path)
    assert report["exit_code"] == 1 and report["parse_errors"] == [], report
    assert json_path in {e["path"] for e in report["errors"]}, report["errors"]


@pytest.mark.parametrize(("where", "old", "new"), [case[1:] for case in ACCEPTED], ids=[case[0] for case in ACCEPTED])
def test_the_loader_and_check_jsonschema_both_accept(
    tmp_path: Path, where: tuple[str, str], old: str, new: str
) -> None:
    path = write_one(tmp_path, where, edit(bundled_record(*where), old, new))
    assert load_errors(tmp_path / "datasets") == []
    report = check_jsonschema(file_schema_of(where[0]), path)
    assert report["status"] == "ok", report


#: Where the two differ, as the README says: forms only the loader tells apart (the schema sees
#: the number YAML made of them), and unquoted values where text is due (the schema is stricter).
ONLY_THE_LOADER_REFUSES = [
    ("exponent", OBSERVATION, VALUE, "  value: 1e5"),
    ("16 digits with a fraction", OBSERVATION, VALUE, "  value: 1.234567890123456"),
    ("interval that ends before it starts", EVENT, DATE, '  date: "2017-05-20/2017-05"'),
]
ONLY_THE_SCHEMA_REFUSES = [
    ("unquoted date", EVENT, DATE, "  date: 2017"),
    ("unquoted number as text", OBSERVATION, r'^  as_reported: "52"$', "  as_reported: 52"),
]


@pytest.mark.parametrize(
    ("where", "old", "new"), [c[1:] for c in ONLY_THE_LOADER_REFUSES], ids=[c[0] for c in ONLY_THE_LOADER_REFUSES]
)
def test_what_only_the_loader_refuses(tmp_path: Path, where: tuple[str, str], old: str, new: str) -> None:
    path = write_one(tmp_path, where, edit(bundled_record(*where), old, new))
    assert load_errors(tmp_path / "datasets") != []
    assert check_jsonschema(file_schema_of(where[0]), path)["status"] == "ok"


@pytest.mark.parametrize(
    ("where", "old", "new"), [c[1:] for c in ONLY_THE_SCHEMA_REFUSES], ids=[c[0] for c in ONLY_THE_SCHEMA_REFUSES]
)
def test_what_only_the_schema_refuses(tmp_path: Path, where: tuple[str, str], old: str, new: str) -> None:
    path = write_one(tmp_path, where, edit(bundled_record(*where), old, new))
    assert load_errors(tmp_path / "datasets") == []
    assert check_jsonschema(file_schema_of(where[0]), path)["status"] == "fail"
