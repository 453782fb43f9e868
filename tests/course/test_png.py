"""The PNG encoder against an independent decoder written from the PNG
specification (chunk walk, a bitwise CRC-32, inflate, per-row filter bytes)."""

import base64
import struct
import zlib

import numpy as np
import pytest

from course import png


def _crc32(data: bytes) -> int:
    """CRC-32 bit by bit (PNG spec, annex D), not the table-driven zlib one."""
    crc = 0xFFFFFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ (0xEDB88320 if crc & 1 else 0)
    return crc ^ 0xFFFFFFFF


def decode(data: bytes) -> tuple[np.ndarray, list[tuple[int, int, int, int]]]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, chunks = 8, []
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length : pos + 12 + length])
        assert crc == _crc32(kind + body), kind
        chunks.append((kind, body))
        pos += 12 + length
    kinds = [kind for kind, _ in chunks]
    assert kinds == [b"IHDR", b"PLTE", b"tRNS", b"IDAT", b"IEND"]
    width, height, depth, colour, compression, filtering, interlace = struct.unpack(">IIBBBBB", chunks[0][1])
    assert (depth, colour, compression, filtering, interlace) == (8, 3, 0, 0, 0)
    raw = np.frombuffer(zlib.decompress(chunks[3][1]), dtype=np.uint8).reshape(height, width + 1)
    assert (raw[:, 0] == 0).all(), "every row uses filter type 0"
    rgb = np.frombuffer(chunks[1][1], dtype=np.uint8).reshape(-1, 3)
    alpha = np.frombuffer(chunks[2][1], dtype=np.uint8)
    palette = [(*map(int, rgb[k]), int(alpha[k])) for k in range(len(alpha))]
    return raw[:, 1:], palette


def test_round_trip_of_pixels_and_palette():
    rng = np.random.default_rng(7)
    pixels = rng.integers(0, 256, size=(37, 53), dtype=np.uint8)
    palette = [(k, 255 - k, (3 * k) % 256, k // 2) for k in range(256)]
    decoded, decoded_palette = decode(png.indexed_png([bytes(row) for row in pixels], palette))
    assert (decoded == pixels).all()
    assert decoded_palette == palette


def test_upscale_repeats_each_pixel_in_both_directions():
    pixels = np.arange(12, dtype=np.uint8).reshape(3, 4)
    big = np.array([list(row) for row in png.upscale([bytes(r) for r in pixels], 3)])
    assert (big == np.kron(pixels, np.ones((3, 3), dtype=np.uint8))).all()
    assert png.upscale([b"xy"], 1) == [bytearray(b"xy")]


def test_data_url_is_base64_of_the_file():
    data = png.indexed_png([b"\x00"], [(1, 2, 3, 4)])
    url = png.data_url(data)
    assert url.startswith("data:image/png;base64,")
    assert base64.b64decode(url.split(",", 1)[1]) == data


@pytest.mark.parametrize("rows, palette, message", [
    ([], [(0, 0, 0, 0)], "at least one row"),
    ([b"ab", b"a"], [(0, 0, 0, 0)], "same"),
    ([b""], [(0, 0, 0, 0)], "non-zero"),
    ([b"a"], [], "1 to 256"),
])
def test_malformed_images_are_refused(rows, palette, message):
    with pytest.raises(ValueError, match=message):
        png.indexed_png(rows, palette)


def test_upscale_refuses_a_zero_factor():
    with pytest.raises(ValueError, match="at least 1"):
        png.upscale([b"a"], 0)
