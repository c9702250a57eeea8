"""Text of bounded length for request schemas: the bound of the column a value is stored in, so a value
too long is a 400 naming its field, never a database error. One alias per bound; `LongText` for prose
(descriptions, replies, notes) that is stored in unbounded columns but has no business being megabytes."""

from __future__ import annotations

from typing import Annotated

from msgspec import Meta

Text8 = Annotated[str, Meta(max_length=8)]
Text16 = Annotated[str, Meta(max_length=16)]
Text20 = Annotated[str, Meta(max_length=20)]
Text32 = Annotated[str, Meta(max_length=32)]
Text64 = Annotated[str, Meta(max_length=64)]
Text100 = Annotated[str, Meta(max_length=100)]
Text128 = Annotated[str, Meta(max_length=128)]
Text200 = Annotated[str, Meta(max_length=200)]
Text255 = Annotated[str, Meta(max_length=255)]
Text300 = Annotated[str, Meta(max_length=300)]
Text500 = Annotated[str, Meta(max_length=500)]
Text2000 = Annotated[str, Meta(max_length=2_000)]
LongText = Annotated[str, Meta(max_length=20_000)]

# Integers bounded by their columns: ids are 64-bit, counts, minutes and positions 32-bit.
Id = Annotated[int, Meta(ge=1, le=2**63 - 1)]
Int32 = Annotated[int, Meta(ge=-(2**31), le=2**31 - 1)]
