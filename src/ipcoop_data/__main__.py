from ipcoop_data.entry import run

raise SystemExit(run())
