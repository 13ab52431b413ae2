"""Which units count (``chiso.engine.coverage``) and the index set's ``units_without_data``,
on the dienbien-459-2023 golden case: Xã Tuần Giáo (03253) has records in March 2026,
Xã Mường Ảng (03256) has none."""

from __future__ import annotations

from pathlib import Path

from chiso.domain.periods import parse_period
from chiso.engine.results import ResultSet
from chiso.engine.runner import Level, score_one
from chiso.spec.canonical import IndexSet
from chiso.spec.loader import load_index_set
from chiso.storage.store import open_folder

SOURCE = Path("src/chiso/index_sets/dienbien-459-2023/index_set.yaml")


def _score(data: Path, index_set: IndexSet, period: str = "2026-03") -> ResultSet:
    level = Level.parse("units:03253,03256")
    return score_one(open_folder(data), index_set, parse_period(period), level=level)


def _with_option(tmp_path: Path, option: str) -> IndexSet:
    """dienbien-459-2023 with a ``units_without_data`` option written in its YAML."""
    path = tmp_path / "index_set.yaml"
    text = SOURCE.read_text(encoding="utf-8")
    path.write_text(text.replace("definitions:", f"{option}\ndefinitions:", 1), encoding="utf-8")
    return load_index_set(path)


def test_a_unit_without_records_is_unscored_and_follows_the_ranked_ones(data: Path) -> None:
    first, empty = _score(data, load_index_set("dienbien-459-2023")).units
    assert (first.unit_code, first.rank, first.has_data, first.grade) == (
        "03253", 1, True, "average",
    )  # fmt: skip
    assert empty.unit_code == "03256" and not empty.has_data and not empty.scored
    assert (empty.converted, empty.grade, empty.grade_label, empty.rank) == (None,) * 4
    assert empty.total == 70  # what the zero-denominator rules give: kept, never shown


def test_an_index_set_may_score_its_units_without_data(data: Path, tmp_path: Path) -> None:
    index_set = _with_option(tmp_path, "units_without_data: {scored: true}")
    assert index_set.score_without_data
    first, second = _score(data, index_set).units
    assert (first.unit_code, first.rank, first.grade, first.has_data) == (
        "03256", 1, "good", False,
    )  # fmt: skip
    assert second.unit_code == "03253" and second.rank == 2 and second.has_data


def test_evidence_says_which_records_give_data(data: Path, tmp_path: Path) -> None:
    index_set = _with_option(tmp_path, "units_without_data: {evidence: [reported]}")
    units = _score(data, index_set).units
    assert [u.has_data for u in units] == [False, False]
    assert [u.unit_code for u in units] == ["03256", "03253"]  # by name (Mường, Tuần)


def test_a_month_without_a_dossier_received_or_finished_has_no_data(data: Path) -> None:
    # April: two dossiers of 03253 are still in progress and a petition is unhandled, so
    # its denominators count records, but nothing was received or finished in the month
    unit = _score(data, load_index_set("dienbien-459-2023"), "2026-04").unit("03253")
    assert unit.indicator("tien_do").denominator == 2
    assert not unit.has_data and unit.grade is None and unit.rank is None
