"""An e-mail as the contact centre needs it, from the bytes an MTA or a mailbox hands over.

The standard library's `email` (policy `default`) reads the structure; text is decoded through
`charsets` (labels read as the supersets mailers really write), HTML turned into text and the quoted
conversation cut (`text`). Nothing here raises on bad input: a message with no From, a broken MIME
structure or undecodable bytes still parses, with what went wrong in `defects`, so the caller can
store it and say why instead of losing it.
"""

from __future__ import annotations

import datetime as dt
import email.header
import email.utils
import re
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser

from contact_center.mail import charsets
from contact_center.mail.text import cut_quoted, html_to_text

TICKET_TAG = re.compile(r"\[#(\d{1,12})\]")
_MESSAGE_ID = re.compile(r"<([^<>\s]{1,500})>")
BOUNCE_SENDERS = ("mailer-daemon@", "postmaster@")
BULK_PRECEDENCE = frozenset({"bulk", "junk", "list", "auto_reply", "auto-reply"})


@dataclass(frozen=True, slots=True)
class Attachment:
    filename: str | None
    declared_type: str  # what the message says; the stored type is sniffed from the content
    data: bytes
    inline: bool
    content_id: str | None


@dataclass(slots=True)
class Mail:
    message_id: str | None
    in_reply_to: list[str]
    references: list[str]
    subject: str
    sender: str | None  # the From address, lower-case
    sender_name: str | None
    to: list[str]
    cc: list[str]
    date: dt.datetime | None
    text: str  # what the sender wrote this time
    full_text: str  # the whole text, quotes included
    html: str | None  # the HTML body as received (to be sanitised before it is ever shown)
    attachments: list[Attachment] = field(default_factory=list)
    automatic: str | None = None  # why no ticket or reply may come of it; None for a person's mail
    bounced: list[str] = field(default_factory=list)  # Message-IDs of our messages that bounced
    defects: list[str] = field(default_factory=list)

    @property
    def ticket_tag(self) -> int | None:
        found = TICKET_TAG.search(self.subject)
        return int(found.group(1)) if found else None


def _header_text(message: Message, name: str, defects: list[str]) -> str:
    """A header decoded by its encoded words' charsets read as their supersets; raw 8-bit guessed."""
    # The header as it came (policy `default` would decode it by its label alone, or mangle raw 8-bit).
    raw = next((str(value) for key, value in message.raw_items() if key.lower() == name.lower()), None)
    if raw is None:
        return ""
    raw = re.sub(r"\r?\n[ \t]", " ", raw)  # unfolded
    try:
        chunks = email.header.decode_header(raw)
    except Exception:  # noqa: BLE001  (malformed encoded words: keep the raw text)
        defects.append(f"{name}: malformed encoded words")
        return raw
    out: list[str] = []
    for chunk, label in chunks:
        data = chunk.encode("ascii", "surrogateescape") if isinstance(chunk, str) else chunk
        text, clean = charsets.decode(data, label)
        if not clean:
            defects.append(f"{name}: undecodable characters")
        out.append(text)
    joined = "".join(out) if any(label for _, label in chunks) else " ".join(o.strip() for o in out)
    return re.sub(r"\s+", " ", joined).strip()


def _ids(value: str) -> list[str]:
    return _MESSAGE_ID.findall(value or "")[:100]


def _addresses(message: Message, name: str, defects: list[str]) -> list[tuple[str, str]]:
    values = [_header_text(message, name, defects)] if message.get(name) else []
    return [(n, a.lower()) for n, a in email.utils.getaddresses(values) if "@" in a]


def _payload(part: Message, defects: list[str]) -> str:
    data = part.get_payload(decode=True)
    if not isinstance(data, bytes):
        return ""
    text, clean = charsets.decode(data, part.get_content_charset())
    if not clean:
        defects.append(f"{part.get_content_type()}: undecodable characters")
    return text


def _automatic(message: Message, sender: str | None) -> str | None:
    auto = (message.get("Auto-Submitted") or "").strip().lower()
    if auto and auto != "no":
        return f"Auto-Submitted: {auto}"
    precedence = (message.get("Precedence") or "").strip().lower()
    if precedence in BULK_PRECEDENCE:
        return f"Precedence: {precedence}"
    for name in ("X-Autoreply", "X-Autorespond", "X-Auto-Reply"):
        if message.get(name):
            return name
    if (message.get("X-Auto-Response-Suppress") or "").strip().lower() in ("all", "oof"):
        return "X-Auto-Response-Suppress"
    if message.get_content_type() == "multipart/report":
        return "bounce"
    if sender and sender.startswith(BOUNCE_SENDERS):
        return "bounce"
    if message.get("List-Id") or message.get("List-Unsubscribe"):
        return "mailing list"
    return None


