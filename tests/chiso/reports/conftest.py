"""A small report shared by the renderer tests: five communes, fees, digitisation."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from chiso.domain.units import UnitTree
from chiso.engine.reported import ReportedRow, score_reported
from chiso.reports.facts import DigitisationRow, Facts, FeeRow
from chiso.reports.profile import load_profile
from chiso.reports.report_data import ReportContext, ReportOptions, build_report
from chiso.spec.loader import load_index_set

TREE = UnitTree.dienbien()
CODES = ("ck_cs2", "tien_do", "dvtt_cs1", "dvtt_cs2", "sohoa_cs1", "sohoa_cs2",
         "hailong_cs1", "hailong_cs2", "hailong_cs3")  # fmt: skip
#: Huyện Điện Biên in 2024: one office and four communes (cells as printed).
ROWS = {
    "Phòng Tư pháp": "5 30 10 10 5 10 5 5 5",
    "Thanh Chăn": "5 30 10 10 5 10 5 5 5",
    "Noong Hẹt": "5 30 10 10 5 9,7 5 5 5",
    "Thanh Hưng": "5 26,5 10 10 5 10 5 5 0",
    "Hua Thanh": "5 24 10 0 4,7 9 5 5 5",
}


def _reported() -> list[ReportedRow]:
    out = []
    for name, cells in ROWS.items():
        unit = TREE.resolve(name, on=date(2024, 11, 26), within="100")
        values = {
            c: Decimal(v.replace(",", ".")) for c, v in zip(CODES, cells.split(), strict=True)
        }
        values |= {"ck_cs1": None, "ck_cs3": None}
        out.append(ReportedRow(unit.unit_code, unit.name, unit.kind.value, values))
    return out


@pytest.fixture(scope="session")
def small_report() -> ReportContext:
    index_set = load_index_set("dienbien-459-2023")
    results = score_reported(
        index_set, _reported(), period="2024-11", period_label="tháng 11 năm 2024"
    )
    units = [u for u in results.units if u.kind != "phong"]
    fees = tuple(
        FeeRow(u.unit_code, u.name, (1, 50000), (n, 980100), (3, 9, 199000), 11)
        for n, u in enumerate(units)
    )
    digi = tuple(
        DigitisationRow(u.unit_code, u.name, 58, 58 - 20 * n, 50, 30 + n)
        for n, u in enumerate(units[:3])
    )
    return build_report(
        results,
        index_set,
        issuer=TREE.get("100"),
        profile=load_profile(),
        facts=Facts(fees=fees, digitisation=digi),
        options=ReportOptions(number="661", on=date(2024, 11, 26), signer_name="Lò Văn A"),
        month_of=date(2024, 12, 1),
    )
