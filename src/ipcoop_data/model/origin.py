"""Where a record came from: its file, its line, and the line of each of its fields."""

from __future__ import annotations

from dataclasses import dataclass, field

FieldPath = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Origin:
    file: str
    line: int
    lines: dict[FieldPath, int] = field(default_factory=dict, compare=False, repr=False)

    def line_of(self, path: FieldPath) -> int:
        """Line of the deepest known part of ``path`` (falls back to the record's own line)."""
        for end in range(len(path), 0, -1):
            found = self.lines.get(path[:end])
            if found is not None:
                return found
        return self.line
