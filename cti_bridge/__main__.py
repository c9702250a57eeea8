import asyncio

from cti_bridge.service import main

raise SystemExit(asyncio.run(main()))
