"""The ``ipcoop`` console script: Ctrl-C while the program is still starting ends as cleanly as later."""

from __future__ import annotations

import signal
import sys


def run() -> int:
    # While the modules load, Ctrl-C is noted rather than raised: raised inside a compiled
    # extension's initialisation (pydantic-core), it becomes a Rust panic with a traceback.
    received: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: received.append(signum))
    try:
        # pydantic-core is loaded here too, though a run whose report comes from the cache never
        # uses it (66 ms): the CLI loads the models lazily, and a Ctrl-C that lands while its
        # compiled core initialises must find this handler, not the one that raises.
        import pydantic_core  # noqa: F401

        from ipcoop_data.cli import main
    finally:
        signal.signal(signal.SIGINT, previous)
    if received:
        return _interrupted()
    try:
        return main()
    except KeyboardInterrupt:  # after main() has restored the default handler: the run was over
        return _interrupted()


def _interrupted() -> int:
    print("ipcoop: interrupted", file=sys.stderr)
    return 130
