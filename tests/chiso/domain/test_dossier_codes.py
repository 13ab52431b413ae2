"""Dossier codes: the provincial shape and TT 04/2025's central shape."""

from __future__ import annotations

from datetime import date

import pytest

from chiso.domain.dossier_codes import CodeKind, parse_dossier_code
from chiso.errors import UserError


def test_a_provincial_code_names_the_receiving_agency_its_province_and_day() -> None:
    code = parse_dossier_code(" 000.00.27.H17-261001-0001 ")
    assert code.kind is CodeKind.PROVINCIAL
    assert (code.receiving_agency, code.province) == ("000.00.27.H17", "H17")
    assert (code.received_on, code.sequence, code.system) == (date(2026, 10, 1), 1, None)


def test_a_central_code_of_tt_04_2025_has_the_system_owner_and_a_long_sequence() -> None:
    code = parse_dossier_code("G01.010.00-260125-9912345")
    assert code.kind is CodeKind.CENTRAL
    assert (code.receiving_agency, code.system, code.sequence) == ("G01.010.00", "99", 12345)
    assert code.received_on == date(2026, 1, 25) and code.province is None


@pytest.mark.parametrize(
    "text",
    ["000.00.30.H18-260101-001", "G01.010.00-260125-991", "H18-260101-0001", "", "abc"],
)
def test_other_shapes_are_refused_with_both_rules_named(text: str) -> None:
    with pytest.raises(UserError, match="Thông tư 04/2025/TT-VPCP"):
        parse_dossier_code(text)


def test_a_date_part_that_is_no_day_is_named() -> None:
    with pytest.raises(UserError, match="“261301” không phải một ngày"):
        parse_dossier_code("000.00.30.H18-261301-0001")
