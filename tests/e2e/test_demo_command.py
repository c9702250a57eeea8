"""The README's first command: `contact-center demo` on an empty var directory serves at once, prints its
URLs, and a simulated call pops on alice's desk once the demo data is in. How long each step takes is a
figure (bench/demo_start.py, the README), not an assertion here."""

from __future__ import annotations

import http.cookiejar
import json
import os
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from websockets.sync.client import connect

from tests.e2e.conftest import _free_port


class Demo:
    def __init__(self, port: int, process: subprocess.Popen[str]) -> None:
        self.port = port
        self.process = process
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def wait_for(self, text: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.output:
            assert self.process.poll() is None, f"the demo exited ({self.process.returncode}):\n{self.output}"
            assert time.monotonic() < deadline, f"no {text!r} within {timeout} s:\n{self.output}"
            time.sleep(0.05)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Demo]:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "APP_URL", "LOG_LEVEL")}
    env["CC_VAR_DIR"] = str(tmp_path / "var")  # empty: the first start of a new install
    process = subprocess.Popen(
        [sys.executable, "-m", "contact_center", "demo", "--port", str(port), "--customers", "300"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    running = Demo(port, process)
    try:
        yield running
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_the_demo_serves_prints_its_urls_and_pops_a_call_on_alices_desk(demo: Demo, tmp_path: Path) -> None:
    demo.wait_for("Press Ctrl+C", timeout=60)
    assert demo.url("/desk") in demo.output and demo.url("/health") in demo.output
    assert "mei" in demo.output  # the portal account is named
    with urllib.request.urlopen(demo.url("/health"), timeout=5) as response:
        health = json.load(response)
    assert health == {**health, "status": "ok", "database": "sqlite", "channels": "memory", "jobs": "in-process"}
    assert (tmp_path / "var" / "contact_center.sqlite3").exists()

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    login = urllib.request.Request(
        demo.url("/api/auth/login"),
        data=json.dumps({"username": "alice", "password": "demo1234"}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with opener.open(login, timeout=10) as response:
        assert json.load(response)["username"] == "alice"
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    with connect(
        f"ws://127.0.0.1:{demo.port}/ws/agent",
        additional_headers={"Cookie": cookie, "Origin": demo.url("")},
        open_timeout=10,
    ) as agent:
        deadline = time.monotonic() + 90
        kinds = []
        while True:
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"no screen-pop within 90 s (got {kinds}):\n{demo.output}"
            message = json.loads(agent.recv(timeout=remaining))
            kinds.append(message["type"])
            if message["type"] == "screen_pop":
                break
    assert message["call"]["extension"] == "1001"
    assert message["call"]["caller"]  # a known demo customer's number

    # Links the app hands out name the port it serves on (APP_URL follows --port).
    with opener.open(urllib.request.Request(demo.url("/api/tickets/1/csat-link"), method="POST"), timeout=10) as r:
        assert json.load(r)["url"].startswith(demo.url("/portal/csat/"))
    with urllib.request.urlopen(demo.url("/favicon.ico"), timeout=5) as response:
        assert response.headers["Content-Type"] == "image/x-icon" and response.read(4) == b"\x00\x00\x01\x00"

    demo.process.terminate()
    demo.process.wait(timeout=20)
    output = demo.output
    for noise in ("Running upgrade", "Context impl", "[INFO]", "Warning", "Traceback", "link down", "connection lost"):
        assert noise not in output, output
