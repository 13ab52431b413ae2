"""The synthetic province: files, types, references, timelines, determinism, spread."""

from __future__ import annotations

import doctest
import hashlib
import re
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from chiso.domain.calendar import HolidayCalendar
from chiso.domain.records import TABLES, Channel, DossierStatus, Payment
from chiso.errors import UserError
from chiso.synth import (
    catalogue,
    generator,
    intake,
    outcome,
    petitions,
    plan,
    profiles,
    schemas,
    timeline,
)
from chiso.synth.generator import (
    BLOCK_ROWS,
    generate,
    iter_dossier_chunks,
    plan_province,
)
from chiso.synth.outcome import RATING_CHANNELS
from chiso.synth.schemas import ARROW_TYPES

START, END = date(2026, 1, 1), date(2026, 4, 1)
QUARTER_DOSSIERS = 20_000


@pytest.fixture(scope="module")
def quarter(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("quarter")
    generate(out, dossiers=QUARTER_DOSSIERS, start=START, end=END, chunk_rows=7_000)
    return out


def read(out: Path, table: str) -> pd.DataFrame:
    folder = out / table
    if folder.is_dir():
        return pd.concat(
            [pd.read_parquet(p) for p in sorted(folder.glob("part-*.parquet"))],
            ignore_index=True,
        )
    return pd.read_parquet(out / f"{table}.parquet")


def digest(out: Path) -> dict[str, str]:
    return {
        str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.rglob("*.parquet"))
    }


# --- files and types ---------------------------------------------------------------------


def test_it_writes_every_file_for_a_quarter(quarter: Path) -> None:
    for name in ("units.parquet", "procedures.parquet", "petitions.parquet"):
        assert (quarter / name).is_file()
    parts = sorted((quarter / "dossiers").glob("part-*.parquet"))
    assert [p.name for p in parts] == [f"part-0000{i}.parquet" for i in range(3)]
    assert [pq.read_metadata(p).num_rows for p in parts] == [7_000, 7_000, 6_000]
    assert len(read(quarter, "dossiers")) == QUARTER_DOSSIERS
    assert len(read(quarter, "ratings")) > 0
    assert len(read(quarter, "petitions")) > 0


@pytest.mark.parametrize("table", ["units", "procedures", "dossiers", "petitions", "ratings"])
def test_columns_and_types_match_the_canonical_tables(quarter: Path, table: str) -> None:
    folder = quarter / table
    paths = sorted(folder.glob("*.parquet")) if folder.is_dir() else [quarter / f"{table}.parquet"]
    for path in paths:
        schema = pq.read_schema(path)
        assert schema.names == list(TABLES[table])
        assert [f.type for f in schema] == [ARROW_TYPES[t] for t in TABLES[table].values()]


def test_enumerations_use_the_canonical_values(quarter: Path) -> None:
    d = read(quarter, "dossiers")
    assert set(d.channel) <= {c.value for c in Channel}
    assert set(d.payment) <= {p.value for p in Payment}
    assert set(d.status) <= {s.value for s in DossierStatus}
    assert set(read(quarter, "procedures").online_level) == {"full", "partial", "none"}
    assert set(read(quarter, "ratings").channel) <= set(RATING_CHANNELS)


# --- references --------------------------------------------------------------------------


def test_every_reference_exists(quarter: Path) -> None:
    units = read(quarter, "units")
    procedures = read(quarter, "procedures")
    dossiers = read(quarter, "dossiers")
    assert set(dossiers.unit_code) <= set(units.unit_code)
    assert set(dossiers.procedure_code) <= set(procedures.procedure_code)
    assert set(read(quarter, "petitions").unit_code) <= set(units.unit_code)
    assert set(read(quarter, "ratings").dossier_code) <= set(dossiers.dossier_code)
    assert set(units.parent_code.dropna()) <= set(units.unit_code)


def test_keys_are_unique_and_codes_look_real(quarter: Path) -> None:
    dossiers = read(quarter, "dossiers")
    assert dossiers.dossier_code.is_unique
    assert dossiers.dossier_code.str.fullmatch(r"[0-9a-z-]+-\d{6}-\d{6}").all()
    first = dossiers.iloc[0]
    assert first.dossier_code.startswith(f"{first.unit_code}-{first.received_at:%y%m%d}-")
    assert read(quarter, "procedures").procedure_code.str.fullmatch(r"[12]\.\d{6}").all()
    assert read(quarter, "petitions").petition_code.is_unique
    assert read(quarter, "units").unit_code.is_unique


