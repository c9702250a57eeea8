from cti_bridge.service import run_main

raise SystemExit(run_main())
