from __future__ import annotations

from pathlib import Path

import pytest

from chiso.errors import SpecError
from chiso.spec.loader import load_index_set, shipped_ids, validate_text

SHIPPED = Path("src/chiso/index_sets/dienbien-459-2023/index_set.yaml")


def _broken(old: str, new: str) -> str:
    text = SHIPPED.read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new, 1)


def _line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def test_every_shipped_index_set_loads() -> None:
    for index_id in shipped_ids():
        assert load_index_set(index_id).max_total > 0


def test_459_totals_100_points_in_five_groups() -> None:
    index_set = load_index_set("dienbien-459-2023")
    assert [g.max for g in index_set.groups] == [20, 30, 20, 15, 15]
    assert index_set.max_total == 100


def test_it_reports_an_unknown_field_with_its_line() -> None:
    text = _broken("    max: 30\n", "    max: 30\n    maxi: 3\n")
    index_set, issues = validate_text(text, file="x.yaml")
    assert index_set is None
    issue = next(i for i in issues if "maxi" in i.message)
    assert issue.file == "x.yaml"
    assert issue.line == _line_of(text, "maxi: 3")


def test_it_reports_a_formula_error_with_line_and_hint() -> None:
    text = _broken('numerator: "count(synced)"', 'numerator: "count(syncd)"')
    _, issues = validate_text(text, file="x.yaml")
    issue = next(i for i in issues if i.code == "formula")
    assert issue.line == _line_of(text, "count(syncd)")
    assert "synced" in (issue.hint or "")


def test_it_reports_a_group_whose_maxima_do_not_add_up() -> None:
    text = _broken("    max: 20\n", "    max: 25\n")
    _, issues = validate_text(text, file="x.yaml")
    assert any(i.code == "group-max-mismatch" for i in issues)


def test_it_reports_a_definition_cycle() -> None:
    text = _broken("definitions:\n", 'definitions:\n  loop_a: "loop_b"\n  loop_b: "not loop_a"\n')
    _, issues = validate_text(text, file="x.yaml")
    assert any(i.code == "definition-cycle" for i in issues)


def test_it_collects_every_problem_not_just_the_first() -> None:
    text = _broken("    max: 20\n", "    max: 25\n")
    text = text.replace('numerator: "count(synced)"', 'numerator: "count(syncd)"')
    _, issues = validate_text(text, file="x.yaml")
    assert {"group-max-mismatch", "formula"} <= {i.code for i in issues}


def test_it_reports_unordered_bands() -> None:
    text = _broken("min: 80}", "min: 95}")
    _, issues = validate_text(text, file="x.yaml")
    assert any(i.code == "bands-unordered" for i in issues)


def test_loading_a_broken_file_raises_one_spec_error_with_every_issue(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(_broken("    max: 20\n", "    max: 25\n"), encoding="utf-8")
    with pytest.raises(SpecError) as info:
        load_index_set(path)
    assert info.value.issues and "bad.yaml" in info.value.message


def test_an_unknown_id_suggests_the_shipped_ones() -> None:
    with pytest.raises(Exception, match="không có bộ chỉ số") as info:
        load_index_set("dienbien-459")
    assert "dienbien-459-2023" in str(info.value)
