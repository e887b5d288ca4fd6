"""Where a record came from: its file, its line, and the line of each of its fields."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

FieldPath = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Origin:
    """A record's file and line, and its fields' lines.

    The fields' lines are kept compactly, because a dataset holds one Origin per record and a
    finding asks for a field's line only now and then: the paths as a tuple, and each line as its
    distance from the record's own line (a small int, which Python does not allocate). Records of
    one shape written alike have the same two tuples, kept once (``with_lines``'s ``keep``).
    ``lines`` rebuilds the mapping when asked.
    """

    file: str
    line: int
    paths: tuple[FieldPath, ...] = field(default=(), compare=False, repr=False)
    offsets: tuple[int, ...] = field(default=(), compare=False, repr=False)

    @classmethod
    def with_lines(
        cls, file: str, line: int, lines: dict[FieldPath, int], keep: dict[Any, Any] | None = None
    ) -> Origin:
        """The origin of a record at ``line`` whose fields are at ``lines``. ``keep``, a table that
        lives as long as one load, holds one copy of each tuple of paths and of offsets."""
        paths = tuple(lines)
        offsets = tuple(n - line for n in lines.values())
        if keep is not None:
            paths, offsets = keep.setdefault(paths, paths), keep.setdefault(offsets, offsets)
        return cls(file, line, paths, offsets)

    @property
    def lines(self) -> dict[FieldPath, int]:
        """The line of each field, by its path (``("citations", 0, "quote")``)."""
        return {path: self.line + offset for path, offset in zip(self.paths, self.offsets, strict=True)}

    def line_of(self, path: FieldPath) -> int:
        """Line of the deepest known part of ``path`` (falls back to the record's own line)."""
        if not self.paths:
            return self.line
        lines = self.lines
        for end in range(len(path), 0, -1):
            found = lines.get(path[:end])
            if found is not None:
                return found
        return self.line
