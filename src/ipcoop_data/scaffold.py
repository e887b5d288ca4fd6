"""``ipcoop init DIR``: a new dataset in the layout, ready to edit, validate and check in CI.

What it writes: one source with its text in ``texts/`` (pinned by ``text_sha256``), one
organization, one event that quotes the text, an empty file for every other record type, a
README, the JSON Schemas with an editor hint in every YAML file and a ``.vscode/settings.json``
(so that an editor checks the files as they are typed, offline), and a GitHub workflow. The
placeholder records say that they are placeholders: a starter dataset must not pass off an
invented fact as evidence.

The files are written into a hidden folder and put in place only once complete: an interrupted
init leaves no half dataset behind, and nothing that exists is ever overwritten.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import os
import secrets
import shutil
from pathlib import Path, PurePosixPath

from ipcoop_data.export.jsonschema import all_schemas, dumps
from ipcoop_data.read.load import LAYOUT
from ipcoop_data.version import __version__

#: The project's data dictionary (the "Data dictionary" URL of pyproject.toml).
DATA_DICTIONARY = "https://github.com/ipcoop-data/ipcoop-data#data-dictionary"
#: The GitHub Action of ipcoop-data (action.yml at the root of its repository), at this version.
ACTION = f"ipcoop-data/ipcoop-data@v{__version__}"
SCHEMAS = "schemas"


class InitRefused(Exception):
    """``ipcoop init`` will not write here (DIR is not empty, is a file, or has no parent)."""


def file_schema(relative: str) -> str:
    """Name of the schema file of a dataset file (``events/2024.yaml`` -> ``event-file.schema.json``)."""
    for record_type, pattern in LAYOUT:
        if fnmatch.fnmatch(relative, pattern):
            return f"{record_type}-file.schema.json"
    raise ValueError(f"{relative} is not a file of the dataset layout")


def schema_hint(relative: str, schemas: str = SCHEMAS) -> str:
    """The first line of a dataset file: yaml-language-server's modeline, naming its schema.

    ``relative`` is the file's path from the dataset root and ``schemas`` the schemas folder's path
    from the same root (``../schemas`` for a dataset in ``datasets/`` of a repository that keeps
    them beside it); the path written is relative to the file, as the modeline requires.
    """
    depth = len(PurePosixPath(relative).parts) - 1
    target = PurePosixPath(*([".."] * depth), schemas, file_schema(relative))
    return f"# yaml-language-server: $schema={target}\n"


def editor_settings(dataset: str = "", schemas: str = SCHEMAS) -> str:
    """``.vscode/settings.json``: each file schema mapped to its files, paths from the workspace root.

    ``dataset`` is the dataset folder's path from there (``""`` when the dataset is the root).
    """
    prefix = f"{dataset.rstrip('/')}/" if dataset else ""
    mapping = {f"{schemas}/{record_type}-file.schema.json": [prefix + pattern] for record_type, pattern in LAYOUT}
    return json.dumps({"yaml.schemas": mapping}, indent=2) + "\n"


SOURCE_ID = "example-report-2024"
TEXT_NAME = "example-report.txt"
QUOTE = "In March 2024, the Example Office held a cooperation meeting with a partner office"
SOURCE_TEXT = f"""\
Example report

This file stands in for the text of a source document. Replace it with the plain text of a real
source, byte for byte, and put the new file's sha256 in sources.yaml (text_sha256).

{QUOTE}.
"""


def starter_files(name: str) -> dict[str, str]:
    """Every file ``ipcoop init`` writes, by path relative to DIR; ``name`` titles the README."""
    sha256 = hashlib.sha256(SOURCE_TEXT.encode("utf-8")).hexdigest()
    records = {
        "sources.yaml": f"""\
# Documents cited by the dataset. `text` names the plain-text file in texts/ against which every
# quote is checked; `text_sha256` pins its bytes (sha256sum texts/FILE).
- id: {SOURCE_ID}
  title: Example report (a placeholder written by ipcoop init)
  kind: report
  published: "2024-04"
  text: {TEXT_NAME}
  text_sha256: {sha256}
  note: Replace this source, its text and the records citing it with real ones.
""",
        "organizations.yaml": f"""\
# Offices and bodies. An organization keeps its id across renames; `names` lists each name with
# the span in which it was used, and each name cites a source that uses it.
- id: example-office
  kind: other
  names:
    - name: Example Office
      citations:
        - source: {SOURCE_ID}
          quote: "the Example Office held a cooperation meeting"
  note: A placeholder; a national office would have kind national_office and its country.
""",
        "events/2024.yaml": f"""\
# Events of 2024, one file per year of the event's date. Each cites the words of its source.
- id: 2024-03-example-office-meeting
  title: Cooperation meeting of the Example Office with a partner office
  kind: meeting
  date: "2024-03"
  parties: [example-office]
  citations:
    - source: {SOURCE_ID}
      quote: "{QUOTE}"
