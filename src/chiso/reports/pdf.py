"""PDF through LibreOffice headless, and the page checks a printed report must pass.

LibreOffice replaces Times New Roman with the metric-compatible Liberation Serif
(``fonts-liberation``), so line and page breaks match Word.  Each page is
rendered to PNG with ``pdftoppm`` and checked: it has ink (not blank) and no ink
touches the page edge (a table wider than the page is clipped there); the text
layer (pypdf) keeps the Vietnamese diacritics.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import tempfile
import unicodedata
import zlib
from dataclasses import dataclass
from pathlib import Path

from chiso.errors import UserError
from chiso.i18n import _

__all__ = ["PageCheck", "check_pdf", "read_png_gray", "soffice", "to_pdf"]


def soffice() -> str | None:
    """The LibreOffice executable, if installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(docx: Path, out_dir: Path, *, timeout: int = 180) -> Path:
    """Convert ``docx`` to ``out_dir/<stem>.pdf`` with LibreOffice headless.

    Raises:
        UserError: LibreOffice is not installed or the conversion failed.
    """
    exe = soffice()
    if exe is None:
        raise UserError(
            _("PDF needs LibreOffice, which is not installed"),
            hint=_(
                "apt-get install libreoffice-writer-nogui fonts-liberation, or drop pdf from "
                "--format"
            ),
        )
    with tempfile.TemporaryDirectory(prefix="chiso-lo-") as profile:
        cmd = [
            exe, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
            "--outdir", str(out_dir), str(docx),
        ]  # fmt: skip
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)  # noqa: S603
    pdf = out_dir / f"{docx.stem}.pdf"
    if done.returncode != 0 or not pdf.is_file():
        raise UserError(
            _("LibreOffice could not convert {name}: {detail}").format(
                name=docx.name, detail=done.stderr.strip()[:300]
            )
        )
    return pdf


def read_png_gray(data: bytes) -> tuple[int, int, list[bytes]]:
    """Decode an 8-bit, non-interlaced grey or RGB PNG (what ``pdftoppm -png`` writes).

    Returns width, height and the rows as grey levels (RGB: the darkest channel).
    """
    pos, chunks, width, height, channels = 8, [], 0, 0, 1
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            if depth != 8 or colour not in (0, 2):
                raise ValueError("only 8-bit grey or RGB PNG is supported")
            channels = 3 if colour == 2 else 1
        elif kind == b"IDAT":
            chunks.append(body)
        pos += 12 + length
    raw = zlib.decompress(b"".join(chunks))
    stride = width * channels
    rows: list[bytes] = []
    prev = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        line = bytearray(raw[start + 1 : start + 1 + stride])
        _unfilter(raw[start], line, prev, channels)
        rows.append(bytes(line) if channels == 1 else bytes(map(min, line[0::3], line[1::3],
                                                                 line[2::3])))  # fmt: skip
        prev = line
    return width, height, rows


def _unfilter(kind: int, line: bytearray, prev: bytearray, bpp: int) -> None:
    for x in range(len(line)):
        left = line[x - bpp] if x >= bpp else 0
        up, up_left = prev[x], (prev[x - bpp] if x >= bpp else 0)
        if kind == 1:
            line[x] = (line[x] + left) & 255
        elif kind == 2:
            line[x] = (line[x] + up) & 255
        elif kind == 3:
            line[x] = (line[x] + (left + up) // 2) & 255
        elif kind == 4:
            p = left + up - up_left
            pa, pb, pc = abs(p - left), abs(p - up), abs(p - up_left)
            pred = left if pa <= pb and pa <= pc else up if pb <= pc else up_left
            line[x] = (line[x] + pred) & 255


@dataclass(frozen=True)
class PageCheck:
    """What one rendered page shows."""

    page: int
    inked: int
    ink_box: tuple[int, int, int, int] | None
    size: tuple[int, int]

    @property
    def blank(self) -> bool:
        """No dark pixel at all."""
        return self.inked == 0

    def touches_edge(self, margin: int) -> bool:
        """Ink within ``margin`` pixels of the left or right page edge."""
        if self.ink_box is None:
            return False
        left, _top, right, _bottom = self.ink_box
        return left < margin or right >= self.size[0] - margin


def _page_check(page: int, png: bytes) -> PageCheck:
    width, height, rows = read_png_gray(png)
    inked, box = 0, [width, height, -1, -1]
    for y, row in enumerate(rows):
        dark = [x for x, v in enumerate(row) if v < 128]
        if dark:
            inked += len(dark)
            box = [min(box[0], dark[0]), min(box[1], y), max(box[2], dark[-1]), y]
    ink_box = (box[0], box[1], box[2], box[3]) if inked else None
    return PageCheck(page, inked, ink_box, (width, height))


def check_pdf(pdf: Path, *, dpi: int = 40) -> tuple[list[PageCheck], list[str]]:
    """Render every page (pdftoppm) and extract its text (pypdf), NFC."""
    from pypdf import PdfReader

    if shutil.which("pdftoppm") is None:
        raise UserError(_("page checks need pdftoppm"), hint=_("apt-get install poppler-utils"))
    with tempfile.TemporaryDirectory(prefix="chiso-png-") as tmp:
        cmd = ["pdftoppm", "-r", str(dpi), "-gray", "-png", str(pdf), f"{tmp}/p"]
        subprocess.run(cmd, check=True, capture_output=True, timeout=120)  # noqa: S603
        pngs = sorted(Path(tmp).glob("p-*.png"), key=lambda p: int(p.stem.split("-")[-1]))
        checks = [_page_check(n, p.read_bytes()) for n, p in enumerate(pngs, start=1)]
    texts = [unicodedata.normalize("NFC", page.extract_text()) for page in PdfReader(pdf).pages]
    return checks, texts
