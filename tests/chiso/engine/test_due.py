"""due_soon: unfinished dossiers due within the next working days, soonest first."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from chiso.domain.calendar import HolidayCalendar
from chiso.engine.due import due_soon, due_window_end
from chiso.storage.folder import write_tables
from chiso.storage.store import open_folder

NOW = datetime(2026, 10, 29, 9, 0)  # Thursday


def _dossier(code: str, due: str, *, finished: str = "", returned: str = "") -> dict[str, str]:
    return {
        "dossier_code": code,
        "unit_code": "03158" if code < "D5" else "03160",
        "procedure_code": "1.000001",
        "channel": "direct",
        "received_at": "2026-10-20 08:00:00",
        "due_at": due,
        "finished_at": finished,
        "returned_at": returned,
    }


def _store(tmp_path: Path):  # type: ignore[no-untyped-def]
    write_tables(
        tmp_path,
        {
            "dossiers": [
                _dossier("D1", "2026-10-29 17:00:00"),  # today
                _dossier("D2", "2026-11-03 17:00:00"),  # Tuesday: 3rd working day
                _dossier("D3", "2026-11-04 17:00:00"),  # 4th working day: outside
                _dossier("D4", "2026-10-29 08:00:00"),  # already late: not "about to"
                _dossier("D5", "2026-10-30 10:00:00", finished="2026-10-28 10:00:00"),
                _dossier("D6", "2026-10-30 10:00:00", returned="2026-10-28 10:00:00"),
                _dossier("D7", "2026-10-30 10:00:00"),  # another unit
            ]
        },
    )
    return open_folder(tmp_path)


def test_window_ends_after_the_third_working_day_skipping_the_weekend() -> None:
    end = due_window_end(NOW, 3, HolidayCalendar.default())
    assert end == datetime(2026, 11, 4)


def test_only_unfinished_dossiers_due_in_the_window_soonest_first(tmp_path: Path) -> None:
    found = due_soon(_store(tmp_path), now=NOW, days=3)
    assert [d.dossier_code for d in found] == ["D1", "D7", "D2"]
    assert [d.working_days_left for d in found] == [0, 1, 3]


def test_the_list_keeps_to_the_units_asked_for(tmp_path: Path) -> None:
    found = due_soon(_store(tmp_path), now=NOW, days=3, unit_codes={"03158"})
    assert {d.unit_code for d in found} == {"03158"}
    assert due_soon(_store(tmp_path), now=NOW, days=1, unit_codes={"03158"})[0].dossier_code == "D1"
