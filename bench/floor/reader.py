"""Floor reader: logs in to the AMI, reads frames, forwards each AgentCalled (who rings, who calls) over a
websocket to the floor app. No translation, no delivery guarantees: the least a bridge can do.

    python bench/floor/reader.py --ami-port 5038 --app ws://127.0.0.1:8899/in
"""

from __future__ import annotations

import argparse
import asyncio
import json

from websockets.asyncio.client import connect


async def main(ami_port: int, app: str) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", ami_port)
    await reader.readline()  # the banner
    writer.write(b"Action: Login\r\nUsername: cc\r\nSecret: cc-secret\r\nActionID: 1\r\n\r\n")
    await writer.drain()
    async with connect(app, max_queue=None) as socket:
        frame: dict[str, str] = {}
        while line := await reader.readline():
            text = line.decode().rstrip("\r\n")
            if text:
                key, _, value = text.partition(": ")
                frame.setdefault(key, value)
                continue
            if frame.get("Event") == "AgentCalled":
                extension = frame.get("Interface", "").rsplit("/", 1)[-1]
                await socket.send(json.dumps({"extension": extension, "caller": frame.get("CallerIDNum", ""),
                                              "call_id": frame.get("Linkedid", "")}))  # fmt: skip
            frame = {}


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--ami-port", type=int, required=True)
    parser.add_argument("--app", required=True)
    args = parser.parse_args()
    asyncio.run(main(args.ami_port, args.app))