def test_the_units_are_the_45_communes_and_the_departments(quarter: Path) -> None:
    units = read(quarter, "units")
    producing = set(read(quarter, "dossiers").unit_code)
    kinds = units.set_index("unit_code").kind
    assert sum(kinds[c] in {"xa", "phuong", "thi_tran"} for c in producing) == 45
    assert {kinds[c] for c in producing} == {"xa", "phuong", "so"}
    assert "11" in set(units.unit_code)  # the province, as the departments' parent


def test_commune_units_only_get_commune_procedures(quarter: Path) -> None:
    d = read(quarter, "dossiers").merge(read(quarter, "procedures"), on="procedure_code")
    kind = d.unit_code.map(read(quarter, "units").set_index("unit_code").kind)
    assert (d.level[kind != "so"] == "xa").all()
    assert (d.level[kind == "so"] == "tinh").all()


def test_departments_only_get_their_own_procedures(quarter: Path) -> None:
    agency = {e.procedure_code: e.agency_code for e in catalogue.load_catalogue()}
    d = read(quarter, "dossiers")
    dept = d[d.unit_code.str.contains("-")]
    assert (dept.procedure_code.map(agency) == dept.unit_code).all()


# --- time --------------------------------------------------------------------------------


def test_instants_are_in_order_and_in_the_period(quarter: Path) -> None:
    d = read(quarter, "dossiers")
    start, end = pd.Timestamp(START), pd.Timestamp(END)
    assert d.received_at.between(start, end, inclusive="left").all()
    assert (d.due_at >= d.received_at).all()
    finished = d[d.finished_at.notna()]
    assert (finished.finished_at >= finished.received_at).all()
    assert (finished.finished_at < end).all()
    returned = d[d.returned_at.notna()]
    assert (returned.returned_at >= returned.finished_at).all()
    assert (returned.returned_at < end).all()
    assert (d.received_at.dt.microsecond == 0).all()
    ratings = read(quarter, "ratings").merge(d, on="dossier_code")
    assert (ratings.rated_at >= ratings.finished_at).all()
    assert (ratings.rated_at < end).all()


def test_status_agrees_with_the_timestamps(quarter: Path) -> None:
    d = read(quarter, "dossiers")
    open_ = d.status.isin(["received", "processing", "supplement"])
    assert (d.finished_at.isna() == open_).all()
    assert (d.returned_at.notna() == (d.status == "returned")).all()
    assert (d.supplement_count[d.status == "supplement"] > 0).all()
    assert open_.any() and (d.status == "returned").mean() > 0.8


def test_due_at_is_the_calendar_due_instant(quarter: Path) -> None:
    cal = HolidayCalendar.default()
    limits = read(quarter, "procedures").set_index("procedure_code").time_limit_days
    sample = read(quarter, "dossiers").sample(400, random_state=1)
    for row in sample.itertuples():
        received = row.received_at.to_pydatetime()
        expected = cal.due_at(received, int(limits[row.procedure_code]))
        assert row.due_at.to_pydatetime() == expected, row.dossier_code


def test_desk_dossiers_arrive_on_working_days_in_office_hours(quarter: Path) -> None:
    cal = HolidayCalendar.default()
    d = read(quarter, "dossiers")
    desk = d[d.channel != "online"]
    assert all(cal.is_working_day(day) for day in desk.received_at.dt.date.unique())
    hours = desk.received_at.dt.hour
    assert hours.between(7, 16).all()
    days_off = ~d.received_at.dt.date.map(cal.is_working_day)
    assert 0 < days_off.mean() < 0.1
    assert (d.channel[days_off] == "online").all()


def test_fees_and_payments_follow_the_procedure(quarter: Path) -> None:
    d = read(quarter, "dossiers").merge(read(quarter, "procedures"), on="procedure_code")
    assert (d.fee_amount[~d.has_fee] == 0).all()
    assert (d.payment[d.fee_amount == 0] == "none").all()
    assert (d.payment[d.fee_amount > 0] != "none").all()
    assert (d.fee_amount % 1000 == 0).all()
    assert (d.has_fee & (d.fee_amount > 0)).mean() > 0.3


def test_petitions_are_due_after_15_working_days(quarter: Path) -> None:
    cal = HolidayCalendar.default()
    p = read(quarter, "petitions")
    for row in p.head(50).itertuples():
        assert row.due_at.to_pydatetime() == cal.due_at(row.received_at.to_pydatetime(), 15)
    handled = p[p.handled_at.notna()]
    assert (handled.handled_at >= handled.received_at).all()
    assert (handled.handled_at <= handled.due_at).mean() > 0.7
    assert p.satisfied[p.handled_at.isna()].isna().all()


# --- determinism and chunking ------------------------------------------------------------


