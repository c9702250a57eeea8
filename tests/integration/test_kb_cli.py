"""`contact-center kb import` and `kb suggest` on the embedded database, as an operator runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ARTICLES = [
    {"external_id": "KB-1", "title": "冷氣室內機滴水", "body": "排水管堵塞或機身不水平會讓室內機滴水，請清理排水管。",
     "lang": "zh-Hant", "tags": ["冷氣", "漏水"], "product": "RAC"},
    {"external_id": "KB-2", "title": "How to print an e-invoice", "body": "Open the member centre and choose Orders.",
     "lang": "en", "tags": ["invoice"]},
]  # fmt: skip


def _cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CC_VAR_DIR": str(tmp_path / "var")}
    env.pop("DATABASE_URL", None)
    return subprocess.run([sys.executable, "-m", "contact_center", *args], env=env, capture_output=True, text=True,
                          timeout=120, check=False)  # fmt: skip


def test_import_is_idempotent_reports_bad_lines_and_suggest_prints_the_ranking(tmp_path: Path) -> None:
    good = tmp_path / "articles.jsonl"
    good.write_text("\n".join(json.dumps(a, ensure_ascii=False) for a in ARTICLES) + "\n", encoding="utf-8")
    first = _cli(tmp_path, "kb", "import", str(good))
    assert first.returncode == 0, first.stderr
    assert "2 read, 2 new" in first.stdout
    again = _cli(tmp_path, "kb", "import", str(good))
    assert "0 new, 0 updated, 2 unchanged" in again.stdout

    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        '{"external_id": "KB-3", "title": "x"}\nnot json\n' + json.dumps({**ARTICLES[1], "title": "Print it"})
    )
    mixed = _cli(tmp_path, "kb", "import", str(bad))
    assert mixed.returncode == 1
    assert f"{bad}:1: error:" in mixed.stderr and "body" in mixed.stderr
    assert f"{bad}:2: error: not valid JSON" in mixed.stderr
    assert "1 updated" in mixed.stdout and "2 skipped" in mixed.stdout

    ranked = _cli(tmp_path, "kb", "suggest", "冷氣一直在漏水", "--limit", "2")
    assert ranked.returncode == 0, ranked.stderr
    assert ranked.stdout.splitlines()[0].split()[2] == "KB-1"
    nothing = _cli(tmp_path, "kb", "suggest", "zzqx")
    assert "no article matches" in nothing.stdout
