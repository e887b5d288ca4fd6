"""The ``ipcoop`` console script: Ctrl-C while the program is still starting ends as cleanly as later."""

from __future__ import annotations

import sys


def run() -> int:
    try:
        from ipcoop_data.cli import main
    except KeyboardInterrupt:
        print("ipcoop: interrupted", file=sys.stderr)
        return 130
    return main()
