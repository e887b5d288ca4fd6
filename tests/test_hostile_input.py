"""Hostile and broken input: every attack ends in a finding at its file and line (exit 1) or a clear
refusal (exit 2); never a traceback, an internal error, a read outside the dataset or a lost file."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from ipcoop_data import read_dataset
from ipcoop_data.checks import validate
from ipcoop_data.cli import main
from ipcoop_data.report.findings import Finding, Report
from ipcoop_data.report.render import render

from .conftest import GOOD_EVENT, MakeDataset


def observation(value: str, oid: str = "o1") -> str:
    return f"""\
- id: {oid}
  metric: agreements
  value: {value}
  as_reported: "52"
  as_of: "2017"
  citations: [{{source: report-2017, quote: "signed 52 new agreements"}}]
"""


METRIC = "- id: agreements\n  label: Agreements signed\n  unit: count\n  kind: flow\n"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err and "internal error" not in out + err, out + err
    assert code in (0, 1, 2), (code, out + err)
    return code, out + err


def findings_of(root: Path) -> list[Finding]:
    return validate(read_dataset(root)).sorted()


# --- reading: only regular files inside the dataset, and every refusal said -----------------------


def test_every_entry_that_is_not_read_is_a_finding_with_its_path(
    capsys: pytest.CaptureFixture[str], make_dataset: MakeDataset, tmp_path: Path
) -> None:
    root = make_dataset({"events/2017.yaml": GOOD_EVENT})
    events = root / "events"
    (events / "2031.yaml").mkdir()
    (events / "2030.yaml").symlink_to("/etc/passwd")
    (events / "2029.yaml").symlink_to(tmp_path / "nowhere.yaml")
    (events / "2028.yaml").symlink_to("2028.yaml")
    os.mkfifo(events / "2027.yaml")
    (events / ".2033.yaml").write_text(GOOD_EVENT)
    (events / "._2017.yaml").write_bytes(b"\x00\x05\x16\x07")
    (events / "2032.YAML").write_text(GOOD_EVENT)
    code, out = run(capsys, "validate", "--dataset", str(root), "--format", "json")
    assert code == 2  # a dataset file could not be read: validation is incomplete
    by_file = {f["file"]: f for f in json.loads(out)["findings"]}
    assert (
        by_file["events/2031.yaml"]["code"] == "file-refused" and "directory" in by_file["events/2031.yaml"]["message"]
    )
    assert "outside the dataset" in by_file["events/2030.yaml"]["message"]
    assert "leads nowhere" in by_file["events/2029.yaml"]["message"]
    assert "leads nowhere" in by_file["events/2028.yaml"]["message"]
    assert "not a regular file" in by_file["events/2027.yaml"]["message"]
    assert by_file["events/.2033.yaml"]["code"] == "file-skipped"
    assert by_file["events/._2017.yaml"]["code"] == "file-skipped"
    assert by_file["events/2032.YAML"]["code"] == "unknown-file"
    assert len(read_dataset(root).dataset.events) == 1  # only events/2017.yaml was read


def test_a_directory_where_sources_yaml_belongs_is_said_first(
    capsys: pytest.CaptureFixture[str], make_dataset: MakeDataset
) -> None:
    root = make_dataset({"events/2017.yaml": GOOD_EVENT}, with_sources=False)
    (root / "sources.yaml").mkdir()
    code, out = run(capsys, "validate", "--dataset", str(root))
    assert code == 2
    assert "sources.yaml" in out and "file-refused" in out and "it is a directory, not a file" in out


def test_a_source_text_that_is_a_device_is_refused_without_reading_it(make_dataset: MakeDataset) -> None:
    root = make_dataset({"events/2017.yaml": GOOD_EVENT})
    (root / "texts" / "report.txt").unlink()
    (root / "texts" / "report.txt").symlink_to("/dev/zero")
    [refused] = [f for f in findings_of(root) if f.severity == "error"]
    assert refused.code == "source-text-refused" and refused.file == "sources.yaml"


def test_nested_aliases_cannot_exhaust_memory(capsys: pytest.CaptureFixture[str], make_dataset: MakeDataset) -> None:
    lol = "\n".join(
        [
            "- id: x",
            '  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
            *(f"  {chr(98 + i)}: &{chr(98 + i)} [{','.join([f'*{chr(97 + i)}'] * 9)}]" for i in range(8)),
            "  z: [*i,*i,*i,*i,*i,*i,*i,*i,*i]",
        ]
    )
    assert len(lol) < 700  # a billion values from a few hundred bytes
    root = make_dataset({"series.yaml": lol})
    code, out = run(capsys, "validate", "--dataset", str(root))
    assert code == 2 and "yaml-alias-expansion" in out and "series.yaml" in out


# --- records: one rule for characters, dates, figures and addresses, a finding at the line --------


@pytest.mark.parametrize(
    ("content", "code", "line"),
    [
        ("- id: s\n  name: nul\x00 here\n", "file-control-character", 2),
        ("- id: s\n  name: bell\x07\n", "file-control-character", 2),
        ("- id: s\n  name: not a character \ufffe\n", "file-control-character", 2),
        ('- id: s\n  name: ok\n- id: t\n  name: "escaped \\x07 bell"\n', "invalid-character", 4),
        ('- id: s\n  name: "\\uFFFF"\n', "invalid-character", 2),
        ('- id: s\n  name: "\\r\\n::error::forged"\n', "invalid-character", 2),
        ('- id: s\n  name: "' + "x" * 40_000 + '"\n', "value-too-long", 2),
    ],
)
def test_characters_no_export_can_hold_are_refused_at_their_line(
    make_dataset: MakeDataset, content: str, code: str, line: int
) -> None:
    root = make_dataset({"series.yaml": content})
    [finding] = [f for f in findings_of(root) if f.code == code]
    assert (finding.file, finding.line) == ("series.yaml", line)


@pytest.mark.parametrize(
    ("date", "words"),
    [
        ('"2017-05-01\\n"', "not an EDTF level-0 date"),
        ('"١٢٣٤"', "not an EDTF level-0 date"),
        ('"1677-01-01"', "outside 1901-2199"),
        ('"2262-05-01"', "outside 1901-2199"),
        ('"9999-12-31"', "outside 1901-2199"),
        ('"1899-12-31"', "outside 1901-2199"),
    ],
)
def test_dates_every_export_cannot_write_are_findings(make_dataset: MakeDataset, date: str, words: str) -> None:
    root = make_dataset({"events/2017.yaml": GOOD_EVENT.replace('"2017-05"', date)})
    [finding] = [f for f in findings_of(root) if f.severity == "error"]
    assert finding.code == "invalid-date" and words in finding.message
    assert (finding.file, finding.line) == ("events/2017.yaml", 4)
    assert "invalid literal" not in finding.message


@pytest.mark.parametrize(
    "value", ["1e400", "1e5000", "1e999999999", "18.000000000000000001", "1_000", "١٢", "1,000", "NaN", "-Infinity"]
)
def test_figures_are_plain_decimals_of_at_most_15_digits(make_dataset: MakeDataset, value: str) -> None:
    root = make_dataset({"metrics.yaml": METRIC, "observations/report-2017.yaml": observation(value)})
    [finding] = [f for f in findings_of(root) if f.severity == "error"]
    assert finding.code == "invalid-value" and (finding.file, finding.line) == ("observations/report-2017.yaml", 3)


@pytest.mark.parametrize("value", ["999999999999999", "0.00000000000001", "123456789.012345", "-52"])
def test_figures_at_the_edge_are_exported_with_every_digit(
    make_dataset: MakeDataset, tmp_path: Path, value: str
) -> None:
    from decimal import Decimal

    from ipcoop_data import load_json
    from ipcoop_data.export import to_json

    root = make_dataset({"metrics.yaml": METRIC, "observations/report-2017.yaml": observation(value)})
    dataset = read_dataset(root).dataset
    assert dataset.observations[0].value == Decimal(value)
    to_json(dataset, tmp_path / "out.json")
    document = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"), parse_float=Decimal)
    assert Decimal(document["observations"][0]["value"]) == Decimal(value)
    assert load_json(tmp_path / "out.json") == dataset


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "http://example.com/a\r\nX-Evil: 1", "file:///etc/passwd", "ftp://x"]
)
def test_source_urls_are_http_without_control_characters(make_dataset: MakeDataset, url: str) -> None:
    root = make_dataset({"events/2017.yaml": GOOD_EVENT})
    sources = root / "sources.yaml"
    sources.write_text(sources.read_text() + f"  url: {json.dumps(url)}\n")
    [finding] = [f for f in findings_of(root) if f.severity == "error" and f.file == "sources.yaml"]
    assert finding.file == "sources.yaml" and finding.line == 8
    assert finding.code in ("invalid-value", "invalid-character")


# --- reports: nothing printed can forge a CI command or break XML --------------------------------


def test_every_renderer_escapes_control_characters() -> None:
    forged = Finding(
        "unknown-field",
        "error",
        "event x\n::error file=evil.yaml::forged\u202e",
        record_id="x\n::error::forged\x07",
        file="events/\n::warning::x.yaml",
        line=3,
    )
    report = Report(findings=[forged], dataset="")
    for fmt in ("text", "github"):
        for line in render(report, fmt).splitlines():
            assert not (line.startswith("::") and "forged" in line and fmt == "text"), line
            assert "\x07" not in line and "\u202e" not in line
        if fmt == "github":
            ours = ("::group::All findings (text report)", "::endgroup::")
            commands = [line for line in render(report, fmt).splitlines() if line.startswith("::") and line not in ours]
            assert len(commands) == 1 and commands[0].startswith("::error file=events/\\n%3A%3Awarning")
    ET.fromstring(render(report, "junit"))  # well-formed XML
    assert json.loads(render(report, "json"))["findings"][0]["record_id"] == forged.record_id


# --- rulings and baselines cannot hide a record ---------------------------------------------------


def test_a_ruling_cannot_settle_a_load_error(make_dataset: MakeDataset) -> None:
    broken = GOOD_EVENT + "  title: again\n"  # a duplicated key: the record cannot be read
    root = make_dataset({"events/2017.yaml": broken})
    [load_error] = [f for f in findings_of(root) if f.code == "yaml-duplicate-key"]
    ruling = f"- id: hide-it\n  finding: {load_error.fingerprint}\n  decision: source_error\n  reason: hide it\n"
    root = make_dataset({"events/2017.yaml": broken, "rulings.yaml": ruling})
    report = validate(read_dataset(root))
    codes = {f.code: f.severity for f in report.findings}
    assert codes["yaml-duplicate-key"] == "error" and codes["ruling-not-allowed"] == "error"
    assert report.exit_code() != 0


def test_records_without_an_id_are_told_apart(make_dataset: MakeDataset) -> None:
    idless = "".join(f"- title: event {i}\n  kind: meeting\n  date: '2017'\n" for i in range(50))
    root = make_dataset({"events/2017.yaml": idless})
    missing = [f for f in findings_of(root) if f.code == "missing-field"]
    assert len(missing) >= 50 and len({f.fingerprint for f in missing}) == len(missing)


def test_a_conflict_whose_figures_change_is_a_new_finding(make_dataset: MakeDataset) -> None:
    def conflict(value: str) -> Finding:
        figures = observation("16", "o1").replace('"52"', '"16"') + observation(value, "o2").replace(
            '"52"', f'"{value}"'
        )
        root = make_dataset({"metrics.yaml": METRIC, "observations/report-2017.yaml": figures})
        [finding] = [f for f in findings_of(root) if f.code == "metric-conflict"]
        return finding

    assert conflict("2").fingerprint != conflict("3").fingerprint


def test_a_baseline_is_checked_and_its_stale_entries_are_listed(
    capsys: pytest.CaptureFixture[str], make_dataset: MakeDataset, tmp_path: Path
) -> None:
    root = make_dataset({"events/2017.yaml": GOOD_EVENT})
    stale = tmp_path / "baseline.txt"
    stale.write_text("# known\n0123456789abcdef\n")
    code, out = run(capsys, "validate", "--dataset", str(root), "--baseline", str(stale))
    assert code == 0 and "baseline-stale" in out and "0123456789abcdef" in out
    for bad, words in (("/dev/zero", "not a regular file"), (str(root / "sources.yaml"), "is not a fingerprint")):
        code, out = run(capsys, "validate", "--dataset", str(root), "--baseline", bad)
        assert code == 2 and words in out
    not_report = tmp_path / "other.json"
    not_report.write_text('{"findings": [{"fingerprint": "zz"}]}')
    code, out = run(capsys, "validate", "--dataset", str(root), "--baseline", str(not_report))
    assert code == 2 and "not a fingerprint" in out


# --- writing: only regular files at --out, all or nothing, nothing left behind --------------------


def test_export_never_replaces_what_is_not_a_regular_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out = run(capsys, "export", "json", "--out", "/dev/null")
    assert code == 2 and "not a regular file" in out
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    code, out = run(capsys, "export", "json", "--out", str(fifo))
    assert code == 2 and stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_export_writes_through_a_symlink_and_keeps_the_mode(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    real.write_text("old")
    real.chmod(0o600)
    link = tmp_path / "link.json"
    link.symlink_to(real)
    code, _ = run(capsys, "export", "json", "--out", str(link))
    assert code == 0 and link.is_symlink()
    assert json.loads(real.read_text())["format"] == "ipcoop-data/1"
    assert stat.S_IMODE(real.stat().st_mode) == 0o600


def test_export_all_replaces_nothing_unless_every_format_succeeds(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "ipcoop-data.xlsx").write_text("previous")
    (tmp_path / "ipcoop-data.timeline.json").mkdir()  # the last format cannot be written
    code, out = run(capsys, "export", "all", "--out", str(tmp_path))
    assert code == 2 and "nothing was replaced" in out
    assert (tmp_path / "ipcoop-data.xlsx").read_text() == "previous"
    assert not (tmp_path / "ipcoop-data.json").exists()
    assert not [p for p in tmp_path.rglob("*") if p.name.endswith(".tmp")]


@pytest.mark.parametrize("epoch", ["99999999999999999999", "-1", "soon"])
def test_a_bad_source_date_epoch_is_a_clear_refusal(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path, epoch: str
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    code, out = run(capsys, "export", "ics", "--out", str(tmp_path / "c.ics"))
    assert code == 2 and "SOURCE_DATE_EPOCH" in out


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_an_interrupted_export_leaves_no_temporary_file_and_no_traceback(tmp_path: Path, sig: int) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "ipcoop_data", "export", "all", "--out", str(tmp_path / "out")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not list(tmp_path.rglob("*.tmp")) and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.01)  # wait until a temporary file exists: the export is mid-write
    process.send_signal(sig)
    _, err = process.communicate(timeout=60)
    if process.returncode == 0:
        pytest.skip("the export finished before the signal arrived")  # pragma: no cover - timing
    assert process.returncode == (130 if sig == signal.SIGINT else 143), err
    assert "Traceback" not in err and "Exception ignored" not in err
    assert err.strip().splitlines()[-1].endswith("no file was half-written")
    assert not list(tmp_path.rglob("*.tmp"))


def test_validate_output_and_schema_out_refuse_what_is_not_a_regular_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out = run(capsys, "validate", "--output", "/dev/null")
    assert code == 2 and "not a regular file" in out and stat.S_ISCHR(os.stat("/dev/null").st_mode)
    code, out = run(capsys, "validate", "--output", str(tmp_path))
    assert code == 2 and "a directory is there" in out
    code, out = run(capsys, "schema", "--out", "/dev/null")
    assert code == 2 and "Not a directory" in out


# --- found by the red team ---------------------------------------------------------------------------


def test_a_texts_folder_symlinked_out_of_the_dataset_is_never_read(make_dataset: MakeDataset, tmp_path: Path) -> None:
    root = make_dataset({"events/2017.yaml": GOOD_EVENT})
    outside = tmp_path / "outside"
    (root / "texts").rename(outside)
    (root / "texts").symlink_to(outside)
    [refused] = [f for f in findings_of(root) if f.severity == "error"]
    assert refused.code == "source-text-refused" and "leads outside the dataset" in refused.message
    assert not [f for f in findings_of(root) if f.code in ("quote-not-found", "source-text-changed")]


def test_a_file_name_cannot_start_a_ci_command_line(
    capsys: pytest.CaptureFixture[str], make_dataset: MakeDataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_dataset({"events/2017.yaml": GOOD_EVENT})
    (root / "::warning file=README.md::pwned.yaml").write_text("[]\n")
    monkeypatch.chdir(root)
    code, out = run(capsys, "validate", "--dataset", ".")
    assert code == 0 and not [line for line in out.splitlines() if line.startswith(("::", "##["))]
    assert "./::warning file=README.md::pwned.yaml" in out


def test_a_file_name_that_is_not_utf8_is_refused_by_name(
    capsys: pytest.CaptureFixture[str], make_dataset: MakeDataset
) -> None:
    root = make_dataset({"events/2017.yaml": GOOD_EVENT})
    name = os.fsdecode(b"20\xff.yaml")
    (root / "events" / name).write_text(GOOD_EVENT.replace("2017-05-heads-3", "other"))
    (root / os.fsdecode(b"x\xfe.yaml")).write_text("[]\n")
    for fmt in ("text", "json", "github", "junit"):
        code, out = run(capsys, "validate", "--dataset", str(root), "--format", fmt)
        assert code == 2 and "\\xff" in out
    code, out = run(capsys, "export", "json", "--dataset", str(root), "--out", str(root.parent / "x.json"))
    assert code == 2


def test_a_deeply_nested_baseline_is_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text('{"findings": ' + "[" * 200_000 + "]" * 200_000 + "}")
    code, out = run(capsys, "validate", "--baseline", str(deep))
    assert code == 2 and "not a JSON report" in out


def test_a_baseline_never_hides_a_record_that_failed_to_load(make_dataset: MakeDataset) -> None:
    root = make_dataset({"events/2017.yaml": GOOD_EVENT + '- id: broken\n  kind: meeting\n  date: "2020-13"\n'})
    first = validate(read_dataset(root))
    again = validate(read_dataset(root), baseline={f.fingerprint for f in first.findings})
    assert again.exit_code() == 1 and {f.code for f in again.new()} >= {"missing-field", "invalid-date"}


def test_out_ending_in_a_slash_is_a_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _ = run(capsys, "export", "json", "--out", f"{tmp_path}/new/")
    assert code == 0 and (tmp_path / "new" / "ipcoop-data.json").is_file()
    afile = tmp_path / "afile"
    afile.write_text("keep")
    code, _ = run(capsys, "export", "json", "--out", f"{afile}/")
    assert code == 2 and afile.read_text() == "keep"


def test_schema_out_is_all_or_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "schemas"
    out.mkdir()
    (out / "source.schema.json").mkdir()  # one schema cannot be written
    code, _ = run(capsys, "schema", "--out", str(out))
    assert code == 2 and [p.name for p in out.iterdir()] == ["source.schema.json"]


@pytest.mark.slow
def test_ctrl_c_while_starting_and_a_closed_stdout_end_cleanly(tmp_path: Path) -> None:
    import shutil

    ipcoop = shutil.which("ipcoop", path=str(Path(sys.executable).parent))
    assert ipcoop
    closed = subprocess.run(f"{ipcoop} codes >&-", shell=True, capture_output=True, text=True, check=False)
    assert closed.returncode == 0 and "internal error" not in closed.stderr
    # The signal is sent once ipcoop's own start-up is under way (its imports have reached
    # pydantic's compiled core), then a little later each time. Before that point the interpreter
    # and pip's console-script wrapper are starting, and Ctrl-C there is Python's own to report.
    for delay in (0.0, 0.02, 0.05, 0.1):
        process = subprocess.Popen([ipcoop, "validate"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        maps = Path(f"/proc/{process.pid}/maps")
        deadline = time.monotonic() + 30
        while process.poll() is None and time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                if "_pydantic_core" in maps.read_text():
                    break
            time.sleep(0.002)
        time.sleep(delay)
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=60)
        assert "Traceback" not in err, (delay, err)
