"""The AMI wire format: CRLF-separated `Key: Value` lines, a blank line ending each message.

Asterisk sends one banner line (`Asterisk Call Manager/11.0.0`) without a blank line after it.
`FrameReader` is incremental (feed it whatever the socket gave), buffered (pyst2 reads a byte at a
time), tolerant (a line without a colon is kept under the key "" rather than raising) and bounded (a
peer that never ends a message cannot make it grow without limit).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

Frame = dict[str, str]
MAX_MESSAGE_BYTES = 1 << 20  # a QueueStatus of a large call centre fits; garbage does not pile up


class FrameTooLarge(ValueError):
    pass


def parse_message(block: bytes) -> Frame:
    """One message (without its terminating blank line) → its headers; the last of a repeated key wins,
    except `Output`, `Variable` and `…ChanVariable` lines, which are joined with newlines so none is lost."""
    frame: Frame = {}
    for raw in block.split(b"\n"):
        line = raw.rstrip(b"\r").decode("utf-8", errors="replace")
        if not line:
            continue
        key, sep, value = line.partition(":")
        if not sep:
            key, value = "", line
        key, value = key.strip(), value.strip()
        if key in frame and (key in ("Output", "Variable", "") or key.endswith("ChanVariable")):
            frame[key] = f"{frame[key]}\n{value}"
        else:
            frame[key] = value
    return frame


class FrameReader:
    """Turns a byte stream into messages. `banner` is set from the first line when it has no colon."""

    def __init__(self, expect_banner: bool = True) -> None:
        self._buffer = bytearray()
        self._expect_banner = expect_banner
        self.banner: str | None = None

    def feed(self, data: bytes) -> Iterator[Frame]:
        self._buffer += data
        if self._expect_banner:
            end = self._buffer.find(b"\n")
            if end < 0:
                return
            self.banner = self._buffer[:end].rstrip(b"\r").decode("utf-8", errors="replace")
            del self._buffer[: end + 1]
            self._expect_banner = False
        while True:
            end, size = self._message_end()
            if end < 0:
                if len(self._buffer) > MAX_MESSAGE_BYTES:
                    self._buffer.clear()
                    raise FrameTooLarge(f"no end of message within {MAX_MESSAGE_BYTES} bytes")
                return
            block = bytes(self._buffer[:end])
            del self._buffer[: end + size]
            if block.strip():
                yield parse_message(block)

    def _message_end(self) -> tuple[int, int]:
        crlf = self._buffer.find(b"\r\n\r\n")
        lf = self._buffer.find(b"\n\n")
        if crlf >= 0 and (lf < 0 or crlf <= lf):
            return crlf, 4
        return lf, 2


def encode(headers: Mapping[str, object]) -> bytes:
    """A message on the wire; a value with newlines becomes several lines of the same key."""
    lines = []
    for key, value in headers.items():
        for part in str(value).split("\n"):
            lines.append(f"{key}: {part}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def read_transcript(data: bytes) -> tuple[str | None, list[Frame]]:
    """A whole recorded AMI session (as in shared/asterisk-ami/*.log): its banner and its messages."""
    reader = FrameReader()
    frames = list(reader.feed(data))
    return reader.banner, frames
