"""Settings that follow how the process is run: links name the address it serves on unless APP_URL says."""

from __future__ import annotations

import pytest

from contact_center.settings import DEFAULT_APP_URL, load_settings, served_at


def test_app_url_follows_the_served_port_and_host(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("APP_URL", raising=False)
    settings = load_settings()
    assert settings.app_url == DEFAULT_APP_URL
    assert served_at(settings, "127.0.0.1", 8100).app_url == "http://127.0.0.1:8100"
    # The environment carries it to `serve --workers N`'s processes.
    assert load_settings().app_url == "http://127.0.0.1:8100"
    monkeypatch.delenv("APP_URL")
    assert served_at(settings, "0.0.0.0", 9000).app_url == "http://127.0.0.1:9000"
    monkeypatch.delenv("APP_URL")
    assert served_at(settings, "::1", 9000).app_url == "http://[::1]:9000"


def test_an_explicit_app_url_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("APP_URL", "https://support.example.com.tw")
    settings = load_settings()
    assert served_at(settings, "0.0.0.0", 8000).app_url == "https://support.example.com.tw"
