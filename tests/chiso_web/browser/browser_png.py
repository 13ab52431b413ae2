"""A small PNG decoder for screenshot checks (no Pillow): "is this picture blank?".

Chromium's screenshots are 8-bit RGB or RGBA, non-interlaced; that is all this reads.
Rows are unfiltered with numpy where the filter allows it (None, Sub, Up) and pixel by
pixel otherwise (Average, Paeth), which is fast enough for a few screenshots per test.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

import numpy as np

SIGNATURE = b"\x89PNG\r\n\x1a\n"
CHANNELS = {2: 3, 6: 4}  # colour type -> bytes per pixel at bit depth 8


@dataclass(frozen=True)
class Picture:
    """Decoded pixels (height × width × 3, RGB) and simple statistics."""

    pixels: np.ndarray

    @property
    def size(self) -> tuple[int, int]:
        """(width, height)."""
        return int(self.pixels.shape[1]), int(self.pixels.shape[0])

    def distinct_colours(self) -> int:
        """How many different RGB colours the picture uses."""
        flat = self.pixels.reshape(-1, 3).astype(np.uint32)
        packed = (flat[:, 0] << 16) | (flat[:, 1] << 8) | flat[:, 2]
        return int(np.unique(packed).size)

    def share_unlike(self, rgb: tuple[int, int, int], tolerance: int = 24) -> float:
        """Share of pixels farther than ``tolerance`` (per channel) from ``rgb``."""
        diff = np.abs(self.pixels.astype(np.int16) - np.array(rgb, dtype=np.int16))
        return float((diff.max(axis=2) > tolerance).mean())

    def background(self) -> tuple[int, int, int]:
        """The most common colour (the page or canvas background)."""
        flat = self.pixels.reshape(-1, 3).astype(np.uint32)
        packed = (flat[:, 0] << 16) | (flat[:, 1] << 8) | flat[:, 2]
        values, counts = np.unique(packed, return_counts=True)
        top = int(values[counts.argmax()])
        return (top >> 16) & 255, (top >> 8) & 255, top & 255

    def has_colour(
        self, rgb: tuple[int, int, int], tolerance: int = 12, at_least: int = 20
    ) -> bool:
        """Whether at least ``at_least`` pixels are within ``tolerance`` of ``rgb``."""
        diff = np.abs(self.pixels.astype(np.int16) - np.array(rgb, dtype=np.int16))
        return int((diff.max(axis=2) <= tolerance).sum()) >= at_least


def blank_reason(picture: Picture, *, colours: int = 16, share: float = 0.02) -> str | None:
    """Why the picture looks blank (``None``: it does not).

    Not blank: at least ``colours`` distinct colours and at least ``share`` of the pixels
    unlike the most common (background) colour.
    """
    found = picture.distinct_colours()
    if found < colours:
        return f"{found} colour(s)"
    busy = picture.share_unlike(picture.background())
    if busy < share:
        return f"{busy:.1%} non-background"
    return None


def _chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    if not data.startswith(SIGNATURE):
        raise ValueError("not a PNG file (bad signature)")
    out, pos = [], len(SIGNATURE)
    while pos + 8 <= len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        out.append((kind, data[pos + 8 : pos + 8 + length]))
        pos += 12 + length
        if kind == b"IEND":
            break
    return out


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def _unfilter_row(kind: int, row: np.ndarray, prev: np.ndarray, bpp: int) -> np.ndarray:
    if kind == 0:
        return row
    if kind == 2:
        return (row.astype(np.uint16) + prev).astype(np.uint8)
    if kind == 1:
        lanes = row.reshape(-1, bpp).astype(np.uint64)
        return (np.cumsum(lanes, axis=0) % 256).astype(np.uint8).reshape(-1)
    out = bytearray(row.tobytes())
    above = prev.tobytes()
    for i in range(len(out)):
        left = out[i - bpp] if i >= bpp else 0
        if kind == 3:
            out[i] = (out[i] + ((left + above[i]) >> 1)) & 255
        elif kind == 4:
            upleft = above[i - bpp] if i >= bpp else 0
            out[i] = (out[i] + _paeth(left, above[i], upleft)) & 255
        else:
            raise ValueError(f"unknown PNG row filter {kind}")
    return np.frombuffer(bytes(out), dtype=np.uint8)


def decode(data: bytes) -> Picture:
    """Decode an 8-bit RGB/RGBA, non-interlaced PNG (what Chromium writes)."""
    chunks = _chunks(data)
    if not chunks or chunks[0][0] != b"IHDR":
        raise ValueError("PNG without IHDR")
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", chunks[0][1])
    if depth != 8 or colour not in CHANNELS or interlace:
        raise ValueError(f"unsupported PNG (depth {depth}, colour type {colour}, {interlace=})")
    bpp = CHANNELS[colour]
    raw = zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))
    stride = width * bpp
    rows = np.frombuffer(raw, dtype=np.uint8).reshape(height, stride + 1)
    image = np.zeros((height, stride), dtype=np.uint8)
    prev = np.zeros(stride, dtype=np.uint8)
    for y in range(height):
        prev = _unfilter_row(int(rows[y, 0]), rows[y, 1:], prev, bpp)
        image[y] = prev
    return Picture(image.reshape(height, width, bpp)[:, :, :3])