""",
        "observations/example-report-2024.yaml": "# Figures as this source states them (none yet).\n[]\n",
        "people.yaml": "# People, with the roles the sources give them.\n[]\n",
        "series.yaml": "# Recurring meetings and programmes.\n[]\n",
        "metrics.yaml": "# What a figure measures: id, label, unit, kind.\n[]\n",
        "rulings.yaml": "# Curators' decisions on discrepancies, each with a reason.\n[]\n",
        "relations.yaml": "# Arithmetic that must hold between figures.\n[]\n",
        "coverage.yaml": "# Dated or numbered sentences of the texts left out on purpose, each with a reason.\n[]\n",
    }
    files = {path: schema_hint(path) + text for path, text in records.items()}
    files[f"texts/{TEXT_NAME}"] = SOURCE_TEXT
    for schema_name, schema in all_schemas().items():
        files[f"{SCHEMAS}/{schema_name}"] = dumps(schema)
    files[".vscode/settings.json"] = editor_settings()
    files[".github/workflows/validate.yml"] = _WORKFLOW
    files[".gitattributes"] = (
        "# The source texts are evidence, pinned by sha256: never convert their line endings.\ntexts/** -text\n"
    )
    files["README.md"] = _README.format(name=name, dictionary=DATA_DICTIONARY, version=__version__)
    return files


_WORKFLOW = f"""\
# Validates this dataset on every push and pull request with ipcoop-data's GitHub Action (the
# action.yml of the repository OWNER/ipcoop-data; a fork names its own OWNER), pinned to the
# version whose schemas are in schemas/. Findings appear as annotations on the changed lines of a
# pull request, and an error fails the job.
name: validate
on:
  push:
  pull_request:
jobs:
  validate:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: {ACTION}
        with:
          dataset: .
"""

_README = """\
# {name}

A dataset in the layout of [ipcoop-data](https://github.com/ipcoop-data/ipcoop-data), written by
`ipcoop init`. Every record cites a short verbatim quote of a source document whose text is kept
in `texts/`; `ipcoop validate --dataset .` checks the records and every quote.

```
sources.yaml          documents cited, each with its text in texts/ and the text's sha256
organizations.yaml    offices and bodies, with dated names
people.yaml           people, with their roles
series.yaml           recurring meetings and programmes
metrics.yaml          what a figure measures
events/YYYY.yaml      events, one file per year of the event's date
observations/<source-id>.yaml   figures, filed under the source that states them
rulings.yaml          curators' decisions on discrepancies, each with a reason
relations.yaml        arithmetic that must hold between figures
coverage.yaml         sentences of the texts deliberately left without a record (ipcoop coverage)
texts/                the source documents as plain text, byte for byte
schemas/              the JSON Schemas of these files (ipcoop-data {version})
```

Every field of every file, with examples: the data dictionary, {dictionary}.

The records here are placeholders that show the shape: replace `texts/example-report.txt` with the
text of a real document, update its entry in `sources.yaml` (`sha256sum texts/FILE` gives
`text_sha256`), and replace the organization and the event with ones that source states.

Editors: each YAML file starts with a `# yaml-language-server: $schema=...` line, and
`.vscode/settings.json` maps the files to the schemas in `schemas/`, so an editor with the YAML
language server (VS Code with Red Hat's YAML extension, Neovim, Helix, Emacs) points at a wrong
field, date or code as you type, offline. After upgrading ipcoop-data, refresh the schemas with
`ipcoop schema --out schemas/`.

CI: `.github/workflows/validate.yml` runs the checks on every push and pull request.
"""


def init_dataset(target: str | os.PathLike[str]) -> list[str]:
    """Write the starter dataset at ``target``, a new or empty directory; return the paths written.

    Raises InitRefused when ``target`` is not empty, is not a directory or has no parent folder.
    The files are written into a hidden folder first: beside a new ``target``, which it then
    becomes by one rename; inside an empty one (which may be the working directory, or a mount
    point that a rename cannot replace), whose entries then move up, each by a rename, and are
    removed again if that is interrupted.
    """
    _refusal(Path(target))
    absolute = Path(os.path.abspath(target))  # 'ipcoop init .' names the working directory
    files = starter_files(absolute.name)
    empty_folder = absolute.is_dir()
    building = _new_folder(absolute if empty_folder else absolute.parent, absolute.name)
    try:
        _write(building, files)
        if empty_folder:
            _move_up(building, absolute)
        else:
            os.rename(building, absolute)
    finally:
        if building.exists():
            shutil.rmtree(building, ignore_errors=True)
    return sorted(files)


def _write(folder: Path, files: dict[str, str]) -> None:
    for relative, text in files.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())


def _move_up(building: Path, target: Path) -> None:
    moved: list[Path] = []
    try:
        for entry in sorted(building.iterdir()):
            destination = target / entry.name
            if destination.exists() or destination.is_symlink():
                raise InitRefused(f"{target} is no longer empty ({entry.name} appeared while init wrote)")
            os.rename(entry, destination)
            moved.append(destination)
    except BaseException:
        for destination in moved:  # only what init itself put there a moment ago
            if destination.is_dir():
                shutil.rmtree(destination, ignore_errors=True)
            else:
                destination.unlink(missing_ok=True)
        raise


def _refusal(target: Path) -> None:
    if target.is_symlink():
        raise InitRefused(f"{target} is a symbolic link; give a new or empty directory")
    if target.exists() and not target.is_dir():
        raise InitRefused(f"{target} exists and is not a directory")
    if target.is_dir():
        entries = sorted(entry.name for entry in target.iterdir())
        if entries:
            shown = ", ".join(entries[:3]) + (", ..." if len(entries) > 3 else "")
            raise InitRefused(
                f"{target} is not empty ({len(entries)} entries: {shown}); init writes a new dataset only into a "
                "new or empty directory and never overwrites: give another DIR"
            )
    if not target.absolute().parent.is_dir():
        raise InitRefused(f"the folder {target.absolute().parent} does not exist; create it first")


def _new_folder(parent: Path, name: str) -> Path:
    """A new hidden folder in ``parent``, made with the user's umask (mkdtemp's would be 0700)."""
    while True:
        folder = parent / f".{name}.init-{secrets.token_hex(4)}.tmp"
        try:
            folder.mkdir()
        except FileExistsError:
            continue
        return folder
