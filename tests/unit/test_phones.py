"""Phone numbers as Taiwanese customers write them all normalise to one E.164 form."""

from __future__ import annotations

import pytest

from contact_center.phones import display, to_e164

MOBILE = "+886912345678"
TAIPEI = "+886223456789"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0912-345-678", MOBILE),
        ("0912345678", MOBILE),
        ("0912 345 678", MOBILE),
        ("+886 912 345 678", MOBILE),
        ("+886-912-345-678", MOBILE),
        ("886912345678", MOBILE),
        ("002886912345678", MOBILE),  # Taiwan's international prefix
        ("00886912345678", MOBILE),  # wrong prefix, but common in old records
        ("０９１２－３４５－６７８", MOBILE),  # full-width, typed with a Chinese IME
        ("0912345678#123", MOBILE),  # extension is not part of the caller-ID
        ("(02)2345-6789", TAIPEI),
        ("02-2345-6789", TAIPEI),
        ("(02) 2345 6789", TAIPEI),
        ("886223456789", TAIPEI),
        ("(02)2345-6789 轉 123", TAIPEI),
        ("(02)2345-6789 分機12", TAIPEI),
        ("04-2234-5678", "+886422345678"),
        ("(07)345-6789", "+88673456789"),
        ("037-123456", "+88637123456"),
        ("089-123456", "+88689123456"),
        ("+1 202 555 0143", "+12025550143"),  # a foreign number stays foreign
        ("+81 3-1234-5678", "+81312345678"),
    ],
)
def test_normalises_to_e164(raw: str, expected: str) -> None:
    assert to_e164(raw) == expected


@pytest.mark.parametrize("raw", ["", "   ", "12345", "1999", "abc", "0912", "+886 12", None])
def test_rejects_what_is_not_a_phone_number(raw: str | None) -> None:
    assert to_e164(raw) is None


def test_displays_in_the_local_style() -> None:
    assert display(MOBILE) == "0912 345 678"
    assert display(TAIPEI) == "02 2345 6789"
    assert display("+12025550143").startswith("+1 ")
