"""Every code a person may read has a Vietnamese name (chiso.domain.labels)."""

from __future__ import annotations

import unicodedata

import pytest

from chiso.domain.labels import (
    COLUMNS,
    DOSSIER_HEADERS,
    VALUES,
    column_label,
    kinds_label,
    value_label,
)
from chiso.domain.records import TABLES, Channel, DossierStatus, OnlineLevel, Payment
from chiso.domain.units import UnitKind
from chiso.ingest.bench import HEADERS, LABELS


@pytest.mark.parametrize(
    ("column", "enum"),
    [
        ("channel", Channel),
        ("payment", Payment),
        ("status", DossierStatus),
        ("online_level", OnlineLevel),
        ("kind", UnitKind),
    ],
)
def test_every_member_of_a_coded_column_has_a_vietnamese_label(column: str, enum: type) -> None:
    labels = VALUES[column]
    assert set(labels) == {m.value for m in enum}
    for label in labels.values():
        assert label and label == unicodedata.normalize("NFC", label)
        assert "_" not in label


def test_every_column_a_person_may_see_has_a_header() -> None:
    shown = ("dossiers", "petitions", "ratings", "assessments")
    missing = [c for t in shown for c in TABLES[t] if c not in COLUMNS]
    assert missing == []
    assert column_label("supplement_count") == "Số lần bổ sung"
    assert column_label("not_a_column") == "not_a_column"


def test_the_export_and_the_screens_share_one_source() -> None:
    assert HEADERS is DOSSIER_HEADERS
    assert LABELS["channel"]["online"] == value_label("channel", "online") == "Trực tuyến"
    assert value_label("channel", "direct") == "Trực tiếp"
    assert value_label("fee_amount", 5) == "5"
    assert value_label("channel", None) == ""


def test_unit_kinds_read_as_words() -> None:
    assert kinds_label(["tinh"]) == "Tỉnh"
    assert kinds_label(["so", "trung_tam"]) == "Sở, ban, ngành; Trung tâm"
    assert kinds_label(None) == "mọi đơn vị"
