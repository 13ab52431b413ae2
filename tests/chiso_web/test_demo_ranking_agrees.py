"""The ranking ``make demo`` prints is the site's: the demo's data, generated up to the demo's
clock, scored by the console script with ``CHISO_NOW`` and by the site's ranking twin."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from chiso.demo import ensure_data
from chiso.domain.clock import DEMO_NOW

pytestmark = pytest.mark.django_db
CHISO = str(Path(sys.executable).with_name("chiso"))
DEMO_LIKE_DOSSIERS = 20_000


@pytest.fixture(scope="module")
def demo_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's own generation (start, clock, seed), smaller."""
    return ensure_data(tmp_path_factory.mktemp("demo") / "data", dossiers=DEMO_LIKE_DOSSIERS)


@pytest.fixture
def site_on_demo(settings: Any, demo_data: Path) -> Path:
    settings.CHISO = {**settings.CHISO, "CHISO_DATA": str(demo_data), "CHISO_NOW": DEMO_NOW}
    return demo_data


def _cli_ranking(folder: Path, level: str) -> tuple[str, list[tuple[Any, ...]]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CHISO_", "DJANGO_"))}
    env["CHISO_NOW"] = DEMO_NOW.isoformat(timespec="minutes")
    answer = subprocess.run(
        [CHISO, "score", "--data", str(folder), "--period", f"{DEMO_NOW:%Y-%m}",
         "--level", level, "--format", "json"],
        env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert answer.returncode == 0, answer.stderr
    doc = json.loads(answer.stdout)
    return doc["period"], _rows(doc["units"])


def _rows(units: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return sorted((u["unit_code"], u["converted"], u["class"], u["rank"]) for u in units)


def test_the_demo_data_ends_at_the_demo_clock(demo_data: Path) -> None:
    dossiers = pd.concat(pd.read_parquet(p) for p in (demo_data / "dossiers").glob("*.parquet"))
    ratings = pd.concat(pd.read_parquet(p) for p in (demo_data / "ratings").glob("*.parquet"))
    clock = pd.Timestamp(DEMO_NOW)
    for column in (dossiers.received_at, dossiers.finished_at, dossiers.returned_at):
        assert (column.dropna() < clock).all()
    assert (ratings.rated_at < clock).all()
    assert (dossiers.received_at >= clock - pd.Timedelta(hours=12)).any()  # up to the clock


@pytest.mark.parametrize("level", ["kind:xa,phuong", "all"])
def test_the_cli_ranking_of_the_demo_month_is_the_sites(
    client_as: Any, site_on_demo: Path, level: str
) -> None:
    period, cli_rows = _cli_ranking(site_on_demo, level)
    doc = client_as("admin").get("/xep-hang.json", {"level": level}).json()  # default period
    assert doc["period"] == period == "2026-10"
    assert doc["as_of"] == "2026-10-29 09:00"
    site_rows = _rows(doc["units"])
    assert len(site_rows) >= 45
    assert len({row[2] for row in site_rows}) >= 3  # a real spread of classes
    assert site_rows == cli_rows


def test_the_demo_month_has_unusual_data_to_show(client_as: Any, site_on_demo: Path) -> None:
    """``make demo`` injects a few gamed and broken records (``chiso.demo.DEMO_ANOMALIES``),
    so "Dữ liệu bất thường" and the unit page's badge show what they are for."""
    doc = client_as("admin").get("/bat-thuong.json").json()  # the demo's month
    assert doc["period"] == "2026-10"
    rules = {f["rule"] for u in doc["units"] for f in u["findings"]}
    assert len(rules) >= 4, rules
