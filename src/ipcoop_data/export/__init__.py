"""Exporters: Dataset (+ Report) -> files. Each writes atomically and deterministically."""

from __future__ import annotations

from .json import to_json

__all__ = ["to_json"]
