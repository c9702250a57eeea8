"""Structured logs (structlog) with secrets redacted before anything is written.

Any key that names a secret is masked wherever it appears, nested included; a bearer token or an
AMI `Secret:` line inside a message is masked too. Phone numbers are personal data: log them only
where an operator needs them (the CTI path), never in bulk.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Mapping, MutableMapping
from typing import Any

import structlog

SECRET_KEYS = re.compile(r"pass(word)?|secret|token|authori[sz]ation|cookie|session|api[_-]?key", re.IGNORECASE)
_INLINE = [
    (re.compile(r"(Bearer\s+)[A-Za-z0-9._~+/=-]+", re.IGNORECASE), r"\1***"),
    (re.compile(r"\bcc_[A-Za-z0-9_-]{20,}"), "cc_***"),
    (re.compile(r"(Secret:\s*)\S+", re.IGNORECASE), r"\1***"),
    (re.compile(r"(/api/v1/cti/)[^/\s?\"']+"), r"\1***"),  # a PBX's CTI URL carries its token
]
MASK = "***"


def _scrub(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: MASK if isinstance(k, str) and SECRET_KEYS.search(k) else _scrub(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_scrub(v) for v in value)
    if isinstance(value, str):
        for pattern, replacement in _INLINE:
            value = pattern.sub(replacement, value)
    return value


def redact(_: Any, __: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """structlog processor: masks secrets in every field of the event."""
    return {k: MASK if SECRET_KEYS.search(k) else _scrub(v) for k, v in event.items()}


class _StderrLogger:
    """Writes each line to whatever `sys.stderr` is *now*: a logger bound to the stream of the moment
    of configuration breaks once that stream is replaced and closed (test capture, daemonising)."""

    def msg(self, message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    log = debug = info = warn = warning = error = critical = exception = fatal = msg


def _stderr_logger(*_: Any) -> _StderrLogger:
    return _StderrLogger()


def configure(level: str = "INFO", json: bool = False) -> None:
    logging.basicConfig(format="%(message)s", stream=sys.stderr, level=level)
    renderer: Any = structlog.processors.JSONRenderer() if json else structlog.dev.ConsoleRenderer(colors=False)
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            redact,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level)),
        logger_factory=_stderr_logger,
        cache_logger_on_first_use=True,
    )


def get_logger(name: str) -> Any:
    return structlog.get_logger(name)
