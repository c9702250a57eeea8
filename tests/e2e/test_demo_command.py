"""The README's first command: `contact-center demo` loads demo data, prints its URLs and serves /health."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.e2e.conftest import _free_port


def test_demo_prints_urls_and_answers_health(tmp_path: Path) -> None:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env["CC_VAR_DIR"] = str(tmp_path / "var")
    process = subprocess.Popen(
        [sys.executable, "-m", "contact_center", "demo", "--port", str(port), "--customers", "40"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output: list[str] = []
    try:
        deadline = time.monotonic() + 90
        assert process.stdout is not None
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line and process.poll() is not None:
                break
            output.append(line)
            if "Press Ctrl+C" in line:
                break
        text = "".join(output)
        assert f"http://127.0.0.1:{port}/desk" in text, text
        assert f"http://127.0.0.1:{port}/health" in text
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=5) as response:
            health = json.load(response)
        assert response.status == 200
        assert health == {**health, "status": "ok", "database": "sqlite", "channels": "memory", "jobs": "in-process"}
        assert (tmp_path / "var" / "contact_center.sqlite3").exists()
    finally:
        process.terminate()
        process.wait(timeout=15)
