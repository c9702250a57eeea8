"""A message's text as an agent reads it: HTML turned into plain text, and the quoted earlier
conversation cut from what the customer wrote this time.

The cut follows the markers mail clients really write: Gmail's "On … wrote:" in English and
「於 … 寫道：」 in Traditional Chinese, Outlook's "-----Original Message-----" / 「-----原始郵件-----」 and
its "From: … Sent: …" header block (「寄件者: … 寄件日期: …」), Apple Mail's "> " quoting, and in HTML the
`gmail_quote`, `divRplyFwdMsg` and `<blockquote type="cite">` containers. The whole text is kept too.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_BLOCKS = frozenset({"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre",
                     "table", "ul", "ol", "hr", "section", "article", "header", "footer"})  # fmt: skip
_SKIPPED = frozenset({"script", "style", "head", "title", "template", "noscript"})
_VOID = frozenset({"br", "hr", "img", "meta", "link", "input", "col", "area", "base", "wbr"})
# Where an HTML reply's quoted part starts: the cut drops the element and everything after it.
_QUOTE_STARTS = (
    lambda tag, a: "gmail_quote" in a.get("class", "").split(),
    lambda tag, a: a.get("id", "") in ("divRplyFwdMsg", "appendonsend", "OLK_SRC_BODY_SECTION"),
    lambda tag, a: tag == "blockquote" and a.get("type", "") == "cite",
    lambda tag, a: "yahoo_quoted" in a.get("class", ""),
    lambda tag, a: a.get("name", "") == "messageReplySection",
)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.quote_at: int | None = None  # index in parts where the quoted conversation starts
        self._skipping = 0
        self._pre = 0
        self._links: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag in _SKIPPED:
            self._skipping += 1
            return
        if self.quote_at is None and any(start(tag, found) for start in _QUOTE_STARTS):
            self.quote_at = len(self.parts)
        if tag == "pre":
            self._pre += 1
        if tag in _BLOCKS:
            self.parts.append("\n")
        if tag == "li":
            self.parts.append("• ")
        if tag == "a":
            self._links.append(found.get("href"))
        elif tag == "img" and found.get("alt"):
            self.parts.append(f"[{found['alt']}]")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self._skipping = max(0, self._skipping - 1)
            return
        if tag == "pre":
            self._pre = max(0, self._pre - 1)
        if tag == "a" and self._links:
            href = self._links.pop()
            if href and href.startswith(("http://", "https://")) and href not in (self.parts[-1] if self.parts else ""):
                self.parts.append(f" <{href}>")
        if tag in _BLOCKS and tag not in _VOID:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._skipping:
            return
        self.parts.append(data if self._pre else re.sub(r"\s+", " ", data))


def _tidy(text: str) -> str:
    lines = [line.strip() for line in text.replace("\xa0", " ").splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def html_to_text(markup: str) -> tuple[str, str]:
    """(the whole text, the text before the quoted conversation) of an HTML body."""
    parser = _Text()
    parser.feed(markup)
    parser.close()
    whole = _tidy("".join(parser.parts))
    new = _tidy("".join(parser.parts[: parser.quote_at])) if parser.quote_at is not None else whole
    return whole, new


_ATTRIBUTION = re.compile(
    r"^\s*("
    r"on .{4,200}wrote:?"  # Gmail, Apple Mail, Thunderbird (English)
    r"|於\s*.{4,200}寫道[:：]?"  # Gmail (Traditional Chinese)
    r"|在\s*.{4,200}写道[:：]?"  # Gmail (Simplified Chinese)
    r"|-{2,}\s*(original message|原始郵件|原始邮件|forwarded message|轉寄的郵件|转发的邮件)\s*-{2,}"
    r"|_{10,}"  # Outlook's rule above its header block
    r")\s*$",
    re.IGNORECASE,
)
_OUTLOOK_HEADER = re.compile(r"^\s*(from|寄件者|发件人|寄件人)\s*[:：]", re.IGNORECASE)
_OUTLOOK_NEXT = re.compile(r"^\s*(sent|date|寄件日期|发送时间|日期|to|收件者|收件人)\s*[:：]", re.IGNORECASE)


def cut_quoted(text: str) -> str:
    """The part of a plain-text reply before the quoted earlier conversation."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        following = lines[i + 1].strip() if i + 1 < len(lines) else ""
        wrapped = following.endswith(("wrote:", "寫道：", "寫道:")) and _ATTRIBUTION.match(f"{line} {following}")
        if _ATTRIBUTION.match(line) or wrapped:
            return _tidy("\n".join(lines[:i]))
        if _OUTLOOK_HEADER.match(line) and i + 1 < len(lines) and _OUTLOOK_NEXT.match(lines[i + 1]):
            return _tidy("\n".join(lines[:i]))
        if line.startswith(">") and all(not rest.strip() or rest.startswith(">") for rest in lines[i:]):
            return _tidy("\n".join(lines[:i]))
    return _tidy(text)
