"""Every optional column of every canonical table has a documented meaning when absent."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from chiso.domain.absence import ABSENT, optional_columns
from chiso.domain.records import REQUIRED, TABLES

DATA_MODEL = Path(__file__).resolve().parents[3] / "docs" / "data-model.md"


def test_each_optional_column_and_only_those_has_a_meaning_when_absent() -> None:
    assert set(ABSENT) == set(TABLES)
    for table in TABLES:
        assert set(ABSENT[table]) == set(optional_columns(table)), table
        assert not set(optional_columns(table)) & set(REQUIRED[table])
    assert "supplement_count" in optional_columns("dossiers")
    assert "received_at" not in optional_columns("dossiers")


def test_the_meanings_are_vietnamese_nfc_sentences_and_documented() -> None:
    text = DATA_MODEL.read_text(encoding="utf-8")
    for table, meanings in ABSENT.items():
        for column, meaning in meanings.items():
            assert meaning == unicodedata.normalize("NFC", meaning)
            assert meaning[0].islower() and not meaning.endswith(".")
            assert f"| {table} | {column} |" in text, f"{table}.{column} missing in data-model"


def test_docs_data_model_md_absent_table_is_what_make_docs_generates() -> None:
    from cogapp import Cog

    code = Cog().main(["cog", "--check", "--diff", str(DATA_MODEL)])
    assert code == 0, "docs/data-model.md is out of date: run `make docs`"
