"""Floor app: a websocket in from the reader, one indexed phone lookup, a websocket out to the agent.

python bench/floor/app.py --port 8899 --dsn postgresql://postgres@127.0.0.1:5432/cc_bench
"""

from __future__ import annotations

import argparse
import asyncio
import json

import asyncpg
from websockets.asyncio.server import ServerConnection, serve

LOOKUP = """SELECT c.id, c.name FROM customer_phones p JOIN customers c ON c.id = p.customer_id
            WHERE p.e164 = $1 LIMIT 5"""


async def main(port: int, dsn: str) -> None:
    pool = await asyncpg.create_pool(dsn, min_size=4, max_size=8)
    agents: dict[str, ServerConnection] = {}

    async def pop(event: dict[str, str]) -> None:
        number = event["caller"]
        e164 = "+886" + number[1:] if number.startswith("0") else number
        async with pool.acquire() as conn:
            rows = await conn.fetch(LOOKUP, e164)
        target = agents.get(event["extension"])
        if target is not None:
            names = [r["name"] for r in rows]
            await target.send(json.dumps({"type": "screen_pop", "call_id": event["call_id"], "names": names}))

    async def handler(socket: ServerConnection) -> None:
        path = socket.request.path if socket.request else ""
        if path.startswith("/agent/"):
            agents[path.rsplit("/", 1)[1]] = socket
            await socket.wait_closed()
        elif path == "/in":
            async for raw in socket:
                asyncio.create_task(pop(json.loads(raw)))  # noqa: RUF006 - fire and forget, like a pop

    async with serve(handler, "127.0.0.1", port, max_queue=None):
        await asyncio.Future()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dsn", required=True)
    args = parser.parse_args()
    asyncio.run(main(args.port, args.dsn))
