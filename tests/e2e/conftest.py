"""A real server process and Debian's chromium driven by Playwright (never `playwright install`)."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

T = TypeVar("T")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def live_server(db_url: str, tmp_path: Path) -> Iterator[str]:
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": db_url, "CC_VAR_DIR": str(tmp_path / "var")}
    env.pop("REDIS_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "contact_center", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/health", timeout=1) as response:
                if response.status == 200:
                    break
        except OSError:
            time.sleep(0.1)
    else:
        process.kill()
        output = process.stdout.read().decode() if process.stdout else ""
        raise RuntimeError(f"the server did not start:\n{output}")
    yield base
    process.terminate()
    process.wait(timeout=10)


# Module scope: Playwright's sync API keeps an event loop running in this thread while it lives,
# which would break the async tests of the modules after it.
@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"{CHROMIUM} is missing: scripts/services installs Debian's chromium")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="zh-TW")
    yield context.new_page()
    context.close()


class Telephony:
    """The AMI simulator and a CTI bridge on their own event loop in a thread, beside the browser test."""

    def __init__(self, app_url: str, token: str) -> None:
        from cti_bridge.service import Bridge, BridgeConfig
        from cti_bridge.simulator import AmiSimulator

        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.simulator = AmiSimulator()
        port = self.run(self.simulator.start())
        self.bridge = Bridge(BridgeConfig(ami_port=port, app_url=app_url, token=token, bridge_id="e2e"))
        self._bridge_run = asyncio.run_coroutine_threadsafe(self.bridge.run(), self.loop)
        self.run(asyncio.wait_for(self.bridge.link.connected.wait(), 15))

    def run(self, coroutine: Coroutine[Any, Any, T], timeout: float = 30) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.bridge.stop)
        self._bridge_run.result(30)
        self.run(self.simulator.stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
