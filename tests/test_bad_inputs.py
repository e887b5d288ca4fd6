"""Each bad input gets a clear message naming file, line and record, and a non-zero exit."""

from __future__ import annotations

from pathlib import Path

import pytest

from ipcoop_data import DatasetLoadError, load, read_dataset
from ipcoop_data.checks import validate as validate_dataset
from ipcoop_data.cli import main

from .conftest import GOOD_EVENT, MakeDataset


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def validate(capsys: pytest.CaptureFixture[str], root: Path, *extra: str) -> tuple[int, str]:
    code, out, err = run(capsys, "validate", "--dataset", str(root), *extra)
    assert "Traceback" not in out + err
    return code, out + err


def test_a_good_small_dataset_is_clean(capsys: pytest.CaptureFixture[str], make_dataset: MakeDataset) -> None:
    code, out = validate(capsys, make_dataset({"events/2017.yaml": GOOD_EVENT}))
    assert code == 0, out
    assert "OK: 0 errors, 0 warnings" in out


@pytest.mark.parametrize(
    ("name", "files", "exit_code", "expected"),
    [
        (
            "malformed YAML",
            {"events/2017.yaml": GOOD_EVENT + "- id: [unclosed\n"},
            2,
            ["events/2017.yaml", "9", "yaml-syntax", "started on line 8"],
        ),
        (
            "duplicated key",
            {"events/2017.yaml": GOOD_EVENT.replace("  kind: meeting\n", "  kind: meeting\n  title: Again\n")},
            1,
            ["events/2017.yaml", "4", "yaml-duplicate-key", "2017-05-heads-3", "'title' on lines 2 and 4"],
        ),
        (
            "unknown field",
            {"events/2017.yaml": GOOD_EVENT.replace("  title:", "  titel:")},
            1,
            ["events/2017.yaml", "2", "unknown-field", "2017-05-heads-3", "did you mean 'title'?"],
        ),
        (
            "wrong type",
            {"events/2017.yaml": GOOD_EVENT.replace("  kind: meeting\n", "  kind: meeting\n  ordinal: third\n")},
            1,
            ["events/2017.yaml", "4", "wrong-type", "2017-05-heads-3", "ordinal"],
        ),
        (
            "missing required field",
            {"events/2017.yaml": GOOD_EVENT.replace("  kind: meeting\n", "")},
            1,
            ["events/2017.yaml", "1", "missing-field", "2017-05-heads-3", "'kind' is missing"],
        ),
        (
            "impossible date",
            {"events/2017.yaml": GOOD_EVENT.replace('"2017-05"', '"2017-02-30"')},
            1,
            ["events/2017.yaml", "4", "invalid-date", "2017-05-heads-3", "February 2017 has no day 30"],
        ),
        (
            "end before start (interval)",
            {"events/2017.yaml": GOOD_EVENT.replace('"2017-05"', '"2017-05-20/2017-05-18"')},
            1,
            ["events/2017.yaml", "4", "end-before-start", "2017-05-heads-3"],
        ),
        (
            "end before start (role)",
            {
                "people.yaml": """\
                - id: jane-doe
                  name: Jane Doe
                  roles:
                    - title: Director
                      start: "2019"
                      end: "2017"
                      citations:
                        - {source: report-2017, quote: "the office signed 52 new agreements"}
                """
            },
            1,
            ["people.yaml", "6", "end-before-start", "jane-doe", "ends (2017) before it starts (2019)"],
        ),
        (
            "dangling reference",
            {
                "events/2017.yaml": GOOD_EVENT.replace(
                    "  kind: meeting\n", "  kind: meeting\n  parties: [nowhere-office]\n"
                )
            },
            1,
            ["events/2017.yaml", "4", "dangling-reference", "2017-05-heads-3", "'nowhere-office'"],
        ),
        (
            "duplicate id",
            {"events/2017.yaml": GOOD_EVENT + GOOD_EVENT},
            1,
            ["events/2017.yaml", "8", "duplicate-id", "2017-05-heads-3", "first defined at", "2017.yaml:1"],
        ),
        (
            "quote not found in its source",
            {"events/2017.yaml": GOOD_EVENT.replace("in Geneva", "in Paris")},
            1,
            ["events/2017.yaml", "7", "quote-not-found", "2017-05-heads-3", "then differs"],
        ),
        (
            "observation whose quote lacks its value",
            {
                "metrics.yaml": "- {id: participants, label: Participants, unit: count, kind: flow}\n",
                "observations/report-2017.yaml": """\
                - id: r2017.participants
                  metric: participants
                  value: 1300
                  qualifier: more_than
                  as_reported: more than 1,300
                  period: "2017-05"
                  citations:
                    - source: report-2017
                      quote: "the office held the 3rd Heads Meeting in Geneva"
                """,
            },
            1,
            ["observations/report-2017.yaml", "5", "value-not-in-quote", "r2017.participants", "more than 1,300"],
        ),
        (
            "observation whose value is not the printed number",
            {
                "metrics.yaml": "- {id: participants, label: Participants, unit: count, kind: flow}\n",
                "observations/report-2017.yaml": """\
                - id: r2017.participants
                  metric: participants
                  value: 1200
                  qualifier: more_than
                  as_reported: more than 1,300
                  period: "2017-05"
                  citations:
                    - source: report-2017
                      quote: "with more than 1,300 participants"
                """,
            },
            1,
            ["observations/report-2017.yaml", "3", "value-mismatch", "r2017.participants", "reads as 1300"],
        ),
        (
            "file that is not UTF-8",
            {"events/2017.yaml": GOOD_EVENT.encode() + "- id: caf\u00e9\n".encode("latin-1")},
            2,
            ["events/2017.yaml", "8", "file-encoding", "not UTF-8", "0xe9"],
        ),
        (
            "held event after its source was published",
            {
                "events/2019.yaml": GOOD_EVENT.replace('"2017-05"', '"2019-05"').replace(
                    "2017-05-heads", "2019-05-heads"
                )
            },
            1,
            ["events/2019.yaml", "6", "event-after-source", "2019-05-heads-3", "prospective"],
        ),
        (
            "ordinal without a series",
            {"events/2017.yaml": GOOD_EVENT.replace("  kind: meeting\n", "  kind: meeting\n  ordinal: 3\n")},
            1,
            ["events/2017.yaml", "4", "ordinal-without-series", "2017-05-heads-3"],
        ),
        (
            "record without citation",
            {"events/2017.yaml": GOOD_EVENT.split("  citations:")[0]},
            1,
            ["events/2017.yaml", "1", "missing-citation", "2017-05-heads-3"],
        ),
        (
            "unsafe YAML tag",
            {
                "events/2017.yaml": GOOD_EVENT.replace(
                    "  title: Third Heads Meeting", "  title: !!python/name:os.system x"
                )
            },
            2,
            ["events/2017.yaml", "2", "yaml-unsafe-tag", "2017-05-heads-3"],
        ),
    ],
)
def test_bad_input_is_named_precisely(
    capsys: pytest.CaptureFixture[str],
    make_dataset: MakeDataset,
    name: str,
    files: dict[str, str | bytes],
    exit_code: int,
    expected: list[str],
) -> None:
    code, out = validate(capsys, make_dataset(files))
    assert code == exit_code, out
    finding_lines = [line for line in out.splitlines() if expected[2] in line and not line.startswith("by code")]
    assert finding_lines, f"{name}: no {expected[2]} finding in:\n{out}"
    # the file heads its group; the line number starts the finding's row
    assert expected[0] in out
    row = finding_lines[0]
    assert row.split()[0] == expected[1], f"{name}: expected line {expected[1]}: {row}"
    for words in expected[3:]:
        assert words in out, f"{name}: {words!r} not in:\n{out}"


