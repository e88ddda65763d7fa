"""The one capped inflater for zips that come from users: workbooks, attachments and the bulk import's zip.

A zip's declared sizes are never trusted. A member is decompressed from its raw bytes a chunk at a time (the
local header is read here, not by :mod:`zipfile`), and refused as soon as it yields more than it declares,
more than the caller's cap, or more than a budget shared by every member of one file; and at its end unless
it yielded exactly its declared size with its declared CRC.
"""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Iterator
from enum import StrEnum
from typing import IO
from zipfile import ZIP_DEFLATED, ZIP_STORED, ZipInfo

CHUNK = 64 * 1024
_LOCAL_HEADER = 30


class ZipRefusalReason(StrEnum):
    BOMB = "bomb"  # more output than the budget shared by the file's members
    UNDECLARED = "undeclared"  # more output than the member declares
    TOO_BIG = "too_big"  # more than the caller's cap for this member
    ENCRYPTED = "encrypted"
    METHOD = "method"  # neither stored nor deflated
    DAMAGED = "damaged"
    NOT_A_ZIP = "not_a_zip"  # the member's local header is not where the directory says


class ZipRefused(Exception):
    """A member the inflater will not (or cannot) decompress; ``reason`` says why, ``name`` which."""

    def __init__(self, reason: ZipRefusalReason, name: str) -> None:
        super().__init__(f"{name}: {reason}")
        self.reason = reason
        self.name = name


class Budget:
    """Bytes decompressed so far from one file, across its members."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.used = 0

    def spend(self, size: int, name: str) -> None:
        self.used += size
        if self.used > self.limit:
            raise ZipRefused(ZipRefusalReason.BOMB, name)


def inflate(
    source: bytes | IO[bytes], info: ZipInfo, *, cap: int | None = None, budget: Budget | None = None
) -> Iterator[bytes]:
    """The member ``info`` of the zip ``source`` (its bytes or a seekable file), decompressed and capped."""
    name = info.filename
    if info.flag_bits & 0x1:
        raise ZipRefused(ZipRefusalReason.ENCRYPTED, name)
    file = io.BytesIO(source) if isinstance(source, bytes) else source
    file.seek(info.header_offset)
    header = file.read(_LOCAL_HEADER)
    if len(header) < _LOCAL_HEADER or header[:4] != b"PK\x03\x04":
        raise ZipRefused(ZipRefusalReason.NOT_A_ZIP, name)
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    file.seek(info.header_offset + _LOCAL_HEADER + name_length + extra_length)
    if info.compress_type == ZIP_STORED:
        pieces = _stored(file, info.compress_size)
    elif info.compress_type == ZIP_DEFLATED:
        pieces = _deflated(file, info.compress_size, name)
    else:
        raise ZipRefused(ZipRefusalReason.METHOD, name)
    produced = 0
    crc = 0
    for piece in pieces:
        produced += len(piece)
        if produced > info.file_size:
            raise ZipRefused(ZipRefusalReason.UNDECLARED, name)
        if cap is not None and produced > cap:
            raise ZipRefused(ZipRefusalReason.TOO_BIG, name)
        if budget is not None:
            budget.spend(len(piece), name)
        crc = zlib.crc32(piece, crc)
        yield piece
    # A member cut short or altered is damaged, whatever it inflated to.
    if produced != info.file_size or crc != info.CRC:
        raise ZipRefused(ZipRefusalReason.DAMAGED, name)


def read_member(
    source: bytes | IO[bytes], info: ZipInfo, *, cap: int | None = None, budget: Budget | None = None
) -> bytes:
    return b"".join(inflate(source, info, cap=cap, budget=budget))


def _stored(file: IO[bytes], size: int) -> Iterator[bytes]:
    left = size
    while left > 0:
        piece = file.read(min(CHUNK, left))
        if not piece:
            return  # cut short: the size and CRC checks in inflate() refuse it
        left -= len(piece)
        yield piece


def _deflated(file: IO[bytes], size: int, name: str) -> Iterator[bytes]:
    inflater = zlib.decompressobj(-15)
    try:
        for raw in _stored(file, size):
            yield inflater.decompress(raw, CHUNK)
            while inflater.unconsumed_tail:
                yield inflater.decompress(inflater.unconsumed_tail, CHUNK)
        yield inflater.flush()
    except zlib.error:
        raise ZipRefused(ZipRefusalReason.DAMAGED, name) from None
    if not inflater.eof:
        raise ZipRefused(ZipRefusalReason.DAMAGED, name)
