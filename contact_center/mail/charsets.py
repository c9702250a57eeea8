"""Text in the charsets Taiwanese mail really uses, decoded by what they really mean.

Mailers label mail with the standard a charset was named after while writing its vendor's superset:
"big5" mail from Outlook is Microsoft's cp950 (with €, and the ETEN extensions), Hong Kong mail adds
HKSCS, and "gb2312" mail is written by GBK or GB 18030 encoders. Decoding by the label alone turns those
characters into replacement marks, so each label is read with its superset. Undeclared 8-bit text (old
webmail, some phones) is tried as UTF-8, then Big5, then GB 18030.
"""

from __future__ import annotations

import codecs

SUPERSETS: dict[str, tuple[str, ...]] = {
    "big5": ("cp950", "big5hkscs"),
    "cp950": ("cp950", "big5hkscs"),
    "big5hkscs": ("big5hkscs", "cp950"),
    "gb2312": ("gb18030",),
    "gbk": ("gb18030",),
    "cp936": ("gb18030",),
    "gb18030": ("gb18030",),
    "ascii": ("utf-8", "cp950", "gb18030"),  # mislabelled 8-bit text
    "us-ascii": ("utf-8", "cp950", "gb18030"),
}
UNDECLARED = ("utf-8", "cp950", "big5hkscs", "gb18030")


def _canonical(label: str | None) -> str | None:
    if not label:
        return None
    label = label.strip().strip('"').lower()
    if label in ("x-big5", "big-5", "big5-eten", "csbig5"):
        return "big5"
    if label in ("x-gbk", "euc-cn", "x-euc-cn", "csgb2312"):
        return "gb2312"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def candidates(label: str | None) -> tuple[str, ...]:
    """The codecs to try, in order, for text labelled `label` (None: unlabelled or unknown)."""
    name = _canonical(label)
    if name is None:
        return UNDECLARED
    mapped = SUPERSETS.get(name) or SUPERSETS.get(name.replace("_", "")) or (name,)
    return mapped + tuple(c for c in UNDECLARED if c not in mapped)


def decode(data: bytes, label: str | None) -> tuple[str, bool]:
    """The text, and whether it decoded cleanly (False: some bytes became U+FFFD)."""
    for codec in candidates(label):
        try:
            return data.decode(codec), True
        except (UnicodeDecodeError, LookupError):
            continue
    first = candidates(label)[0]
    return data.decode(first, errors="replace"), False