def test_missing_dataset_directory_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "validate", "--dataset", str(tmp_path / "nope"))
    assert code == 2
    assert "dataset directory not found" in err and str(tmp_path / "nope") in err


def test_empty_dataset_directory_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "validate", "--dataset", str(tmp_path))
    assert code == 2
    assert "no dataset files" in err


def test_bad_usage_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["validate", "--format", "xml"])
    assert caught.value.code == 2


def test_strict_fails_on_warnings(capsys: pytest.CaptureFixture[str], make_dataset: MakeDataset) -> None:
    root = make_dataset({"events/2017.yaml": GOOD_EVENT, "events/notes.yml": "- a: 1\n"})
    code, out = validate(capsys, root)
    assert code == 0 and "unknown-file" in out
    code, out = validate(capsys, root, "--strict")
    assert code == 1


def test_load_raises_with_every_problem(make_dataset: MakeDataset) -> None:
    root = make_dataset({"events/2017.yaml": GOOD_EVENT.replace('"2017-05"', '"2017-13"')})
    with pytest.raises(DatasetLoadError) as caught:
        load(root)
    assert "2017.yaml:4" in str(caught.value) and "invalid-date" in str(caught.value)
    collected = read_dataset(root)
    assert [f.code for f in collected.findings] == ["invalid-date"] and collected.incomplete
    assert collected.dataset.events == []
    assert [f.code for f in validate_dataset(collected).findings] == ["invalid-date"]


def test_the_findings_of_reading_are_not_on_the_dataset(make_dataset: MakeDataset) -> None:
    """The older way still works, with warnings: load(errors="collect") and dataset.load_findings."""
    root = make_dataset({"events/2017.yaml": GOOD_EVENT.replace('"2017-05"', '"2017-13"')})
    with pytest.warns(DeprecationWarning, match="read_dataset"):
        dataset = load(root, errors="collect")
    assert dataset.events == []
    with pytest.warns(DeprecationWarning, match="read_dataset"):
        assert [f.code for f in dataset.load_findings] == ["invalid-date"]
    # A Dataset alone is its records: validate() knows nothing of how they were read.
    assert validate_dataset(dataset).findings == []
    with pytest.warns(DeprecationWarning):
        assert read_dataset(root).dataset.load_findings == []  # the reader itself puts nothing there


def test_yaml_1_1_guesses_do_not_happen(make_dataset: MakeDataset) -> None:
    root = make_dataset(
        {
            "organizations.yaml": """\
            - id: patent-office-no
              kind: national_office
              country: NO
              names:
                - name: Norwegian Industrial Property Office
                  citations: [{source: report-2017, quote: "the office signed 52 new agreements"}]
            """,
            "metrics.yaml": "- {id: ratio-x, label: A ratio, unit: ratio, kind: ratio}\n",
            "observations/report-2017.yaml": """\
            - id: r.x
              metric: ratio-x
              value: 1.20
              as_reported: "52"
              as_of: 2017-05-01
              citations: [{source: report-2017, quote: "52 new agreements"}]
            """,
        }
    )
    dataset = read_dataset(root).dataset
    assert dataset.organizations[0].country == "NO"
    obs = dataset.observations[0]
    assert str(obs.value) == "1.20"  # not the float 1.2
    assert obs.as_of is not None and obs.as_of.text == "2017-05-01"  # parsed by PartialDate, not YAML
