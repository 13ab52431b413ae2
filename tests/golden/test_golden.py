"""Every golden case of every shipped index set, on every available engine.

A case (``src/chiso/index_sets/<id>/cases/*.yaml``) lists input rows and the
hand-computed expected values per unit.  Rows only state what differs from the
builders' defaults (``tests/builders.py``).
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml

from builders import golden_rows, make_procedure
from chiso.domain.periods import parse_period
from chiso.engine.runner import Level, score_one
from chiso.spec.loader import load_index_set, shipped_ids
from chiso.storage.folder import write_tables
from chiso.storage.store import open_folder

ENGINES = [
    pytest.param("duckdb", id="duckdb"),
    pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
    pytest.param("pyspark", id="pyspark", marks=pytest.mark.spark),
]


def _cases() -> list[Any]:
    out = []
    root = resources.files("chiso") / "index_sets"
    for index_id in shipped_ids():
        folder = Path(str(root / index_id / "cases"))
        for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
            out.append(pytest.param(index_id, path, id=f"{index_id}/{path.stem}"))
    return out


def _as_fraction(value: Any) -> Fraction:
    return Fraction(value) if isinstance(value, str) else Fraction(Decimal(str(value)))


def _close(actual: Fraction | None, expected: Any, what: str) -> None:
    if expected is None or expected == "-":
        assert actual is None, f"{what}: expected '-', got {actual}"
        return
    assert actual is not None, f"{what}: expected {expected}, got '-'"
    want = _as_fraction(expected)
    if isinstance(expected, str):
        assert actual == want, f"{what}: expected {expected}, got {actual}"
    else:
        message = f"{what}: expected {expected}, got {float(actual)}"
        assert abs(actual - want) < Fraction(1, 10**6), message


def _check_unit(result: Any, expect: dict[str, Any]) -> None:
    for code, want in expect.get("indicators", {}).items():
        ind = result.indicator(code)
        if want == "-":
            assert not ind.applicable, f"{code}: expected '-'"
            continue
        assert ind.applicable, f"{code}: expected applicable"
        for key in ("numerator", "denominator", "rate", "points"):
            if key in want:
                _close(getattr(ind, key), want[key], f"{result.unit_code}.{code}.{key}")
    for key in ("total", "max", "converted"):
        if key in expect:
            _close(getattr(result, key), expect[key], f"{result.unit_code}.{key}")
    if "has_data" in expect:
        assert result.has_data == expect["has_data"]
    if "class" in expect:
        assert result.grade == expect["class"]
    if "rank" in expect:
        assert result.rank == expect["rank"]
    if "block_rank" in expect:
        assert result.block_rank == expect["block_rank"]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(("index_id", "case_path"), _cases())
def test_golden_case(index_id: str, case_path: Path, engine: str, tmp_path: Path) -> None:
    case = yaml.safe_load(case_path.read_text(encoding="utf-8"))
    tables = {t: golden_rows(t, [dict(r) for r in rows]) for t, rows in case["tables"].items()}
    tables.setdefault("procedures", [make_procedure()])
    write_tables(tmp_path, tables)
    store = open_folder(tmp_path, engine)  # type: ignore[arg-type]
    index_set = load_index_set(index_id)
    level = Level.parse(case.get("level", "all"))
    results = score_one(store, index_set, parse_period(str(case["period"])), level=level)
    for unit_code, expect in case["expect"].items():
        _check_unit(results.unit(str(unit_code)), expect)


def test_every_shipped_index_set_has_golden_cases() -> None:
    assert {p.values[0] for p in _cases()} == set(shipped_ids())
