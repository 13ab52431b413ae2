"""Inject gamed and broken records into a generated folder, at chosen rates.

``chiso generate --inject same_minute=0.02,rating_burst=0.01`` rewrites the dossier and
rating parts :func:`chiso.synth.generate` wrote, changing a share of records so that each
shows one pattern the anomaly rules look for (``docs/anomalies.md``), and records which
records were changed in :data:`INJECTED_FILE` beside the tables (never in them): the
benchmark's ground truth.  A record is changed for one pattern at most, and each change
keeps the record clear of the other patterns.

Rates: a share of dossiers (``same_minute``, ``due_beyond_limit``, ``off_hours_direct``,
``code_date``, ``out_of_order``), of ratings (``rating_burst``, ``rating_unfinished``), or of
producing units (``due_rush``: among units with :data:`RUSH_MIN_DOSSIERS` on-time
dossiers; in each chosen unit, 60 % of the on-time dossiers are moved
to finish in the last two hours before their due time).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from chiso.domain.calendar import HolidayCalendar
from chiso.errors import UserError
from chiso.i18n import _
from chiso.synth.schemas import arrow_schema

__all__ = ["INJECTED_FILE", "PATTERNS", "inject", "parse_rates", "read_injected"]

#: The patterns, in the order they are injected (the ids of the anomaly rules).
PATTERNS = (
    "due_rush",
    "rating_burst",
    "same_minute",
    "due_beyond_limit",
    "off_hours_direct",
    "code_date",
    "out_of_order",
    "rating_unfinished",
)
#: The ground truth beside the tables: rule, unit_code, dossier_code, rated_at.
INJECTED_FILE = "injected-anomalies.csv"
BURST_SIZE = 20
RUSH_SHARE = 0.6
#: A unit is gamed only when it has this many on-time dossiers: a rush among a handful
#: of dossiers is not a pattern (the rule asks for at least ``min_count`` in the window).
RUSH_MIN_DOSSIERS = 50
_DONE = ("finished", "returned")
_CODE = re.compile(r"^(.*)-(\d{6})-([0-9A-Za-z]+)$")
_RATING_CHANNELS = ("web", "qr", "kiosk", "paper")


def parse_rates(text: str) -> dict[str, float]:
    """``same_minute=0.02,due_rush=0.1`` → rates by pattern (``all=R``: every pattern).

    Examples:
        >>> parse_rates("same_minute=0.02, code_date=1%")
        {'same_minute': 0.02, 'code_date': 0.01}
    """
    rates: dict[str, float] = {}
    for item in (p.strip() for p in text.split(",") if p.strip()):
        name, _sep, value = item.partition("=")
        name = name.strip()
        if name != "all" and name not in PATTERNS:
            raise UserError(
                _("--inject: no pattern {name!r}").format(name=name),
                hint=_("the patterns: all, {names}").format(names=", ".join(PATTERNS)),
            )
        try:
            rate = float(value[:-1]) / 100 if value.strip().endswith("%") else float(value)
        except ValueError:
            raise UserError(
                _("--inject: the rate of {name} is not a number: {value!r}").format(
                    name=name, value=value
                ),
                hint=_("write e.g. same_minute=0.02 or same_minute=2%"),
            ) from None
        if not 0 <= rate <= 0.5:
            raise UserError(
                _("--inject: the rate of {name} must be from 0 to 0.5 (not {rate})").format(
                    name=name, rate=rate
                )
            )
        for pattern in PATTERNS if name == "all" else (name,):
            rates[pattern] = rate
    return rates


class _Folder:
    """The dossiers and ratings of a generated folder, in memory, and the truth rows."""

    def __init__(self, folder: Path, rng: np.random.Generator, stop: datetime) -> None:
        self.folder, self.rng, self.stop = folder, rng, pd.Timestamp(stop)
        self.dossier_parts = sorted((folder / "dossiers").glob("part-*.parquet"))
        self.rating_parts = sorted((folder / "ratings").glob("part-*.parquet"))
        self.sizes = [pq.ParquetFile(p).metadata.num_rows for p in self.dossier_parts]
        self.d = pd.concat([pd.read_parquet(p) for p in self.dossier_parts], ignore_index=True)
        self.r = pd.concat([pd.read_parquet(p) for p in self.rating_parts], ignore_index=True)
        procs = pd.read_parquet(folder / "procedures.parquet")
        limits = dict(zip(procs.procedure_code, procs.time_limit_days, strict=True))
        self.limit = self.d.procedure_code.map(limits)
        self.used = np.zeros(len(self.d), dtype=bool)
        self.truth: list[tuple[str, str, str, object]] = []
        self.new_ratings: list[pd.DataFrame] = []

    def done(self) -> pd.Series:
        return self.d.status.isin(_DONE) & self.d.finished_at.notna() & ~self.used

    def unrated(self) -> pd.Series:
        return ~self.d.dossier_code.isin(self.r.dossier_code)

    def pick(self, mask: pd.Series | np.ndarray, n: int) -> np.ndarray:
        index = np.flatnonzero(np.asarray(mask))
        chosen = self.rng.choice(index, size=min(n, len(index)), replace=False)
        chosen.sort()
        self.used[chosen] = True
        return chosen

    def record(self, rule: str, rows: np.ndarray) -> None:
        for unit, code in zip(
            self.d.unit_code.iloc[rows], self.d.dossier_code.iloc[rows], strict=True
        ):
            self.truth.append((rule, unit, code, None))

    def seconds(self, low: int, high: int, n: int) -> pd.TimedeltaIndex:
        return pd.to_timedelta(self.rng.integers(low, high, size=n), unit="s")


def _same_minute(f: _Folder, rate: float) -> None:
    rows = f.pick(f.done() & (f.limit >= 1), round(rate * len(f.d)))
    finished = f.d.received_at.iloc[rows] + f.seconds(5, 100, len(rows))
    f.d.loc[rows, "finished_at"] = finished.to_numpy()
    returned = f.d.returned_at.iloc[rows]
    later = finished + f.seconds(30, 600, len(rows))
    f.d.loc[rows, "returned_at"] = np.where(returned.notna(), later.to_numpy(), returned.to_numpy())
    f.record("same_minute", rows)


def _due_rush(f: _Folder, rate: float) -> None:
    on_time = f.done() & (f.d.finished_at <= f.d.due_at) & (f.d.due_at < f.stop) & f.unrated()
    volume = f.d.unit_code[on_time].value_counts()
    units = np.array(sorted(volume.index[volume >= RUSH_MIN_DOSSIERS]))
    count = max(1, round(rate * f.d.unit_code.nunique())) if rate > 0 else 0
    chosen = f.rng.choice(units, size=min(count, len(units)), replace=False)
    for unit in sorted(chosen):
        mask = on_time & (f.d.unit_code == unit)
        rows = f.pick(mask, round(RUSH_SHARE * int(mask.sum())))
        finished = f.d.due_at.iloc[rows] - f.seconds(5 * 60, 115 * 60, len(rows))
        f.d.loc[rows, "finished_at"] = finished.to_numpy()
        returned = f.d.returned_at.iloc[rows]
        after = np.minimum(finished + f.seconds(60, 1800, len(rows)), f.stop - pd.Timedelta(1, "s"))
        moved = returned.notna() & (returned < finished)
        f.d.loc[rows, "returned_at"] = np.where(moved, after.to_numpy(), returned.to_numpy())
        f.record("due_rush", rows)


def _due_beyond_limit(f: _Folder, rate: float, calendar: HolidayCalendar) -> None:
    d = f.d
    mask = (
        d.due_at.notna()
        & (d.supplement_count == 0)
        & (d.status != "supplement")
        & f.limit.notna()
        & ~f.used
    )
    rows = f.pick(mask, round(rate * len(d)))
    extra = f.rng.integers(1, 6, size=len(rows))
    new = [
        datetime.combine(calendar.add_working_days(due.date(), int(k)), due.time())
        for due, k in zip(d.due_at.iloc[rows], extra, strict=True)
    ]
    d.loc[rows, "due_at"] = pd.to_datetime(new).to_numpy()
    f.record("due_beyond_limit", rows)


def _off_hours_direct(f: _Folder, rate: float) -> None:
    d = f.d
    mask = (d.channel == "direct") & (d.received_at.dt.hour < 15) & ~f.used
    rows = f.pick(mask, round(rate * len(d)))
    night = d.received_at.iloc[rows].dt.normalize() + f.seconds(
        4 * 3600, 6 * 3600 + 50 * 60, len(rows)
    )
    d.loc[rows, "received_at"] = night.to_numpy()
    f.record("off_hours_direct", rows)


def _code_date(f: _Folder, rate: float) -> None:
    d = f.d
    codes = set(d.dossier_code)
    rows = f.pick(~f.used, round(rate * len(d)))
    renamed: dict[str, str] = {}
    kept: list[int] = []
    shifts = f.rng.integers(15, 61, size=len(rows)) * f.rng.choice([-1, 1], size=len(rows))
    for row, shift in zip(rows, shifts, strict=True):
        code = d.dossier_code.iat[row]
        match = _CODE.match(code)
        if match is None:
            continue
        day = datetime.strptime(match.group(2), "%y%m%d") + timedelta(days=int(shift))
        new = f"{match.group(1)}-{day:%y%m%d}-{match.group(3)}"
        if new in codes:
            continue
        codes.add(new)
        renamed[code] = new
        kept.append(row)
    d.loc[kept, "dossier_code"] = d.dossier_code.iloc[kept].map(renamed).to_numpy()
    f.r["dossier_code"] = f.r.dossier_code.map(lambda c: renamed.get(c, c))
    f.record("code_date", np.array(kept, dtype=np.int64))


def _out_of_order(f: _Folder, rate: float) -> None:
    rows = f.pick(f.done(), round(rate * len(f.d)))
    earlier = f.d.received_at.iloc[rows] - f.seconds(3600, 3 * 86400, len(rows))
    f.d.loc[rows, "finished_at"] = earlier.to_numpy()
    f.record("out_of_order", rows)


def _ratings(f: _Folder, rule: str, rows: np.ndarray, at: pd.Series, channel: list[str]) -> None:
    frame = pd.DataFrame(
        {
            "dossier_code": f.d.dossier_code.iloc[rows].to_numpy(),
            "rated_at": at.to_numpy(),
            "channel": channel,
            "satisfied": True,
        }
    )
    f.new_ratings.append(frame)
    for unit, code, rated in zip(
        f.d.unit_code.iloc[rows], frame.dossier_code, frame.rated_at, strict=True
    ):
        f.truth.append((rule, unit, code, rated))


def _rating_unfinished(f: _Folder, rate: float) -> None:
    d = f.d
    slow = (d.finished_at - d.received_at) > pd.Timedelta(2, "h")
    rows = f.pick(f.done() & slow & f.unrated(), round(rate * len(f.r)))
    share = f.rng.uniform(0.1, 0.9, size=len(rows))
    lapse = (d.finished_at.iloc[rows] - d.received_at.iloc[rows]) * share
    at = (d.received_at.iloc[rows] + lapse).dt.floor("s")
    channels = list(f.rng.choice(_RATING_CHANNELS, size=len(rows)))
    _ratings(f, "rating_unfinished", rows, at, channels)


def _rating_burst(f: _Folder, rate: float) -> None:
    d = f.d
    bursts = -(-round(rate * len(f.r)) // BURST_SIZE)
    pool = f.done() & f.unrated()
    units = d.unit_code[pool].value_counts()
    units = units[units >= 3 * BURST_SIZE]
    if units.empty:
        return
    for unit in f.rng.choice(
        units.index.to_numpy(), size=bursts, p=(units / units.sum()).to_numpy()
    ):
        mask = pool & ~f.used & (d.unit_code == unit)
        index = np.flatnonzero(mask.to_numpy())
        index = index[np.argsort(d.finished_at.iloc[index].to_numpy(), kind="stable")]
        if len(index) < BURST_SIZE:
            continue
        first = int(f.rng.integers(0, len(index) - BURST_SIZE + 1))
        rows = np.sort(index[first : first + BURST_SIZE])
        start = d.finished_at.iloc[rows].max() + pd.Timedelta(
            int(f.rng.integers(1800, 4 * 3600)), "s"
        )
        steps = np.cumsum(f.rng.integers(5, 12, size=BURST_SIZE))
        at = pd.Series(start + pd.to_timedelta(steps, unit="s"))
        if at.max() >= f.stop:
            continue
        f.used[rows] = True
        _ratings(f, "rating_burst", rows, at, ["kiosk"] * BURST_SIZE)


def inject(
    folder: Path,
    rates: Mapping[str, float],
    *,
    seed: int,
    stop: datetime,
    calendar: HolidayCalendar | None = None,
) -> dict[str, int]:
    """Inject each pattern at its rate into a generated folder; write :data:`INJECTED_FILE`.

    ``stop`` is the instant the generation's events stop at (nothing injected happens at
    or after it).  Returns the number of records injected per pattern.
    """
    cal = calendar or HolidayCalendar.default()
    f = _Folder(folder, np.random.default_rng([seed, 18]), stop)
    steps = {
        "due_rush": lambda r: _due_rush(f, r),
        "rating_burst": lambda r: _rating_burst(f, r),
        "same_minute": lambda r: _same_minute(f, r),
        "due_beyond_limit": lambda r: _due_beyond_limit(f, r, cal),
        "off_hours_direct": lambda r: _off_hours_direct(f, r),
        "code_date": lambda r: _code_date(f, r),
        "out_of_order": lambda r: _out_of_order(f, r),
        "rating_unfinished": lambda r: _rating_unfinished(f, r),
    }
    for pattern in PATTERNS:
        if rates.get(pattern, 0) > 0:
            steps[pattern](rates[pattern])
    _write_parts(f.d, f.dossier_parts, f.sizes, "dossiers")
    ratings = pd.concat([f.r, *f.new_ratings], ignore_index=True).sort_values(
        ["rated_at", "dossier_code"], kind="stable", ignore_index=True
    )
    size = max(1, max((pq.ParquetFile(p).metadata.num_rows for p in f.rating_parts), default=1))
    for stale in f.rating_parts:
        stale.unlink()
    parts = [
        folder / "ratings" / f"part-{i:05d}.parquet" for i in range(-(-len(ratings) // size) or 1)
    ]
    _write_parts(ratings, parts, [size] * len(parts), "ratings")
    truth = pd.DataFrame(f.truth, columns=["rule", "unit_code", "dossier_code", "rated_at"])
    truth.to_csv(folder / INJECTED_FILE, index=False)
    return {p: int((truth.rule == p).sum()) for p in PATTERNS if p in rates}


def _write_parts(frame: pd.DataFrame, paths: list[Path], sizes: list[int], table: str) -> None:
    schema = arrow_schema(table)
    offset = 0
    for path, size in zip(paths, sizes, strict=True):
        chunk = frame.iloc[offset : offset + size]
        offset += size
        arrow = pa.Table.from_pandas(chunk, schema=schema, preserve_index=False)
        pq.write_table(arrow, path, compression="zstd")


def read_injected(folder: Path) -> pd.DataFrame:
    """The ground truth an injected folder carries (empty when none was injected)."""
    path = folder / INJECTED_FILE
    if not path.is_file():
        return pd.DataFrame(columns=["rule", "unit_code", "dossier_code", "rated_at"])
    return pd.read_csv(path, dtype=str, keep_default_na=False)