def _bounced(message: Message) -> list[str]:
    """The Message-IDs a delivery report (RFC 3464) says were not delivered."""
    if message.get_content_type() != "multipart/report":
        return []
    failed = True
    found: list[str] = []
    for part in message.walk():
        kind = part.get_content_type()
        if kind == "message/delivery-status":
            body = part.get_payload()
            text = "\n".join(str(p) for p in body) if isinstance(body, list) else str(body)
            actions = re.findall(r"^Action:\s*(\S+)", text, re.IGNORECASE | re.MULTILINE)
            failed = not actions or any(a.lower() == "failed" for a in actions)
        elif kind in ("message/rfc822", "text/rfc822-headers", "message/rfc822-headers"):
            inner = part.get_payload()
            if isinstance(inner, list) and inner and isinstance(inner[0], Message):
                found += _ids(str(inner[0].get("Message-ID", "")))
            else:
                headers = inner if isinstance(inner, str) else _payload(part, [])
                found += _ids(next(iter(re.findall(r"^Message-ID:\s*(.+)$", headers, re.I | re.M)), ""))
    return found if failed else []


def _walk(message: Message, defects: list[str]) -> tuple[str | None, str | None, list[Attachment]]:
    plain: str | None = None
    markup: str | None = None
    attachments: list[Attachment] = []
    for part in message.walk():
        if part.is_multipart():
            continue
        kind = part.get_content_type()
        disposition = (part.get_content_disposition() or "").lower()
        filename = None
        try:
            filename = part.get_filename()
        except Exception:  # noqa: BLE001  (a broken filename parameter: the attachment is kept unnamed)
            defects.append("attachment with a malformed name")
        if filename is not None:
            data = filename.encode("utf-8", "surrogateescape")
            filename = charsets.decode(data, None)[0] if any(b > 127 for b in data) else filename
        if disposition != "attachment" and filename is None and kind == "text/plain" and plain is None:
            plain = _payload(part, defects)
        elif disposition != "attachment" and filename is None and kind == "text/html" and markup is None:
            markup = _payload(part, defects)
        elif kind.startswith("message/") and disposition != "attachment":
            continue  # a report's parts, read by _bounced
        else:
            content = part.get_payload(decode=True)
            if isinstance(content, bytes):
                cid = (part.get("Content-ID") or "").strip("<> ") or None
                attachments.append(Attachment(filename, kind, content, disposition == "inline" or cid is not None, cid))
    return plain, markup, attachments


def parse(raw: bytes) -> Mail:
    """Reads one message; never raises for what a sender can put in it."""
    defects: list[str] = []
    message: EmailMessage = BytesParser(policy=policy.default).parsebytes(raw)
    defects += [type(d).__name__ for d in message.defects]
    froms = _addresses(message, "From", defects)
    sender_name, sender = froms[0] if froms else (None, None)
    if sender is None:
        defects.append("no From address")
    try:
        date = email.utils.parsedate_to_datetime(str(message.get("Date", "")))
        date = date if date.tzinfo is not None else date.replace(tzinfo=dt.UTC)
    except (TypeError, ValueError, IndexError):
        date = None
    plain, markup, attachments = _walk(message, defects)
    if plain is not None:
        full, new = plain.strip(), cut_quoted(plain)
    elif markup is not None:
        full, new = html_to_text(markup)
    else:
        full = new = ""
    ids = _ids(str(message.get("Message-ID", "")))
    return Mail(
        message_id=ids[0] if ids else None,
        in_reply_to=_ids(str(message.get("In-Reply-To", ""))),
        references=_ids(str(message.get("References", ""))),
        subject=_header_text(message, "Subject", defects),
        sender=sender,
        sender_name=sender_name or None,
        to=[a for _, a in _addresses(message, "To", defects)],
        cc=[a for _, a in _addresses(message, "Cc", defects)],
        date=date,
        text=new or full,
        full_text=full,
        html=markup,
        attachments=attachments,
        automatic=_automatic(message, sender),
        bounced=_bounced(message),
        defects=defects,
    )
