"""Extract the advance widths of Liberation Serif for the annex column fitting (run once).

    .venv/bin/python scripts/make_font_widths.py   # writes src/chiso/data/reports/font_widths.json

Liberation Serif (SIL Open Font License, ``fonts-liberation``) is metric-compatible
with Times New Roman: the same advance width for every character.  The table
holds, for the regular and the bold face, the width in thousandths of an em of
every printable ASCII character, every precomposed Vietnamese letter and a few
signs, so that :mod:`chiso.reports.table_fit` measures a cell's words without a
font file or an imaging library at run time.  Liberation Serif 1.07 (Debian's
``fonts-liberation``) has no glyph for ơ, ư and most toned vowels; LibreOffice
sets those in DejaVu Serif, which is wider, so the table takes DejaVu Serif's
width for every letter Liberation lacks (an upper bound where ``fonts-liberation2``
or Times New Roman is installed).  Read straight from the TrueType
tables (``head``, ``hhea``, ``hmtx``, ``cmap`` format 4).
"""

from __future__ import annotations

import json
import struct
import unicodedata
from pathlib import Path

FONTS = Path("/usr/share/fonts/truetype/liberation")
FALLBACK = Path("/usr/share/fonts/truetype/dejavu")
OUT = Path(__file__).resolve().parent.parent / "src/chiso/data/reports/font_widths.json"
VOWELS = "aăâeêioôơuưyAĂÂEÊIOÔƠUƯY"
MARKS = ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")
SIGNS = "–—‘’“”…•§°±×÷№"


def _charset() -> str:
    ascii_ = "".join(chr(c) for c in range(32, 127))
    vietnamese = {unicodedata.normalize("NFC", v + m) for v in VOWELS for m in MARKS}
    return ascii_ + "đĐ" + "".join(sorted(vietnamese)) + SIGNS


def _tables(data: bytes) -> dict[bytes, tuple[int, int]]:
    (count,) = struct.unpack(">H", data[4:6])
    out = {}
    for k in range(count):
        tag, _, offset, length = struct.unpack(">4sIII", data[12 + 16 * k : 28 + 16 * k])
        out[tag] = (offset, length)
    return out


def _cmap(data: bytes, at: int) -> dict[int, int]:
    (count,) = struct.unpack(">H", data[at + 2 : at + 4])
    for k in range(count):
        platform, encoding, offset = struct.unpack(">HHI", data[at + 4 + 8 * k : at + 12 + 8 * k])
        sub = at + offset
        if (platform, encoding) == (3, 1) and struct.unpack(">H", data[sub : sub + 2])[0] == 4:
            break
    else:
        raise ValueError("no Unicode BMP cmap (format 4)")
    segs = struct.unpack(">H", data[sub + 6 : sub + 8])[0] // 2
    ends = struct.unpack(f">{segs}H", data[sub + 14 : sub + 14 + 2 * segs])
    base = sub + 16 + 2 * segs
    starts = struct.unpack(f">{segs}H", data[base : base + 2 * segs])
    deltas = struct.unpack(f">{segs}h", data[base + 2 * segs : base + 4 * segs])
    range_at = base + 4 * segs
    offsets = struct.unpack(f">{segs}H", data[range_at : range_at + 2 * segs])
    glyphs: dict[int, int] = {}
    for k in range(segs):
        for code in range(starts[k], ends[k] + 1):
            if offsets[k] == 0:
                glyphs[code] = (code + deltas[k]) & 0xFFFF
            else:
                pos = range_at + 2 * k + offsets[k] + 2 * (code - starts[k])
                glyph = struct.unpack(">H", data[pos : pos + 2])[0]
                glyphs[code] = (glyph + deltas[k]) & 0xFFFF if glyph else 0
    return glyphs


def widths(path: Path, chars: str) -> dict[str, int]:
    """Advance width of each of ``chars`` the font has, in thousandths of an em."""
    data = path.read_bytes()
    tables = _tables(data)
    units = struct.unpack(">H", data[tables[b"head"][0] + 18 : tables[b"head"][0] + 20])[0]
    hhea = tables[b"hhea"][0]
    (metrics,) = struct.unpack(">H", data[hhea + 34 : hhea + 36])
    hmtx = tables[b"hmtx"][0]
    glyphs = _cmap(data, tables[b"cmap"][0])
    out = {}
    for char in chars:
        glyph = glyphs.get(ord(char), 0)
        if glyph == 0:
            continue
        row = min(glyph, metrics - 1)
        (advance,) = struct.unpack(">H", data[hmtx + 4 * row : hmtx + 4 * row + 2])
        out[char] = round(advance * 1000 / units)
    return out


def main() -> None:
    """Write the width table."""
    chars = _charset()
    table: dict[str, object] = {
        "font": "Liberation Serif (metric-compatible with Times New Roman); letters it lacks: "
        "DejaVu Serif, the face LibreOffice falls back to",
        "units_per_em": 1000,
    }
    for face, liberation, dejavu in (
        ("regular", "LiberationSerif-Regular.ttf", "DejaVuSerif.ttf"),
        ("bold", "LiberationSerif-Bold.ttf", "DejaVuSerif-Bold.ttf"),
    ):
        table[face] = widths(FALLBACK / dejavu, chars) | widths(FONTS / liberation, chars)
    OUT.write_text(json.dumps(table, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(OUT)  # noqa: T201


if __name__ == "__main__":
    main()
