"""Small hostile compressed files for tests: built in memory in well under a second, without
compressing the gigabyte they inflate to (one compressed block repeated)."""

import gzip
import io
import struct
import zlib

_MIB = 1 << 20


def deflate_zeros(mebibytes: int) -> tuple[bytes, int]:
    """A raw deflate stream of `mebibytes` MiB of zero bytes, and the CRC-32 of what it inflates to.

    After a full flush the compressor starts afresh, so the same MiB compresses to the same
    block, which is repeated instead of compressed again."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(b"\0" * _MIB) + compressor.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    chunk = b"\0" * _MIB
    for _ in range(mebibytes):
        crc = zlib.crc32(chunk, crc)
    return block * mebibytes + compressor.flush(), crc


def zip_bomb(
    member: str = "mimetype", *, mebibytes: int = 1024, declared: int | None = None
) -> bytes:
    """A ZIP whose one member inflates to `mebibytes` MiB (1 GiB from about 1 MB by default);
    `declared` makes its headers lie about the inflated size."""
    data, crc = deflate_zeros(mebibytes)
    size = mebibytes * _MIB if declared is None else declared
    name = member.encode()
    local = struct.pack(
        "<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(data), size, len(name), 0
    )
    central = struct.pack(
        "<IHHHHHHIIIHHHHHII",
        0x02014B50, 20, 20, 0, 8, 0, 0, crc, len(data), size, len(name), 0, 0, 0, 0, 0, 0,
    )  # fmt: skip
    directory_offset = len(local) + len(name) + len(data)
    directory = central + name
    end = struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(directory), directory_offset, 0
    )  # fmt: skip
    return local + name + data + directory + end


def gzip_of_whitespace(mebibytes: int = 1024) -> bytes:
    """A gzip file of `mebibytes` MiB of spaces (about 1 MB for 1 GiB)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = b" " * _MIB
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(mebibytes):
        crc = zlib.crc32(chunk, crc)
    header = gzip.compress(b"")[:10]
    trailer = struct.pack("<II", crc, (mebibytes * _MIB) & 0xFFFFFFFF)
    return header + block * mebibytes + compressor.flush() + trailer


def inflates_to(data: bytes) -> int:
    """How many bytes a gzip file inflates to, read in chunks (a test's check of the bomb)."""
    total = 0
    with gzip.open(io.BytesIO(data)) as handle:
        while chunk := handle.read(1 << 20):
            total += len(chunk)
    return total
