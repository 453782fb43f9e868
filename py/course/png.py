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

Format (W3C, "Portable Network Graphics (PNG) Specification", second edition,
2003): the 8-byte signature, then chunks ``length · type · data · CRC-32``:
``IHDR`` (width, height, bit depth 8, colour type 3 = palette), ``PLTE``
(RGB of each palette entry), ``tRNS`` (alpha of each entry), ``IDAT`` (the
zlib stream of the rows, each prefixed by filter type 0) and ``IEND``.

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
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


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


def indexed_png(rows: Sequence[bytes | bytearray], palette: Sequence[tuple[int, int, int, int]], level: int = 1) -> bytes:
    """A PNG of palette indices (one byte per pixel, row by row) and an RGBA palette.

    ``level`` is zlib's compression level: 1 is several times faster than the
    default 6 and, on a mask's runs, nearly as small.
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
    alpha = bytes(colour[3] for colour in palette)
    raw = b"\x00" + b"\x00".join(rows)  # each row prefixed by filter type 0 (None)
    return (
        SIGNATURE
        + _chunk(b"IHDR", header)
        + _chunk(b"PLTE", rgb)
        + _chunk(b"tRNS", alpha)
        + _chunk(b"IDAT", zlib.compress(raw, level))
        + _chunk(b"IEND", b"")
    )


def data_url(png: bytes) -> str:
    """``data:image/png;base64,...``: a URL the browser decodes without a request."""
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")
