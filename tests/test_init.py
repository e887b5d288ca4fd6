"""``ipcoop init DIR``: a dataset that validates clean, editor hints that work, and no overwrite."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import threading
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from ipcoop_data.cli import main
from ipcoop_data.export.jsonschema import all_schemas, dumps
from ipcoop_data.read.load import LAYOUT
from ipcoop_data.scaffold import ACTION, DATA_DICTIONARY, editor_settings, init_dataset

from .conftest import DATASET, REPO
from .test_schemas import check_jsonschema, file_schema_of

MODELINE = re.compile(r"# yaml-language-server: \$schema=(\S+)\n")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def initialized(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    target = tmp_path / "my-data"
    code, _, err = run(capsys, "init", str(target))
    assert code == 0, err
    assert f"to {target}" in err
    return target


def test_init_writes_a_dataset_that_validates_with_no_finding(
    initialized: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "validate", "--dataset", str(initialized), "--format", "json")
    report = json.loads(out)
    assert code == 0, out + err
    assert report["findings"] == []
    summary = report["summary"]
    assert (summary["errors"], summary["warnings"], summary["info"]) == (0, 0, 0)
    assert summary["records"] == 3
    assert "quotes checked against 1 source texts" in " ".join(summary["notes"])
    assert run(capsys, "validate", "--dataset", str(initialized), "--strict")[0] == 0


def test_the_event_quotes_the_source_text_and_the_pin_is_its_sha256(initialized: Path) -> None:
    import hashlib

    [source] = yaml.safe_load((initialized / "sources.yaml").read_text(encoding="utf-8"))
    text = (initialized / "texts" / source["text"]).read_bytes()
    assert source["text_sha256"] == hashlib.sha256(text).hexdigest()
    [event] = yaml.safe_load((initialized / "events" / "2024.yaml").read_text(encoding="utf-8"))
    [citation] = event["citations"]
    assert citation["source"] == source["id"] and citation["quote"].encode() in text
    [organization] = yaml.safe_load((initialized / "organizations.yaml").read_text(encoding="utf-8"))
    assert event["parties"] == [organization["id"]]


def test_a_changed_text_is_caught_so_the_starter_checks_are_real(
    initialized: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = initialized / "texts" / "example-report.txt"
    text.write_text(text.read_text(encoding="utf-8").replace("March", "May"), encoding="utf-8")
    code, out, _ = run(capsys, "validate", "--dataset", str(initialized))
    assert code == 1 and "source-text-changed" in out and "quote-not-found" in out


def test_every_yaml_file_names_its_schema_which_is_there_and_passes_it(initialized: Path) -> None:
    yaml_files = sorted(p for p in initialized.rglob("*.yaml") if ".github" not in p.parts)
    assert {p.relative_to(initialized).as_posix() for p in yaml_files} >= {"sources.yaml", "events/2024.yaml"}
    for path in yaml_files:
        match = MODELINE.match(path.read_text(encoding="utf-8"))
        assert match, f"{path} has no schema hint on its first line"
        schema = (path.parent / match.group(1)).resolve()
        assert schema.parent == (initialized / "schemas").resolve(), (path, schema)
        report = check_jsonschema(schema, path)
        assert report["status"] == "ok", (path, report)


def test_the_schemas_are_the_installed_ones_so_schema_check_passes(
    initialized: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert {p.name for p in (initialized / "schemas").iterdir()} == set(all_schemas())
    for name, schema in all_schemas().items():
        assert (initialized / "schemas" / name).read_text(encoding="utf-8") == dumps(schema)
    assert run(capsys, "schema", "--out", str(initialized / "schemas"), "--check")[0] == 0


def test_vscode_settings_map_every_file_of_the_layout_to_a_schema_that_exists(initialized: Path) -> None:
    settings = json.loads((initialized / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    mapping = settings["yaml.schemas"]
    assert sorted(pattern for patterns in mapping.values() for pattern in patterns) == sorted(p for _, p in LAYOUT)
    for schema, patterns in mapping.items():
        assert (initialized / schema).is_file(), schema
        record_type = Path(schema).name.removesuffix("-file.schema.json")
        assert patterns == [dict(LAYOUT)[record_type]]


def test_the_workflow_uses_the_action_and_the_readme_points_to_the_data_dictionary(initialized: Path) -> None:
    workflow = yaml.safe_load((initialized / ".github" / "workflows" / "validate.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["validate"]["steps"]
    assert [step.get("uses") for step in steps] == ["actions/checkout@v4", "ipcoop-data/ipcoop-data@v0.1.0"]
    assert ACTION == "ipcoop-data/ipcoop-data@v0.1.0"
    assert set(workflow[True]) == {"push", "pull_request"}  # PyYAML reads the key 'on' as True
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["urls"]["Data dictionary"] == DATA_DICTIONARY
    readme = (initialized / "README.md").read_text(encoding="utf-8")
    assert DATA_DICTIONARY in readme and readme.startswith("# my-data\n")
    for _, pattern in LAYOUT:
        assert pattern.split("/")[0].replace("*.yaml", "") in readme


def test_init_into_an_empty_directory_and_into_the_working_directory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    here = tmp_path / "here"
    here.mkdir()
    inode = here.stat().st_ino
    monkeypatch.chdir(here)
    code, _, err = run(capsys, "init", ".")
    assert code == 0, err
    assert here.stat().st_ino == inode  # filled in place: a shell sitting in it sees the files
    assert (here / "sources.yaml").is_file() and not [p for p in here.iterdir() if p.name.endswith(".tmp")]
    assert run(capsys, "validate", "--dataset", ".")[0] == 0
    assert (here / "README.md").read_text(encoding="utf-8").startswith("# here\n")


@pytest.mark.parametrize("what", ["a file inside", "a hidden file inside", "a file", "a symlink"])
def test_init_refuses_what_it_would_overwrite(tmp_path: Path, capsys: pytest.CaptureFixture[str], what: str) -> None:
    target = tmp_path / "existing"
    if what == "a file":
        target.write_text("keep me", encoding="utf-8")
    elif what == "a symlink":
        (tmp_path / "elsewhere").mkdir()
        target.symlink_to(tmp_path / "elsewhere")
    else:
        target.mkdir()
        (target / (".keep" if "hidden" in what else "notes.txt")).write_text("keep me", encoding="utf-8")
    before = sorted((p.relative_to(tmp_path), p.is_file() and p.read_bytes()) for p in tmp_path.rglob("*"))
    code, out, err = run(capsys, "init", str(target))
    assert code == 2 and out == ""
    assert str(target) in err and "Traceback" not in err
    assert sorted((p.relative_to(tmp_path), p.is_file() and p.read_bytes()) for p in tmp_path.rglob("*")) == before


def test_init_refuses_a_missing_parent(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "init", str(tmp_path / "no" / "such" / "place"))
    assert code == 2 and "does not exist" in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("empty_first", [False, True])
def test_an_interrupted_init_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], empty_first: bool
) -> None:
    import ipcoop_data.scaffold as scaffold

    target = tmp_path / "my-data"
    if empty_first:
        target.mkdir()
    written: list[str] = []
    real_write = scaffold._write

    def write_then_interrupt(folder: Path, files: dict[str, str]) -> None:
        real_write(folder, dict(list(files.items())[:5]))  # a third of the files, then Ctrl-C
        written.extend(p.name for p in folder.rglob("*"))
        raise KeyboardInterrupt

    monkeypatch.setattr(scaffold, "_write", write_then_interrupt)
    code, _, err = run(capsys, "init", str(target))
    assert code == 130 and "interrupted" in err
    assert written  # the interruption came after files were written
    assert list(tmp_path.rglob("*")) == ([target] if empty_first else [])


def test_an_interrupted_move_into_an_empty_directory_is_undone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "my-data"
    target.mkdir()
    real_rename = os.rename
    calls: list[str] = []

    def rename_three_then_interrupt(source: Any, destination: Any) -> None:
        calls.append(str(destination))
        if len(calls) > 3:
            raise KeyboardInterrupt
        real_rename(source, destination)

    monkeypatch.setattr(os, "rename", rename_three_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        init_dataset(target)
    assert len(calls) == 4 and list(target.iterdir()) == []


# --- the bundled dataset carries the same hints --------------------------------------------------


def test_every_bundled_yaml_file_names_its_file_schema_on_its_first_line() -> None:
    for path in sorted(DATASET.rglob("*.yaml")):
        relative = path.relative_to(DATASET).as_posix()
        match = MODELINE.match(path.read_text(encoding="utf-8"))
        assert match, f"{relative} has no schema hint on its first line"
        assert (path.parent / match.group(1)).resolve() == file_schema_of(relative), relative


def test_the_repository_vscode_settings_are_generated() -> None:
    committed = (REPO / ".vscode" / "settings.json").read_text(encoding="utf-8")
    assert committed == editor_settings("datasets")
    for schema in json.loads(committed)["yaml.schemas"]:
        assert (REPO / schema).is_file()


# --- a real editor: yaml-language-server reports the broken field ------------------------------


def _language_server() -> list[str]:
    """The command of yaml-language-server (npm), from IPCOOP_YAML_LANGUAGE_SERVER or PATH."""
    given = os.environ.get("IPCOOP_YAML_LANGUAGE_SERVER") or shutil.which("yaml-language-server")
    if given is None or shutil.which("node") is None:
        if os.environ.get("IPCOOP_REQUIRE_YAML_LANGUAGE_SERVER"):
            pytest.fail("yaml-language-server is required here but not found")
        pytest.skip("yaml-language-server not installed (npm install yaml-language-server)")
    return ["node", given, "--stdio"] if given.endswith(".js") else [given, "--stdio"]


class LanguageServer:
    """A minimal LSP client over stdio: enough to open documents and read their diagnostics."""

    def __init__(self, root: Path, schemas: dict[str, list[str]] | None = None) -> None:
        self.settings: dict[str, Any] = {"validate": True, "schemaStore": {"enable": False}}
        if schemas is not None:
            self.settings["schemas"] = schemas
        self.process = subprocess.Popen(_language_server(), stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        # A guard against a server that hangs, not a timing assertion: the test then fails on EOF.
        self.guard = threading.Timer(120, self.process.kill)
        self.guard.start()
        self.next_id = 1
        self.request("initialize", {"processId": os.getpid(), "rootUri": root.as_uri(), "capabilities": {}})
        self.notify("initialized", {})
        self.notify("workspace/didChangeConfiguration", {"settings": {"yaml": self.settings}})

    def send(self, message: dict[str, Any]) -> None:
        assert self.process.stdin is not None
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def receive(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        length = None
        while (line := self.process.stdout.readline().strip()) or length is None:
            assert line, "yaml-language-server closed its output"
            name, _, value = line.decode().partition(":")
            if name.lower() == "content-length":
                length = int(value)
        message: dict[str, Any] = json.loads(self.process.stdout.read(length))
        if "method" in message and "id" in message:  # a request of the server's: answer it
            items = message.get("params", {}).get("items", [])
            result = [self.settings for _ in items] if message["method"] == "workspace/configuration" else None
            self.send({"id": message["id"], "result": result})
        return message

    def request(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        self.next_id += 1
        self.send({"id": self.next_id, "method": method, "params": params})
        while (message := self.receive()).get("id") != self.next_id or "method" in message:
            pass
        return message

    def notify(self, method: str, params: dict[str, Any]) -> None:
        self.send({"method": method, "params": params})

    def diagnostics(self, path: Path, text: str, until: str | None = None) -> list[dict[str, Any]]:
        """Open ``text`` as the document ``path``; its diagnostics (the first holding ``until``, if given)."""
        uri = path.as_uri()
        doc = {"uri": uri, "languageId": "yaml", "version": 1, "text": text}
        self.notify("textDocument/didOpen", {"textDocument": doc})
        while True:
            message = self.receive()
            if message.get("method") == "textDocument/publishDiagnostics" and message["params"]["uri"] == uri:
                found: list[dict[str, Any]] = message["params"]["diagnostics"]
                if until is None or any(until in d["message"] for d in found):
                    return found

    def hover(self, path: Path, line: int, character: int) -> str:
        """The hover text the server shows at a position of an opened document ("" for none)."""
        where = {"textDocument": {"uri": path.as_uri()}, "position": {"line": line, "character": character}}
        result = self.request("textDocument/hover", where).get("result") or {}
        contents = result.get("contents", {})
        return str(contents.get("value", "")) if isinstance(contents, dict) else str(contents)

    def close(self) -> None:
        self.guard.cancel()
        self.process.kill()
        self.process.wait()


def broken(text: str) -> str:
    """An event file with a month 13, an unknown kind and a misspelt field."""
    text, dates = re.subn(r'^  date: "[0-9-]+"$', '  date: "2024-13"', text, count=1, flags=re.MULTILINE)
    text, kinds = re.subn(r"^  kind: \w+$", "  kind: meetin", text, count=1, flags=re.MULTILINE)
    text, titles = re.subn(r"^  title:", "  titel:", text, count=1, flags=re.MULTILINE)
    assert (dates, kinds, titles) == (1, 1, 1)
    return text


EXPECTED = ["a date from 1901 to 2199", "Value is not accepted", "Property titel is not allowed"]


def assert_reported(found: list[dict[str, Any]], text: str) -> None:
    lines = text.splitlines()
    for expected in EXPECTED:
        [diagnostic] = [d for d in found if expected in d["message"]]
        line = lines[diagnostic["range"]["start"]["line"]]
        assert ("2024-13" if "date" in expected else "meetin" if "Value" in expected else "titel") in line


@pytest.mark.slow
def test_yaml_language_server_reports_the_broken_fields_by_the_modeline_and_by_the_settings(
    initialized: Path,
) -> None:
    event_file = initialized / "events" / "2024.yaml"
    good = event_file.read_text(encoding="utf-8")
    settings = json.loads((initialized / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    server = LanguageServer(initialized)
    try:
        bad = broken(good)
        assert_reported(server.diagnostics(event_file, bad, until=EXPECTED[0]), bad)
        assert server.diagnostics(initialized / "events" / "2025.yaml", good) == []  # same schema, a good file
    finally:
        server.close()
    server = LanguageServer(initialized, schemas=settings["yaml.schemas"])
    try:
        bad = MODELINE.sub("", broken(good), count=1)  # no modeline: the settings' mapping alone
        assert not bad.startswith("# yaml-language-server")
        assert_reported(server.diagnostics(event_file, bad, until=EXPECTED[0]), bad)
    finally:
        server.close()


@pytest.mark.slow
def test_yaml_language_server_reports_a_broken_bundled_event() -> None:
    event_file = DATASET / "events" / "2017.yaml"  # opened with edited text: the file is not changed
    good = event_file.read_text(encoding="utf-8")
    other = DATASET / "events" / "2018.yaml"
    server = LanguageServer(REPO)
    try:
        bad = broken(good)
        assert_reported(server.diagnostics(event_file, bad, until=EXPECTED[0]), bad)
        assert server.diagnostics(other, other.read_text(encoding="utf-8")) == []  # the schema is loaded by now
    finally:
        server.close()
    assert event_file.read_text(encoding="utf-8") == good


@pytest.mark.slow
def test_yaml_language_server_shows_what_a_field_is_for_on_hover() -> None:
    event_file = DATASET / "events" / "2017.yaml"
    text = event_file.read_text(encoding="utf-8")
    lines = text.splitlines()
    server = LanguageServer(REPO)
    try:
        assert server.diagnostics(event_file, text) == []  # opened, and its schema loaded
        for field, meaning in [("title", "What happened, in a line"), ("location", "Where it was held")]:
            line = next(i for i, content in enumerate(lines) if content.startswith(f"  {field}:"))
            shown = server.hover(event_file, line, 3)
            assert f"#### {field.title()}" in shown and meaning in shown, shown
    finally:
        server.close()
