"""The columns an indicator reads come from its formulas, definitions expanded."""

from __future__ import annotations

from chiso.spec.loader import load_index_set
from chiso.spec.reads import columns_read, indicators_reading


def test_an_indicator_reads_the_columns_of_its_definitions_and_joined_tables() -> None:
    dienbien = load_index_set("dienbien-459-2023")
    tien_do = columns_read(dienbien.indicator("tien_do"))
    assert ("dossiers", "supplement_count") in tien_do  # through the definition on_time
    assert ("dossiers", "as_of") not in tien_do  # a period variable, not a column
    payment = columns_read(dienbien.indicator("dvtt_cs2"))
    assert ("procedures", "has_fee") in payment and ("dossiers", "payment") in payment
    assert ("ratings", "satisfied") in columns_read(dienbien.indicator("hailong_cs3"))
    assert columns_read(dienbien.indicator("ck_cs1")) == frozenset()  # entered by hand


def test_indicators_reading_a_column_in_printed_order() -> None:
    dienbien = load_index_set("dienbien-459-2023")
    codes = [i.code for i in indicators_reading(dienbien, "dossiers", "supplement_count")]
    assert codes == ["tien_do", "hailong_cs3"]
    assert indicators_reading(dienbien, "dossiers", "returned_at") == ()
    nd61 = load_index_set("nd61-tt01-2018")
    assert [i.code for i in indicators_reading(nd61, "dossiers", "supplement_count")] == ["tc3"]
