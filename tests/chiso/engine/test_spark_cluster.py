"""A one-worker Spark standalone cluster on loopback scores a month as DuckDB does."""

from __future__ import annotations

import json
import socket
import urllib.request
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from chiso.domain.periods import parse_period
from chiso.engine import spark_cluster
from chiso.engine.runner import Level, score
from chiso.engine.spark_cluster import (
    Cluster,
    cluster_status,
    running_pids,
    start_cluster,
    stop_cluster,
)
from chiso.spec.loader import load_index_set
from chiso.storage import backends
from chiso.storage.store import open_folder
from chiso.synth.generator import generate

pytestmark = pytest.mark.spark


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    folder = tmp_path_factory.mktemp("spark-cluster")
    started = start_cluster(folder, workers=1, worker_memory="1g", worker_cores=1)
    try:
        yield started
    finally:  # even when a test failed: no JVM outlives the module
        if backends._SPARK is not None:
            backends._SPARK.stop()
            backends._SPARK = None
        stop_cluster(folder)
        assert not running_pids(started), "a Spark daemon is still running"


def _exact(results: list[Any]) -> dict[tuple[str, str, str], tuple[object, object, object]]:
    """Numerator, denominator and points of every unit × indicator × period."""
    return {
        (r.period, u.unit_code, i.code): (i.numerator, i.denominator, i.points)
        for r in results
        for u in r.units
        for i in u.indicators
    }


def test_the_cluster_listens_on_loopback_and_reports_its_worker(cluster: Cluster) -> None:
    assert cluster.master_url.startswith("spark://127.0.0.1:")
    with urllib.request.urlopen(f"{cluster.ui_url}/json/") as answer:
        status = json.load(answer)
    assert [w["state"] for w in status["workers"]] == ["ALIVE"]
    assert cluster_status(Path(cluster.folder)) == cluster


def test_a_month_scores_on_the_cluster_as_on_duckdb(
    cluster: Cluster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    generate(tmp_path, dossiers=3000, start=date(2026, 3, 1), end=date(2026, 4, 1), seed=5)
    index_set = load_index_set("dienbien-459-2023")
    periods = [parse_period("2026-03")]
    expected = _exact(
        score(open_folder(tmp_path, "duckdb"), index_set, periods, level=Level("all"))
    )  # type: ignore[arg-type]
    monkeypatch.setenv("CHISO_SPARK_MASTER", cluster.master_url)
    store = open_folder(tmp_path, "pyspark", cubes=False)
    got = _exact(score(store, index_set, periods, level=Level("all")))  # type: ignore[arg-type]
    session = backends._SPARK
    assert session is not None and session.sparkContext.master == cluster.master_url
    with urllib.request.urlopen(f"{cluster.ui_url}/json/") as answer:
        apps = json.load(answer)["activeapps"]
    assert [a["name"] for a in apps] == ["chiso"], "the score did not run on the cluster"
    assert len(expected) > 500 and any(n for n, _, _ in expected.values())
    assert got == expected


def test_a_port_taken_before_the_master_binds_it_starts_again_on_fresh_ports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The race between free_port() and the JVM's bind: the master exits, start retries."""
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()  # accepts TCP but never speaks Spark: a worker sent here never registers
    port = taken.getsockname()[1]
    chosen = iter([port])
    real_free_port = spark_cluster.free_port
    monkeypatch.setattr(spark_cluster, "free_port", lambda: next(chosen, None) or real_free_port())
    try:
        started = start_cluster(tmp_path, workers=1, worker_memory="1g", timeout=120)
        try:
            assert started.master_url != f"spark://127.0.0.1:{port}"
            assert spark_cluster.alive_workers(started) == 1
            master_log = (tmp_path / "logs" / "master.log").read_text(errors="replace")
            assert "BindException" in master_log or "Address already in use" in master_log
        finally:
            stop_cluster(tmp_path)
    finally:
        taken.close()
    assert not running_pids(started)
