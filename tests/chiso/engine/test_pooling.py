from __future__ import annotations

from pathlib import Path

import yaml

from builders import golden_rows
from chiso.domain.periods import parse_period
from chiso.engine.runner import Level, score_one
from chiso.spec.loader import load_index_set
from chiso.storage.folder import write_tables
from chiso.storage.store import open_folder

CASE = Path("src/chiso/index_sets/vn-766-portal-2025/cases/every_indicator.yaml")


def test_a_province_scored_alone_pools_the_procedures_of_its_communes(tmp_path: Path) -> None:
    case = yaml.safe_load(CASE.read_text(encoding="utf-8"))
    write_tables(
        tmp_path, {t: golden_rows(t, [dict(r) for r in rows]) for t, rows in case["tables"].items()}
    )
    store, index_set = open_folder(tmp_path), load_index_set("vn-766-portal-2025")
    period = parse_period(str(case["period"]))
    with_children = score_one(store, index_set, period, level=Level.parse(case["level"]))
    alone = score_one(store, index_set, period, level=Level.parse("units:11"))
    assert alone.unit("11").indicators == with_children.unit("11").indicators
