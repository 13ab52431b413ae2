"""Write ``src/chiso/data/units/national-2025.csv`` — the 34 provinces and 3,321
commune-level units from 1/7/2025 — from the PyPI package ``vietnam-provinces``.

Run it when the official list changes (a new Quyết định of the Prime Minister on the
codes of administrative units), after upgrading the package in the ``dev`` extra::

    .venv/bin/python scripts/vendor_units.py

Why a vendored file and not the package at run time (docs/adr/0009): the package's code
is GPL-3.0-or-later and chiso is Apache-2.0; the list itself — names, codes, types and
parents of administrative units — is fact set by QĐ 19/2025/QĐ-TTg, a legal document,
which the Intellectual Property Law (Điều 15) leaves outside copyright. Only those facts
are copied; the package stays a development tool, and ``tests/chiso/domain/
test_provinces.py`` checks the file against it.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from vietnam_provinces import Province, ProvinceCode, Ward

OUT = Path(__file__).resolve().parents[1] / "src/chiso/data/units/national-2025.csv"
HEADER = ("code", "name", "division_type", "province_code")


def rows() -> list[tuple[str, str, str, str]]:
    """One row per province (``province_code`` empty) and per commune-level unit."""
    out: list[tuple[str, str, str, str]] = []
    for p in sorted(Province.iter_all(), key=lambda p: int(p.code)):
        code = f"{int(p.code):02d}"
        out.append((code, p.name, p.division_type.value, ""))
        wards = sorted(Ward.iter_by_province(ProvinceCode(int(p.code))), key=lambda w: w.code)
        out.extend((f"{int(w.code):05d}", w.name, w.division_type.value, code) for w in wards)
    return out


def main(argv: list[str]) -> int:
    """``vendor_units.py [--out FILE]`` (default: the shipped file)."""
    out = Path(argv[argv.index("--out") + 1]) if "--out" in argv else OUT
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows(rows())
    count = sum(1 for _ in out.open(encoding="utf-8")) - 1
    sys.stdout.write(f"{out}: {count} units\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
