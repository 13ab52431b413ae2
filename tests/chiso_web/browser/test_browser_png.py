"""The screenshot checker's PNG decoder, against PNGs written here with every row filter."""

from __future__ import annotations

import struct
import zlib

import numpy as np
import pytest
from browser_png import decode


def _chunk(kind: bytes, body: bytes) -> bytes:
    crc = zlib.crc32(kind + body) & 0xFFFFFFFF
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else (b if pb <= pc else c)


def _filtered(kind: int, row: bytes, prev: bytes, bpp: int) -> bytes:
    out = bytearray()
    for i, x in enumerate(row):
        a = row[i - bpp] if i >= bpp else 0
        b = prev[i]
        c = prev[i - bpp] if i >= bpp else 0
        guess = [0, a, b, (a + b) >> 1, _paeth(a, b, c)][kind]
        out.append((x - guess) & 255)
    return bytes(out)


def encode(pixels: np.ndarray, filters: list[int]) -> bytes:
    """An RGB(A) PNG whose row ``y`` uses filter ``filters[y % len(filters)]``."""
    height, width, bpp = pixels.shape
    colour = {3: 2, 4: 6}[bpp]
    raw, prev = bytearray(), bytes(width * bpp)
    for y in range(height):
        row = pixels[y].astype(np.uint8).tobytes()
        kind = filters[y % len(filters)]
        raw += bytes([kind]) + _filtered(kind, row, prev, bpp)
        prev = row
    header = struct.pack(">IIBBBBB", width, height, 8, colour, 0, 0, 0)
    body = _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(bytes(raw)))
    return b"\x89PNG\r\n\x1a\n" + body + _chunk(b"IEND", b"")


@pytest.mark.parametrize("bpp", [3, 4])
def test_every_row_filter_decodes_to_the_same_pixels(bpp: int) -> None:
    rng = np.random.default_rng(5)
    pixels = rng.integers(0, 256, size=(12, 9, bpp), dtype=np.uint8)
    picture = decode(encode(pixels, [0, 1, 2, 3, 4]))
    assert picture.size == (9, 12)
    assert np.array_equal(picture.pixels, pixels[:, :, :3])


def test_a_white_picture_is_blank_and_a_drawn_one_is_not() -> None:
    white = np.full((40, 60, 3), 255, dtype=np.uint8)
    blank = decode(encode(white, [1, 2]))
    assert blank.distinct_colours() == 1
    assert blank.share_unlike(blank.background()) == 0.0
    drawn = white.copy()
    drawn[10:30, 5:25] = (0x1B, 0x7F, 0x3B)
    picture = decode(encode(drawn, [4, 3]))
    assert picture.background() == (255, 255, 255)
    assert picture.share_unlike(picture.background()) == pytest.approx(400 / 2400)
    assert picture.has_colour((0x1B, 0x7F, 0x3B)) and not picture.has_colour((0xC6, 0x28, 0x28))


def test_what_is_not_an_rgb_png_is_refused() -> None:
    with pytest.raises(ValueError, match="signature"):
        decode(b"GIF89a")
    grey = encode(np.zeros((2, 2, 3), dtype=np.uint8), [0]).replace(
        struct.pack(">BB", 8, 2), struct.pack(">BB", 8, 0), 1
    )
    with pytest.raises(ValueError, match="colour type 0"):
        decode(grey)
