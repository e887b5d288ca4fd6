"""Where a record came from: its file, its line, and the line of each of its fields."""

from __future__ import annotations

from dataclasses import dataclass, field

FieldPath = tuple[str | int, ...]

#: Every distinct tuple of field paths, kept once: records of one shape (most records of a file)
#: share it, so each record holds only its own line offsets.
_SHAPES: dict[tuple[FieldPath, ...], tuple[FieldPath, ...]] = {}


@dataclass(frozen=True, slots=True)
class Origin:
    """A record's file and line, and its fields' lines.

    The fields' lines are kept compactly, because a dataset holds one Origin per record and a
    finding asks for a field's line only now and then: the paths as a tuple shared by every record
    of the same shape, and each line as its distance from the record's own line (a small int,
    which Python does not allocate). ``lines`` rebuilds the mapping when asked.
    """

    file: str
    line: int
    paths: tuple[FieldPath, ...] = field(default=(), compare=False, repr=False)
    offsets: tuple[int, ...] = field(default=(), compare=False, repr=False)

    @classmethod
    def with_lines(cls, file: str, line: int, lines: dict[FieldPath, int]) -> Origin:
        paths = tuple(lines)
        return cls(file, line, _SHAPES.setdefault(paths, paths), tuple(n - line for n in lines.values()))

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