def test_the_same_seed_gives_the_same_files(tmp_path: Path) -> None:
    args = {"dossiers": 3_000, "start": START, "end": date(2026, 2, 1)}
    generate(tmp_path / "a", seed=7, **args)
    generate(tmp_path / "b", seed=7, **args)
    generate(tmp_path / "c", seed=8, **args)
    assert digest(tmp_path / "a") == digest(tmp_path / "b")
    assert digest(tmp_path / "a") != digest(tmp_path / "c")


def test_chunking_does_not_change_the_rows(tmp_path: Path) -> None:
    n = BLOCK_ROWS + 5_000  # more than one block
    args = {"dossiers": n, "start": START, "end": date(2026, 2, 1), "seed": 3}
    small = generate(tmp_path / "small", chunk_rows=40_000, **args)
    large = generate(tmp_path / "large", chunk_rows=10_000_000, **args)
    assert (len(small.dossier_files), len(large.dossier_files)) == (4, 1)
    for table in ("dossiers", "ratings"):
        a, b = read(tmp_path / "small", table), read(tmp_path / "large", table)
        pd.testing.assert_frame_equal(a, b)
    streamed = pa.concat_tables(iter_dossier_chunks(chunk_rows=33_333, **args)).to_pandas()
    pd.testing.assert_frame_equal(streamed, read(tmp_path / "large", "dossiers"))


def test_progress_reports_the_rows_written(tmp_path: Path) -> None:
    seen: list[int] = []
    n = BLOCK_ROWS + 10
    generate(tmp_path, dossiers=n, start=START, end=END, progress=seen.append)
    assert seen == [BLOCK_ROWS, n]


def test_no_dossiers_still_writes_readable_tables(tmp_path: Path) -> None:
    summary = generate(tmp_path, dossiers=0, start=START, end=date(2026, 1, 10))
    assert summary.dossiers == 0
    assert pq.read_table(tmp_path / "dossiers").num_rows == 0
    assert pq.read_table(tmp_path / "dossiers").schema.names == list(TABLES["dossiers"])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"dossiers": -1}, "negative"),
        ({"end": START}, "empty"),
        ({"chunk_rows": 0}, "chunk_rows"),
        ({"start": date(1990, 1, 1), "end": date(1990, 2, 1)}, "no commune"),
    ],
)
def test_it_rejects_bad_arguments(tmp_path: Path, kwargs: dict[str, object], message: str) -> None:
    args: dict[str, object] = {"dossiers": 10, "start": START, "end": END, **kwargs}
    with pytest.raises(UserError, match=message):
        generate(tmp_path, **args)  # type: ignore[arg-type]


# --- stopping at an instant ---------------------------------------------------------------

CLOCK = datetime(2026, 3, 12, 9, 0)  # a Thursday morning: the day is cut short
EVENTS = {
    "dossiers": ["received_at", "finished_at", "returned_at"],
    "ratings": ["rated_at"],
    "petitions": ["received_at", "handled_at"],
}


