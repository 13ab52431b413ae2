"""DataSource: a folder path or a database URL, told apart once."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from builders import duckdb_file_of
from chiso.errors import UserError
from chiso.storage.source import DataSource
from chiso.storage.sql import SqlTarget
from chiso.storage.targets import FolderTarget
from chiso.synth.generator import generate


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("data", "folder"),
        ("/srv/chiso/data", "folder"),
        ("duckdb:///srv/chiso/data.duckdb", "duckdb"),
        ("postgresql://chiso@127.0.0.1:5432/chiso", "postgresql"),
        ("postgres://chiso@127.0.0.1/chiso", "postgresql"),
    ],
)
def test_each_kind_of_source_is_told_from_its_text(text: str, kind: str) -> None:
    source = DataSource.parse(text)
    assert source.kind == kind
    assert str(source) == text
    assert source.is_folder == (kind == "folder")
    assert source.folder == (Path(text) if kind == "folder" else None)
    assert DataSource.parse(source) is source


def test_an_unknown_url_is_refused_in_vietnamese() -> None:
    with pytest.raises(UserError) as caught:
        DataSource.parse("http://example.org/data")
    assert "không phải thư mục dữ liệu" in str(caught.value)
    assert "http://example.org/data" in str(caught.value)


def test_a_spark_master_is_not_a_source_and_the_hint_says_what_to_pass() -> None:
    with pytest.raises(UserError) as caught:
        DataSource.parse("spark://127.0.0.1:7077")
    assert "Spark master" in str(caught.value)
    assert caught.value.hint is not None
    assert "--backend pyspark" in caught.value.hint
    assert "CHISO_SPARK_MASTER=spark://127.0.0.1:7077" in caught.value.hint


def test_a_folder_and_a_duckdb_file_made_from_it_open_to_the_same_rows(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    generate(folder, dossiers=200, start=date(2026, 9, 1), end=date(2026, 10, 1), seed=3)
    from_folder = DataSource.parse(str(folder))
    from_file = DataSource.parse(duckdb_file_of(folder, tmp_path / "data.duckdb"))
    counts = [
        source.open().table("dossiers").count().execute() for source in (from_folder, from_file)
    ]
    assert counts == [200, 200]
    assert isinstance(from_folder.target(), FolderTarget)
    target = from_file.target()
    assert isinstance(target, SqlTarget)
    target.close()
