"""What reading a dataset folder gives: the records that could be read, and the problems found.

The problems travel beside the Dataset, never on it: a Dataset is the records (read from files,
from the JSON export, or built in code), and what went wrong while reading files is the reader's
answer, handed to the checks explicitly (``checks.validate(loaded)``). Kept apart from
``read.load`` so that the checks can name this type without importing the YAML reader.
"""

from __future__ import annotations

from dataclasses import dataclass

from ipcoop_data.model.dataset import Dataset
from ipcoop_data.model.finding import Finding

__all__ = ["Loaded"]


@dataclass(frozen=True, slots=True)
class Loaded:
    """A dataset folder as read: its readable records, and a finding for each problem reading it.

    ``findings`` are in the order the files were read (the Report sorts them); each names its file
    and line. A record that could not be read is missing from ``dataset``, and a finding says why.
    """

    dataset: Dataset
    findings: tuple[Finding, ...] = ()

    @property
    def incomplete(self) -> bool:
        """Whether some record or file could not be read (an error finding): the dataset lacks it."""
        return any(f.severity == "error" for f in self.findings)
