from ipcoop_data.cli import main

raise SystemExit(main())
