"""write_rows: chiso's own rows merged by key, idempotent, all or nothing."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from chiso.errors import UserError
from chiso.storage.store import open_folder
from chiso.storage.writer import write_rows


def _rating(code: str, satisfied: bool) -> dict[str, object]:
    return {
        "dossier_code": code,
        "rated_at": datetime(2026, 10, 5, 9, 30),
        "channel": "qr",
        "satisfied": satisfied,
    }


def test_rows_merge_by_key_and_a_repeat_changes_nothing(tmp_path: Path) -> None:
    first = write_rows(str(tmp_path), "ratings", [_rating("A-1", True), _rating("A-2", False)])
    assert first.new == 2
    again = write_rows(str(tmp_path), "ratings", [_rating("A-1", True)])
    assert again.writes == 0
    changed = write_rows(str(tmp_path), "ratings", [_rating("A-2", True)])
    assert changed.changed == 1
    rows = (tmp_path / "ratings.parquet").exists()
    assert rows


def test_the_same_key_twice_in_one_batch_is_refused(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="xuất hiện nhiều lần"):
        write_rows(str(tmp_path), "ratings", [_rating("A-1", True), _rating("A-1", False)])
    assert not (tmp_path / "ratings.parquet").exists()


def test_an_unknown_column_is_named(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="stars"):
        write_rows(str(tmp_path), "ratings", [{**_rating("A-1", True), "stars": 5}])


def test_written_rows_are_read_by_the_store(web_like_folder: Path) -> None:
    write_rows(str(web_like_folder), "ratings", [_rating("X-9", False)])
    store = open_folder(web_like_folder)
    t = store.table("ratings")
    codes = store.to_pyarrow(t.select("dossier_code")).column(0).to_pylist()
    assert "X-9" in codes


@pytest.fixture
def web_like_folder(tmp_path: Path) -> Path:
    from datetime import date

    from chiso.synth.generator import generate

    folder = tmp_path / "data"
    generate(folder, dossiers=300, start=date(2026, 9, 1), end=date(2026, 10, 1), seed=3)
    return folder


def test_merges_in_the_same_second_each_add_their_own_part(
    web_like_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # part names carry the second; a second merge once replaced the first one's part
    monkeypatch.setattr("chiso.storage.targets.time.strftime", lambda _: "20261122T090000")
    for batch in range(3):
        write_rows(str(web_like_folder), "ratings", [_rating(f"S-{batch}", True)])
    store = open_folder(web_like_folder)
    codes = store.to_pyarrow(store.table("ratings").select("dossier_code")).column(0)
    assert {"S-0", "S-1", "S-2"} <= set(codes.to_pylist())


def test_a_second_writer_waits_for_the_first(tmp_path: Path) -> None:
    """Writers of one folder (the site, `chiso import`, `chiso compact`) take turns."""
    import threading

    from chiso.storage.journal import writer

    done = threading.Event()

    def second() -> None:
        write_rows(str(tmp_path), "ratings", [_rating("B-1", True)])
        done.set()

    with writer(tmp_path):
        thread = threading.Thread(target=second)
        thread.start()
        assert not done.wait(1.0)  # blocked while the first writer holds the folder
    thread.join(timeout=60)
    assert done.is_set()
    import pyarrow.parquet as pq

    assert pq.read_table(tmp_path / "ratings.parquet").column("dossier_code").to_pylist() == ["B-1"]
