"""The published JSON Schemas (``schemas/``) are the contract models' schemas, and the
models keep the JSON the CLI always printed (keys, order, keys left out when empty)."""

from __future__ import annotations

from pathlib import Path

import pytest

from chiso.contracts.catalog import CONTRACTS, text
from chiso.contracts.scores import IndicatorScore

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize("name", sorted(CONTRACTS))
def test_each_committed_schema_is_its_models_schema(name: str) -> None:
    committed = ROOT / "schemas" / f"{name}.schema.json"
    assert committed.is_file(), f"missing {committed}: run make schema"
    assert committed.read_text(encoding="utf-8") == text(name), "stale: run make schema"


def test_no_committed_contract_schema_lacks_a_model() -> None:
    published = {p.name.removesuffix(".schema.json") for p in (ROOT / "schemas").glob("*.json")}
    assert published - {"index_set"} == set(CONTRACTS)


def test_an_indicator_keeps_the_keys_and_order_the_cli_printed() -> None:
    args = {"code": "a", "group": "g", "numerator": 3.0, "denominator": 4.0, "rate": 0.75,
            "points": 1.5, "max": 2.0, "applicable": True, "source": "computed"}  # fmt: skip
    plain = IndicatorScore(**args).dump()
    assert list(plain) == list(args) and plain == args  # no note: no key
    noted = IndicatorScore(**args, note="nhập tay").dump()
    assert list(noted) == [*args, "note"]
    with pytest.raises(ValueError):
        IndicatorScore(**{**args, "source": "guessed"})
