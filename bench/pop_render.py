"""The screen-pop as the agent sees it: from the AMI event to the caller's name painted in a real chromium
page, and to the customer's history painted; and the same run's floor.

    .venv/bin/python bench/import.py --customers 100000       # fills cc_bench once
    .venv/bin/python bench/pop_render.py --rate 20 --seconds 60 --agents 500 --pages 4

Phase 1 (ours): the AMI simulator → the CTI bridge (pyst2, own process) → the app (`contact-center serve`,
own process) on PostgreSQL + Redis → 500 agent websockets, of which `--pages` belong to agents signed in
to a chromium page. Calls arrive at `--rate` per second; every fourth call rings one of the page agents
(one call at a time each, so each pop opens the drawer). In the page, the Element Timing API reports when
the caller's name (`elementtiming="name:…"`) and the history (`history:…`) were painted; times are
compared with when the simulator wrote `AgentCalled`, on the same clock.

Phase 2 (floor): the same simulator and call rate, the same hops with nothing else — a minimal AMI reader
process, a websocket to a minimal app process that does one indexed phone lookup on the same database,
and a websocket to each of the 500 agents. Reported: ours ÷ floor for the first frame at the socket.
Targets: painted name p99 ≤ 50 ms, history painted p99 ≤ 100 ms, first frame ≤ 3× the floor at p99.
Writes bench/results/pop_render.json.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.async_api import Browser, Page, async_playwright
from sqlalchemy import update
from websockets.asyncio.client import ClientConnection, connect

from bench._common import ADMIN_DSN, database_exists, database_url, machine, percentiles, write_result
from bench.screen_pop import REDIS, Measure, _agents, _prepare, _spawn, _wait_http
from contact_center.auth import passwords
from contact_center.db.migrate import upgrade_async
from contact_center.db.session import create_engine, create_session_factory
from contact_center.models import User
from contact_center.settings import DatabaseSettings
from cti_bridge.simulator import AmiSimulator

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "bench-page-pass-1"
# Collects the Element Timing entries of the call bar and the drawer, and closes the drawer once the
# history is painted so that the next call opens it again.
PAINT_OBSERVER = """
window.__paint = {};
window.__arrived = {};
const PlainWebSocket = window.WebSocket;
window.WebSocket = class extends PlainWebSocket {
  constructor(...args) {
    super(...args);
    this.addEventListener("message", (e) => {
      const at = performance.timeOrigin + performance.now();
      if (typeof e.data === "string" && e.data.includes('"screen_pop"')) {
        const m = JSON.parse(e.data);
        const key = (m.complete ? "complete:" : "first:") + m.call.call_id;
        if (!(key in window.__arrived)) {
          window.__arrived[key] = at;
          if (!m.complete) {  // the page's floor: a bare text node painted on arrival, nothing else
            const floor = document.createElement("span");
            floor.textContent = "·";
            floor.setAttribute("elementtiming", "floor:" + m.call.call_id);
            floor.style.cssText = "position:fixed;top:0;left:0;font-size:8px;pointer-events:none";
            document.body.append(floor);
            setTimeout(() => floor.remove(), 1000);
          }
        }
      }
    });
  }
};
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (!(entry.identifier in window.__paint)) window.__paint[entry.identifier] = performance.timeOrigin + entry.renderTime;
    if (entry.identifier.startsWith("history:")) setTimeout(() => document.querySelector("[data-close-drawer]")?.click(), 50);
  }
}).observe({ type: "element", buffered: true });
"""


async def _passwords(url: str, names: list[str]) -> None:
    """The page agents sign in like people do."""
    engine = create_engine(DatabaseSettings(url=url))
    hashed = await passwords.hash_password_off_loop(PASSWORD)
    async with create_session_factory(engine)() as session, session.begin():
        await session.execute(update(User).where(User.username.in_(names)).values(password_hash=hashed))
    await engine.dispose()


async def _page(browser: Browser, port: int, name: str) -> Page:
    context = await browser.new_context(locale="zh-TW")
    page: Page = await context.new_page()
    await page.add_init_script(PAINT_OBSERVER)
    await page.goto(f"http://127.0.0.1:{port}/login?next=/desk")
    await page.fill("input[name=username]", name)
    await page.fill("input[name=password]", PASSWORD)
    await page.click("button[type=submit]")
    await page.wait_for_selector("[data-testid=ws-status][data-state=connected]")
    return page


async def _place_calls(simulator: AmiSimulator, args: argparse.Namespace, extensions: list[str], paged: list[str],
                       callers: list[str]) -> int:  # fmt: skip
    rng = random.Random(11)
    busy_until = dict.fromkeys(paged, 0.0)
    placed = 0
    started = time.monotonic()
    while time.monotonic() - started < args.seconds:
        caller = rng.choice(callers)
        now = time.monotonic()
        free = [ext for ext, until in busy_until.items() if until <= now]
        if placed % 4 == 0 and free:
            first = rng.choice(free)
            busy_until[first] = now + 2.5  # one call at a time on a page: each pop opens the drawer
            ring = [first, rng.choice(extensions)]
        else:
            ring = rng.sample(extensions, 2)
        await simulator.place_call("answered", caller, agents=ring, speed=1.0)
        placed += 1
        await asyncio.sleep(max(0.0, started + placed / args.rate - time.monotonic()))
    await simulator.wait_calls_done()
    return placed


async def ours(args: argparse.Namespace, url: str, simulator: AmiSimulator, measure: Measure) -> dict[str, object]:
    tokens, pbx, callers = await _prepare(url, args.agents)
    extensions = list(tokens)
    paged = extensions[: args.pages]
    await _passwords(url, [f"bench-a{int(ext) - 3000:04d}" for ext in paged])
    app_port = 8800
    env = {**os.environ, "DATABASE_URL": url, "REDIS_URL": REDIS, "CHANNELS_PREFIX": "bench",
           "CC_VAR_DIR": "var/bench-app", "LOG_LEVEL": "WARNING", "TRUSTED_ORIGINS": f"http://127.0.0.1:{app_port}"}  # fmt: skip
    app = _spawn(["serve", "--port", str(app_port)], env, Path("var/bench-app.log"))
    bridge = None
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path="/usr/bin/chromium")
        try:
            await _wait_http(app_port)
            pages = [await _page(browser, app_port, f"bench-a{int(ext) - 3000:04d}") for ext in paged]
            listeners = await _agents(app_port, tokens, measure)
            print(f"{len(listeners)} agent sockets, {len(pages)} chromium pages", flush=True)
            bridge = _spawn(["bridge"], {**env, "AMI_PORT": str(simulator.port), "APP_URL": f"http://127.0.0.1:{app_port}",
                                         "BRIDGE_TOKEN": pbx}, Path("var/bench-bridge.log"))  # fmt: skip
            while simulator.connections < 1:
                await asyncio.sleep(0.1)
            await asyncio.sleep(1.0)
            placed = await _place_calls(simulator, args, extensions, paged, callers)
            await asyncio.sleep(3)
            painted: dict[str, float] = {}
            for page in pages:
                painted.update(await page.evaluate("window.__paint"))
                painted.update(await page.evaluate("window.__arrived"))
            for task in listeners:
                task.cancel()
        finally:
            for process in (bridge, app):
                if process is not None:
                    process.terminate()
                    process.wait(timeout=15)
            await browser.close()
    rang = measure.rang
    names = [(painted[f"name:{c}"] / 1000 - t) * 1000 for c, t in rang.items() if f"name:{c}" in painted]
    history = [(painted[f"history:{c}"] / 1000 - t) * 1000 for c, t in rang.items() if f"history:{c}" in painted]
    floor_painted = [(painted[f"floor:{c}"] / 1000 - t) * 1000 for c, t in rang.items() if f"floor:{c}" in painted]
    arrived = [(painted[f"first:{c}"] / 1000 - t) * 1000 for c, t in rang.items() if f"name:{c}" in painted]
    complete = [(painted[f"complete:{c}"] / 1000 - t) * 1000 for c, t in rang.items() if f"history:{c}" in painted]
    frames = [(measure.popped[c] - t) * 1000 for c, t in rang.items() if c in measure.popped]
    lost = [c for c in rang if c not in measure.completed]
    return {"calls": placed, "rang": len(rang), "lost": len(lost), "first_frame_at_socket": percentiles(frames),
            "first_frame_in_page": percentiles(arrived) if len(arrived) > 1 else {"n": len(arrived)},
            "complete_frame_in_page": percentiles(complete) if len(complete) > 1 else {"n": len(complete)},
            "name_painted": percentiles(names) if len(names) > 1 else {"n": len(names)},
            "bare_text_painted": percentiles(floor_painted) if len(floor_painted) > 1 else {"n": len(floor_painted)},
            "history_painted": percentiles(history) if len(history) > 1 else {"n": len(history)}}  # fmt: skip


async def floor(args: argparse.Namespace, simulator: AmiSimulator, extensions: list[str], callers: list[str]) -> dict[str, object]:  # fmt: skip
    port = 8899
    dsn = ADMIN_DSN.rsplit("/", 1)[0] + f"/{args.database}"
    app = subprocess.Popen([sys.executable, str(ROOT / "bench/floor/app.py"), "--port", str(port), "--dsn", dsn])
    reader = None
    received: dict[str, float] = {}
    rang: dict[str, float] = {}
    emit = simulator.emit

    def timed(frame: dict[str, str]) -> None:
        emit(frame)
        if frame.get("Event") == "AgentCalled":
            rang.setdefault(frame.get("Linkedid", ""), time.time())

    simulator.emit = timed  # type: ignore[method-assign,assignment]

    async def listen(socket: ClientConnection) -> None:
        async for raw in socket:
            received.setdefault(json.loads(raw)["call_id"], time.time())

    try:
        await _wait_http(port)
        sockets = [await connect(f"ws://127.0.0.1:{port}/agent/{ext}", max_queue=None) for ext in extensions]
        tasks = [asyncio.create_task(listen(s)) for s in sockets]
        reader = subprocess.Popen([sys.executable, str(ROOT / "bench/floor/reader.py"), "--ami-port",
                                   str(simulator.port), "--app", f"ws://127.0.0.1:{port}/in"])  # fmt: skip
        while simulator.connections < 1:
            await asyncio.sleep(0.1)
        await asyncio.sleep(1.0)
        rng = random.Random(11)
        placed = 0
        started = time.monotonic()
        while time.monotonic() - started < args.seconds:
            await simulator.place_call("answered", rng.choice(callers), agents=rng.sample(extensions, 2), speed=1.0)
            placed += 1
            await asyncio.sleep(max(0.0, started + placed / args.rate - time.monotonic()))
        await simulator.wait_calls_done()
        await asyncio.sleep(2)
        for task in tasks:
            task.cancel()
    finally:
        simulator.emit = emit  # type: ignore[method-assign]
        for process in (reader, app):
            if process is not None:
                process.terminate()
                process.wait(timeout=15)
    frames = [(received[c] - t) * 1000 for c, t in rang.items() if c in received]
    return {"calls": placed, "rang": len(rang), "received": len(frames), "first_frame_at_socket": percentiles(frames)}


async def run(args: argparse.Namespace) -> dict[str, object]:
    url = database_url(args.database)
    await upgrade_async(url)
    simulator = AmiSimulator()
    plain_emit = simulator.emit
    measure = Measure()
    measure.wrap(simulator)
    await simulator.start()
    try:
        result = await ours(args, url, simulator, measure)
        simulator.emit = plain_emit  # type: ignore[method-assign]
        tokens, _, callers = await _prepare(url, args.agents)
        result_floor = await floor(args, simulator, list(tokens), callers)
    finally:
        await simulator.stop()
    ratio = None
    ours_frame, floor_frame = result["first_frame_at_socket"], result_floor["first_frame_at_socket"]
    if isinstance(ours_frame, dict) and isinstance(floor_frame, dict) and floor_frame.get("p99_ms"):
        ratio = {k: round(ours_frame[k] / floor_frame[k], 2) for k in ("p50_ms", "p95_ms", "p99_ms")}
    return {"ours": result, "floor": result_floor, "ours_over_floor": ratio}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", default="cc_bench")
    parser.add_argument("--rate", type=float, default=20.0)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--agents", type=int, default=500)
    parser.add_argument("--pages", type=int, default=4)
    args = parser.parse_args()
    if not database_exists(args.database):
        print(f"database {args.database} does not exist: run bench/import.py first", file=sys.stderr)
        return 2
    Path("var").mkdir(exist_ok=True)
    result = asyncio.run(run(args))
    print(json.dumps(result, indent=2, ensure_ascii=False))
    write_result("pop_render", {"date": dt.date.today().isoformat(), "machine": machine(), "rate": args.rate,
                                "seconds": args.seconds, "agents": args.agents, "pages": args.pages, **result,
                                "targets": {"name_painted_p99_ms": 50, "history_painted_p99_ms": 100,
                                            "first_frame_ours_over_floor_p99": 3}})  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
