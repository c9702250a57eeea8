"""How long a newcomer waits: `scripts/demo` on an empty var directory until the server answers, until
a call pops on alice's desk (her agent socket, signed in as soon as the server answers), and until the
classifier is ready. With --fresh-clone it first clones this checkout into a new folder and times
`scripts/bootstrap` there with empty pip and uv caches (the install a new machine does).

Floor, measured in the same run: starting Python and importing the app (`import contact_center.app`),
which any start pays before it can answer.

    python bench/demo_start.py [--fresh-clone] [--runs 3] [--customers 2000]
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from websockets.sync.client import connect

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench._common import machine, write_result
from tests.e2e.conftest import _free_port

HERE = Path(__file__).resolve().parent.parent
STEPS = ("database", "accounts", "server", "demo", "assist", "telephony", "classifier")  # the demo's step lines
DONE = ("ready;", "failed:")  # "failed: why" or "ready; held-out ..."


def _step_of(line: str) -> tuple[str, str]:
    words = line.split()
    return (words[0], words[1]) if line.startswith("  ") and len(words) > 1 else ("", "")


def fresh_clone(into: Path) -> tuple[Path, float]:
    checkout = into / "clone"
    subprocess.run(["git", "clone", "-q", str(HERE), str(checkout)], check=True)
    env = {**os.environ, "PIP_NO_CACHE_DIR": "1", "UV_CACHE_DIR": str(into / "uv-cache")}
    started = time.monotonic()
    subprocess.run([str(checkout / "scripts" / "bootstrap")], check=True, env=env)
    took = time.monotonic() - started
    dirty = subprocess.run(["git", "status", "--porcelain"], cwd=checkout, capture_output=True, text=True).stdout
    if dirty.strip():
        raise SystemExit(f"bootstrap changed the checkout:\n{dirty}")
    return checkout, took


def import_floor(checkout: Path) -> float:
    started = time.monotonic()
    subprocess.run([str(checkout / ".venv" / "bin" / "python"), "-c", "import contact_center.app"], check=True)
    return time.monotonic() - started


def _get(url: str, opener: urllib.request.OpenerDirector | None = None, data: bytes | None = None) -> Any:
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    with (opener.open if opener else urllib.request.urlopen)(request, timeout=5) as response:
        return json.load(response)


def one_run(checkout: Path, customers: int) -> dict[str, Any]:
    port = _free_port()
    var = Path(tempfile.mkdtemp(prefix="demo-var-"))
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "APP_URL", "LOG_LEVEL")}
    env["CC_VAR_DIR"] = str(var)
    started = time.monotonic()
    process = subprocess.Popen(
        [str(checkout / "scripts" / "demo"), "--port", str(port), "--customers", str(customers)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    lines: list[tuple[float, str]] = []

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append((time.monotonic() - started, line.rstrip()))

    threading.Thread(target=read, daemon=True).start()
    base = f"http://127.0.0.1:{port}"
    try:
        while True:
            try:
                _get(base + "/health")
                break
            except (urllib.error.URLError, ConnectionError):
                if process.poll() is not None or time.monotonic() - started > 120:
                    raise SystemExit("the demo did not answer:\n" + "\n".join(text for _, text in lines)) from None
                time.sleep(0.05)
        serving = time.monotonic() - started
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        _get(base + "/api/auth/login", opener, json.dumps({"username": "alice", "password": "demo1234"}).encode())
        cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
        with connect(f"ws://127.0.0.1:{port}/ws/agent", additional_headers={"Cookie": cookie}) as agent:
            while json.loads(agent.recv(timeout=180))["type"] != "screen_pop":
                pass
        popped = time.monotonic() - started
        while not any(_step_of(text)[0] == "classifier" and _step_of(text)[1] in DONE for _, text in lines):
            if time.monotonic() - started > 900:
                break
            time.sleep(0.2)
        trained = next((at for at, text in lines if _step_of(text) == ("classifier", "ready;")), None)
    finally:
        process.terminate()
        process.wait(timeout=30)
    steps: dict[str, float] = {}
    for at, text in lines:  # a step's own line comes first (the banner repeats "database")
        if _step_of(text)[0] in STEPS:
            steps.setdefault(_step_of(text)[0], round(at, 1))
    if trained is not None:
        steps["classifier"] = round(trained, 1)
    return {"serving_s": round(serving, 2), "first_pop_s": round(popped, 2),
            "classifier_ready_s": round(trained, 1) if trained else None, "steps_done_at_s": steps,
            "output": [text for _, text in lines]}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fresh-clone", action="store_true")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--customers", type=int, default=2000)
    args = parser.parse_args()
    result: dict[str, Any] = {"machine": machine(), "date": time.strftime("%Y-%m-%d"), "customers": args.customers}
    with tempfile.TemporaryDirectory(prefix="demo-start-") as scratch:
        checkout = HERE
        if args.fresh_clone:
            checkout, took = fresh_clone(Path(scratch))
            result["bootstrap_fresh_clone_s"] = round(took, 1)
            print(f"scripts/bootstrap on a fresh clone, empty pip and uv caches: {took:.1f} s")
        result["floor_import_app_s"] = round(import_floor(checkout), 2)
        runs = []
        for n in range(args.runs):
            run = one_run(checkout, args.customers)
            runs.append(run)
            print(f"run {n + 1}: serving after {run['serving_s']} s, pop on alice's desk after {run['first_pop_s']} s, "
                  f"classifier ready after {run['classifier_ready_s']} s; steps {run['steps_done_at_s']}")  # fmt: skip
        result["runs"] = runs
        for key in ("serving_s", "first_pop_s"):
            result[f"median_{key}"] = statistics.median(r[key] for r in runs)
    print(f"floor (start Python, import the app): {result['floor_import_app_s']} s; "
          f"median serving {result['median_serving_s']} s, median first pop {result['median_first_pop_s']} s")  # fmt: skip
    write_result("demo_start", result)


if __name__ == "__main__":
    main()
