"""Files that come with messages: stored once by content (SHA-256) under `CC_VAR_DIR/attachments`, typed
by their bytes (filetype), never by their name — a file called `.pdf` whose bytes are a Windows program
is stored as what it is, and every file is served as a download (`Content-Disposition: attachment`),
images only shown inline after sniffing said they are images."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

import filetype
from sqlalchemy.ext.asyncio import AsyncSession

from contact_center.models import Attachment

INLINE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})
MAX_NAME = 255


def store_dir(var_dir: Path) -> Path:
    return var_dir / "attachments"


def sniff(data: bytes) -> str:
    """The content type the bytes say (text when they decode as UTF-8, else octet-stream)."""
    found = filetype.guess_mime(data[:8192])
    if found:
        return str(found)
    try:
        data[:8192].decode("utf-8")
    except UnicodeDecodeError:
        return "application/octet-stream"
    return "text/plain"


def path_of(var_dir: Path, sha256: str) -> Path:
    return store_dir(var_dir) / sha256[:2] / sha256


def write(var_dir: Path, data: bytes) -> str:
    """The bytes on disk (once per content; written to a temporary file and renamed, so a reader never
    sees half a file); their SHA-256."""
    digest = hashlib.sha256(data).hexdigest()
    target = path_of(var_dir, digest)
    if target.exists():
        return digest
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    Path(handle.name).replace(target)
    return digest


def add(session: AsyncSession, var_dir: Path, ticket_id: int, message_id: int | None, name: str | None,
        data: bytes, declared_type: str | None, inline: bool = False) -> Attachment:  # fmt: skip
    """Stores the file and records it on the ticket (the caller commits)."""
    digest = write(var_dir, data)
    kind = sniff(data)
    clean = Path((name or "").replace("\\", "/")).name.strip()[:MAX_NAME] or "attachment"
    row = Attachment(ticket_id=ticket_id, message_id=message_id, sha256=digest, size=len(data), name=clean,
                     content_type=kind, declared_type=(declared_type or "")[:100] or None,
                     inline=inline and kind in INLINE_TYPES)  # fmt: skip
    session.add(row)
    return row
