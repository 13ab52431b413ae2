"""Shipped index sets name everything in Vietnamese, with short labels for charts, and keep
maintainers' notes (confidence, sources, open questions) out of the text screens show."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from chiso.spec.loader import load_index_set, shipped_ids, validate_text

DEVELOPER_MARKS = re.compile(r"\b(UNK|SEC|SEED|OFF|R\d+|LIN|THR)\b|nghĩa mặc định|chưa rõ")
ENGLISH = re.compile(r"\b(the|of|in|and|points|period|dossiers?|procedures?)\b")


@pytest.mark.parametrize("index_id", shipped_ids())
def test_shipped_sets_have_short_labels_for_menus_and_chart_axes(index_id: str) -> None:
    index_set = load_index_set(index_id)
    assert index_set.short_label != index_set.name
    assert len(index_set.short_label) <= 40
    for group in index_set.groups:
        assert group.short_label != group.label or len(group.label) <= 16, group.code
        assert len(group.short_label) <= 16, group.code
        assert "_" not in group.short_label


@pytest.mark.parametrize("index_id", shipped_ids())
def test_shown_descriptions_carry_no_developer_note(index_id: str) -> None:
    for ind in load_index_set(index_id).indicators:
        text = ind.description or ""
        assert not DEVELOPER_MARKS.search(text), (ind.code, text)
        assert not ENGLISH.search(text), (ind.code, text)


def test_short_labels_default_to_the_labels_and_notes_stay_in_the_yaml() -> None:
    dienbien = load_index_set("dienbien-459-2023")
    text = Path(dienbien.source).read_text(encoding="utf-8")
    text = re.sub(r"^\s*short_label: .*\n", "", text, flags=re.M)
    bare, issues = validate_text(text)
    assert issues == [] and bare is not None
    assert bare.short_label == bare.name
    assert [g.short_label for g in bare.groups] == [g.label for g in bare.groups]
    assert bare.indicator("dvtt_cs2").short_label == "Chỉ số 2"
    assert dienbien.indicator("dvtt_cs2").short_label == "Trực tuyến 2"
    assert dienbien.indicator("dvtt_cs2").full_label == "Cung cấp dịch vụ trực tuyến — Chỉ số 2"
    assert dienbien.indicator("tien_do").full_label == "Tiến độ, KQ giải quyết"
    assert "note:" in text
