"""What users of ruff or sqlite-utils expect of a command line (a start on issue 14's list)."""

from __future__ import annotations

import pytest

from ipcoop_data.cli import main


def test_bare_ipcoop_prints_help_and_succeeds(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: ipcoop") and "validate" in out and "export" in out


@pytest.mark.parametrize(
    ("argv", "meant"), [(["valdate"], "validate"), (["export", "xlx", "--out", "x"], "xlsx"), (["stat"], "stats")]
)
def test_a_mistyped_command_suggests_the_right_one(
    capsys: pytest.CaptureFixture[str], argv: list[str], meant: str
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == 2
    assert f"did you mean {meant!r}?" in capsys.readouterr().err