@pytest.fixture(scope="module")
def at_clock(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The same province generated to the clock and to the midnight after its day."""
    clocked = tmp_path_factory.mktemp("at-clock")
    whole_day = tmp_path_factory.mktemp("whole-day")
    for out, end in ((clocked, CLOCK), (whole_day, date(2026, 3, 13))):
        generate(out, dossiers=6_000, start=date(2026, 2, 1), end=end, chunk_rows=2_500)
    return clocked, whole_day


def test_nothing_happens_at_or_after_the_clock(at_clock: tuple[Path, Path]) -> None:
    clocked, whole_day = at_clock
    stamp = pd.Timestamp(CLOCK)
    for table, columns in EVENTS.items():
        frame = read(clocked, table)
        assert len(frame) > 0
        for column in columns:
            assert (frame[column].dropna() < stamp).all(), (table, column)
        # the generation to midnight does have these events after the clock
        later = read(whole_day, table)[columns[0]]
        assert (later >= stamp).any(), table
    # due_at is a deadline, not an event: it may be later
    assert (read(clocked, "dossiers").due_at >= stamp).any()


def test_dossiers_in_progress_at_the_clock_stay_unfinished(at_clock: tuple[Path, Path]) -> None:
    clocked, whole_day = at_clock
    stamp = pd.Timestamp(CLOCK)
    a = read(clocked, "dossiers").set_index("dossier_code")
    b = read(whole_day, "dossiers").set_index("dossier_code")
    before = b[b.received_at < stamp]
    assert sorted(a.index) == sorted(before.index)  # the same dossiers, none received later
    assert (a.received_at == before.received_at[a.index]).all()
    finished_later = before.index[~(before.finished_at < stamp)]  # NaT: never finished
    assert len(finished_later) > 20
    pending = a.loc[finished_later]
    assert pending.finished_at.isna().all() and pending.returned_at.isna().all()
    assert pending.status.isin(["received", "processing", "supplement"]).all()
    done = before.index[before.finished_at < stamp]
    assert (a.loc[done].finished_at == before.loc[done].finished_at).all()
    returned_later = before.index[(before.returned_at >= stamp) & (before.finished_at < stamp)]
    assert (a.loc[returned_later].status == "finished").all()
    assert len(read(clocked, "ratings")) < len(read(whole_day, "ratings"))


def test_an_instant_end_on_the_command_line(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from chiso.cli import cli

    out = tmp_path / "data"
    answer = CliRunner().invoke(
        cli,
        ["generate", "--out", str(out), "--dossiers", "800", "--start", "2026-03-01",
         "--end", "2026-03-12T09:00"],
    )  # fmt: skip
    assert answer.exit_code == 0, answer.output
    assert "hồ sơ, " in answer.output and "từ 01/03/2026 đến 12/03/2026 09:00" in answer.output
    assert "GenerationSummary" not in answer.output
    assert read(out, "dossiers").received_at.max() < pd.Timestamp(CLOCK)
    assert read(out, "dossiers").received_at.max() >= pd.Timestamp(date(2026, 3, 12))
    bad = CliRunner().invoke(
        cli, ["generate", "--out", str(out), "--end", "2026-03-12T9h"], catch_exceptions=False
    )
    assert bad.exit_code == 2 and "--end='2026-03-12T9h' không phải thời điểm dạng ISO" in (
        bad.output
    )


# --- realism -----------------------------------------------------------------------------


def test_units_spread_on_on_time_and_online_shares(quarter: Path) -> None:
    """Not a score: raw shares per unit must differ enough for the ranking to spread."""
    d = read(quarter, "dossiers")
    end = pd.Timestamp(END)
    late = (d.supplement_count > 1) | (d.finished_at > d.due_at)
    late |= d.finished_at.isna() & (d.due_at < end)
    d = d.assign(on_time=~late, online=d.channel == "online")
    per_unit = d.groupby("unit_code").agg(
        n=("on_time", "size"), on_time=("on_time", "mean"), online=("online", "mean")
    )
    per_unit = per_unit[per_unit.n >= 50]
    assert len(per_unit) >= 45
    assert per_unit.on_time.max() - per_unit.on_time.min() > 0.3
    assert per_unit.online.max() - per_unit.online.min() > 0.3
    assert per_unit.on_time.median() > 0.9  # most units are good


def test_profiles_deal_every_grade() -> None:
    plan = plan_province(dossiers=0, start=START, end=END)
    grades = pd.Series(plan.profiles.grade).value_counts()
    assert set(grades.index) == {"weak", "average", "fair", "good", "excellent"}
    assert 1 <= grades["weak"] <= 2
    assert grades["excellent"] + grades["good"] > len(plan.units) / 2


def test_before_july_2025_the_old_communes_take_only_commune_work(tmp_path: Path) -> None:
    generate(tmp_path, dossiers=5_000, start=date(2024, 3, 1), end=date(2024, 4, 1))
    d = read(tmp_path, "dossiers")
    communes = d[~d.unit_code.str.startswith(("so-", "ban-", "thanh-tra"))]
    assert communes.unit_code.str.endswith("-cu").all()
    former = {e.procedure_code: e.former_level for e in catalogue.load_catalogue()}
    assert (communes.procedure_code.map(former) == "xa").all()
    assert communes.unit_code.nunique() > 100


def test_a_period_across_the_reorganisation_uses_each_units_valid_days(tmp_path: Path) -> None:
    generate(tmp_path, dossiers=20_000, start=date(2025, 6, 1), end=date(2025, 8, 1))
    d = read(tmp_path, "dossiers").merge(read(tmp_path, "units"), on="unit_code")
    day = d.received_at.dt.date
    assert (day >= d.valid_from).all()
    assert (d.valid_to.isna() | (day <= d.valid_to)).all()
    assert d.unit_code.str.endswith("-cu").any() and d.unit_code.str.fullmatch(r"\d{5}").any()


# --- docs --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "module",
    [catalogue, generator, intake, outcome, petitions, plan, profiles, schemas, timeline],
)
def test_docstring_examples_run(module: object) -> None:
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)  # type: ignore[arg-type]
    assert result.failed == 0


def test_timestamps_are_naive_local_time(quarter: Path) -> None:
    schema = pq.read_schema(quarter / "dossiers" / "part-00000.parquet")
    assert schema.field("received_at").type.tz is None
    assert isinstance(read(quarter, "dossiers").received_at.iloc[0].to_pydatetime(), datetime)
    assert re.fullmatch(r"\d{2}:\d{2}:\d{2}", f"{read(quarter, 'dossiers').due_at.iloc[0]:%T}")
