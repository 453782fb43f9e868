"""Indexed-colour PNG images from the standard library, as ``data:`` URLs.

Why a PNG: the long-context lab draws a mask picture of up to 1024 × 1024
cells on every slider move. BokehJS 3.9's ``image`` glyph needs typed-array
NDArrays, which JSON cannot carry (nested lists are refused), and 10^6
numbers of JSON would miss the 33 ms update budget anyway. Its ``image_url``
glyph takes any URL, including ``data:image/png;base64,...``: a palette PNG
holds one byte per cell before compression, the mask's long runs compress
about a hundredfold, and the browser decodes it natively. So the picture
crosses from the worker as a few kilobytes of text, and the pre-rendered
build file carries it too.

The scaling-laws landscape (``course.heatmap``) is drawn the same way.

Format (W3C, "Portable Network Graphics (PNG) Specification", second edition,
2003): the 8-byte signature, then chunks ``length · type · data · CRC-32``:
``IHDR`` (width, height, bit depth 8, colour type 3 = palette), ``PLTE``
(RGB of each palette entry), ``tRNS`` (alpha of each entry, when the palette
has any), ``IDAT`` (the zlib stream of the rows, each prefixed by filter
type 0) and ``IEND``. With ``level=None`` the IDAT holds *stored* deflate
blocks (RFC 1951, section 3.2.4): no compression, so the bytes cannot depend
on the zlib build (CPython's or Pyodide's).

>>> png = indexed_png([b"\\x00\\x01", b"\\x01\\x00"], [(0, 0, 0, 0), (255, 0, 0, 255)])
>>> png[:8] == b"\\x89PNG\\r\\n\\x1a\\n", png[12:16]
(True, b'IHDR')
>>> data_url(png)[:22]
'data:image/png;base64,'
"""

from __future__ import annotations

import base64
import struct
import zlib
from collections.abc import Sequence

SIGNATURE = b"\x89PNG\r\n\x1a\n"
_INDEXED = 3  # colour type: palette indices


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def upscale(rows: Sequence[bytes | bytearray], factor: int) -> list[bytearray]:
    """Repeat every pixel ``factor`` times across and every row ``factor``
    times down (the browser would blur a small image it scales up).

    >>> [bytes(r) for r in upscale([b"ab"], 2)]
    [b'aabb', b'aabb']
    """
    if factor < 1:
        raise ValueError(f"factor must be at least 1, got {factor!r}")
    out = []
    for row in rows:
        wide = bytearray(len(row) * factor)
        for k in range(factor):  # slice assignment runs in C: no per-pixel Python
            wide[k::factor] = row
        out.extend([wide] * factor)
    return out


def zlib_stored(data: bytes) -> bytes:
    """``data`` as a zlib stream of stored (uncompressed) deflate blocks.

    >>> zlib.decompress(zlib_stored(b"scaling")) == b"scaling"
    True
    """
    out = bytearray(b"\x78\x01")  # deflate, 32 KB window; header check bits make 0x7801 % 31 == 0
    size = 65535  # the largest stored block
    blocks = [data[i : i + size] for i in range(0, len(data), size)] or [b""]
    for n, block in enumerate(blocks):
        final = 1 if n == len(blocks) - 1 else 0
        out += struct.pack("<BHH", final, len(block), 0xFFFF ^ len(block)) + block
    out += struct.pack(">I", zlib.adler32(data) & 0xFFFFFFFF)
    return bytes(out)


def indexed_png(
    rows: Sequence[bytes | bytearray | Sequence[int]],
    palette: Sequence[tuple[int, ...]],
    level: int | None = 1,
) -> bytes:
    """A PNG of palette indices (one byte per pixel, row 0 at the top) and a
    palette of RGB or RGBA tuples.

    ``level`` is zlib's compression level (1 is several times faster than the
    default 6 and, on a mask's runs, nearly as small); ``None`` stores the
    rows uncompressed, byte-identical under every zlib build.
    """
    if not rows:
        raise ValueError("an image needs at least one row")
    width = len(rows[0])
    if width == 0 or any(len(row) != width for row in rows):
        raise ValueError("every row must have the same, non-zero, number of pixels")
    if not 1 <= len(palette) <= 256:
        raise ValueError(f"a palette has 1 to 256 colours, got {len(palette)}")
    header = struct.pack(">IIBBBBB", width, len(rows), 8, _INDEXED, 0, 0, 0)
    rgb = bytes(channel for colour in palette for channel in colour[:3])
    has_alpha = any(len(colour) > 3 for colour in palette)
    alpha = bytes(colour[3] if len(colour) > 3 else 255 for colour in palette)
    raw = b"\x00" + b"\x00".join(bytes(row) for row in rows)  # each row prefixed by filter type 0
    idat = zlib_stored(raw) if level is None else zlib.compress(raw, level)
    return (
        SIGNATURE
        + _chunk(b"IHDR", header)
        + _chunk(b"PLTE", rgb)
        + (_chunk(b"tRNS", alpha) if has_alpha else b"")
        + _chunk(b"IDAT", idat)
        + _chunk(b"IEND", b"")
    )


def data_url(png: bytes) -> str:
    """``data:image/png;base64,...``: a URL the browser decodes without a request."""
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")
