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
    # A key that names a secret inside a logged dict or frame: {'Secret': 'x'}, "password": "x", token=x.
    (
        re.compile(
            r"""((?:secret|password|passwd|token|authorization)['"]?\s*[:=]\s*['"]?)[^'",}\s]+""", re.IGNORECASE
        ),
        r"\1***",
    ),
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


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever `sys.stderr` is now (see _StderrLogger)."""

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _: Any) -> None:
        pass


def _stderr_logger(*_: Any) -> _StderrLogger:
    return _StderrLogger()


def redacting_formatter(json: bool = False) -> logging.Formatter:
    """For the standard library's handlers (ours, Litestar's, uvicorn's, the bridge's): every record goes
    through the same redaction as structlog's own lines."""
    renderer: Any = (
        structlog.processors.JSONRenderer()
        if json
        else structlog.dev.ConsoleRenderer(colors=False, exception_formatter=structlog.dev.plain_traceback)
    )
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[
            structlog.stdlib.add_logger_name,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            redact,
        ],
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer],
    )


def configure(level: str = "INFO", json: bool = False) -> None:
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "contact_center", False)]:
        root.removeHandler(old)  # configured again (tests, the demo): one handler of ours, others untouched
    handler = _StderrHandler()
    handler.setFormatter(redacting_formatter(json))
    handler.contact_center = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
    renderer: Any = (
        structlog.processors.JSONRenderer()
        if json
        else structlog.dev.ConsoleRenderer(colors=False, exception_formatter=structlog.dev.plain_traceback)
    )
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
