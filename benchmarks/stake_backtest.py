"""Backtest of the points at stake (docs/web.md, "Points at stake"): the stake as the
site computes it, early, mid and late in past months, against the stake at the month's end.

.venv/bin/python benchmarks/stake_backtest.py --out /tmp/stakebench --seeds 2026

A province is generated (``chiso.synth``, with the forecast backtest's lateness drift) and
cut (``chiso.storage.cut.as_it_stood``) at 12:00 of day 2, 10 and 20 of each month, and
3 days before it begins (the month judged from its first instant, as the site does); on the
cut each unit with a dossier it can still save due in the month gets its stake both ways
(``method="as_of"``: the month as it stands; ``"month_end"``: the forecast's draws).

**Actual stake** of a unit at a cut: on the whole data, the month as it ended, for each of
the unit's dossiers that were at stake at the cut (received before it, unfinished at it,
due from it to the month's end, at most one supplement request; for a cut before the
month, at the month's first instant), the unit's score with
that dossier finished at its due time (result not digitised) minus its score with it
still open at the month's end (late), every other record as it really ended; the mean
over those dossiers. Reported per cut day: the median absolute error of each method, how
many times the actual stake the median estimate is, and the share of unit pairs ordered
alike by the estimate and the actual stake (pairs tied in either left out).
"""

from __future__ import annotations

import argparse
import itertools
import shutil
import statistics
import time
from dataclasses import replace
from datetime import date, datetime, timedelta
from fractions import Fraction
from pathlib import Path

from chiso.bench_forecast import drift
from chiso.domain.periods import Period
from chiso.engine.forecast_rows import contributions
from chiso.engine.goalseek import basis_score, what_if
from chiso.engine.runner import Level, select_units
from chiso.engine.stake import AS_OF, DRAWS, LEVER, MONTH_END, stakes
from chiso.spec.canonical import IndexSet
from chiso.spec.loader import load_index_set
from chiso.storage.cut import as_it_stood
from chiso.storage.store import Store, open_folder
from chiso.storage.unitdata import tree_of
from chiso.synth.generator import generate

AT_STAKE = (
    "received_at < as_of and (finished_at is null or finished_at >= as_of)"
    " and due_at is not null and due_at >= as_of and due_at >= period_start"
    " and due_at < period_end"
    " and coalesce(supplement_count, 0) <= 1"
)
#: On time (finished at its due time, result not digitised), late (open at the end).
STATES = (
    {"finished_at": "due_at", "result_digitized": "false"},
    {"finished_at": "no_time", "result_digitized": "false"},
)


def actual(
    whole: Store, index_set: IndexSet, period: Period, codes: list[str]
) -> dict[str, Fraction]:
    """Each unit's actual stake at ``period.as_of`` (the module docstring)."""
    rows = contributions(whole, index_set, period, codes, AT_STAKE, STATES, new=False)
    over = replace(period, as_of=period.end)
    units = [u for u in select_units(tree_of(whole), Level("all"), over) if u.unit_code in rows]
    out = {}
    for model in what_if(whole, index_set, over, units, [LEVER]):
        found = rows[model.unit.unit_code]
        seen: dict[tuple[int, ...], Fraction] = {}
        diffs = []
        for r in range(len(found.received)):
            key = (*found.values[0, r].tolist(), *found.values[1, r].tolist())
            if key not in seen:
                scores = []
                for s in (0, 1):
                    pairs = zip(found.keys, found.values[s, r], strict=True)
                    moved = {k: int(v) for k, v in pairs if v}
                    scores.append(basis_score(index_set, model.result({}, extra=moved)) or 0)
                seen[key] = Fraction(scores[0]) - Fraction(scores[1])
            diffs.append(seen[key])
        out[model.unit.unit_code] = sum(diffs, Fraction(0)) / len(diffs)
    return out


def concordance(a: dict[str, float], b: dict[str, float]) -> float:
    """The share of pairs ordered alike by ``a`` and ``b`` (ties left out)."""
    same = total = 0
    for x, y in itertools.combinations(sorted(a), 2):
        da, db = a[x] - a[y], b[x] - b[y]
        if abs(da) < 1e-9 or abs(db) < 1e-9:
            continue
        total += 1
        same += (da > 0) == (db > 0)
    return same / total if total else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--dossiers", type=int, default=40_000)
    parser.add_argument("--seeds", default="2026")
    parser.add_argument("--months", default="6,7,8,9")
    parser.add_argument(
        "--days", default="2,10,20,-3", help="cut days; -3: 3 days before the month begins"
    )
    parser.add_argument("--index-set", default="dienbien-459-2023")
    parser.add_argument("--draws", type=int, default=DRAWS)
    args = parser.parse_args()
    index_set = load_index_set(args.index_set)
    months = [int(m) for m in args.months.split(",")]
    days = [int(d) for d in args.days.split(",")]
    found: dict[int, dict[str, list[float]]] = {d: {} for d in days}
    for seed in (int(s) for s in args.seeds.split(",")):
        root = args.out / f"seed-{seed}"
        shutil.rmtree(root, ignore_errors=True)
        generate(root, dossiers=args.dossiers, start=date(2026, 1, 1),
                 end=date(2026, max(months) + 1, 1), seed=seed)  # fmt: skip
        drift(root, seed)
        whole = open_folder(root, "duckdb")
        for month, day in itertools.product(months, days):
            start_of = datetime(2026, month, 1)
            at = (
                start_of.replace(day=day, hour=12)
                if day > 0
                else start_of + timedelta(days=day, hours=12)
            )
            # as the site judges it: a month not yet begun from its first instant
            period = Period.of_month(2026, month, now=max(at, start_of))
            store = as_it_stood(whole, at)
            units = select_units(tree_of(store), Level("all"), period)
            start = time.perf_counter()
            old = stakes(store, index_set, period, units, method=AS_OF)
            t_old = time.perf_counter() - start
            start = time.perf_counter()
            new = stakes(
                store, index_set, period, units, method=MONTH_END, seed=seed, draws=args.draws
            )
            t_new = time.perf_counter() - start
            codes = [c for c, s in old.items() if s.points]
            truth = actual(whole, index_set, period, codes)
            codes = [c for c in codes if c in truth]
            t = {c: float(truth[c]) for c in codes}
            o = {c: float(old[c].points) for c in codes}
            n = {c: float(new[c].points) for c in codes}
            row = found[day]
            row.setdefault("err_old", []).extend(abs(o[c] - t[c]) for c in codes)
            row.setdefault("err_new", []).extend(abs(n[c] - t[c]) for c in codes)
            row.setdefault("ratio_old", []).extend(o[c] / t[c] for c in codes if t[c] > 0)
            row.setdefault("ratio_new", []).extend(n[c] / t[c] for c in codes if t[c] > 0)
            row.setdefault("conc_old", []).append(concordance(o, t))
            row.setdefault("conc_new", []).append(concordance(n, t))
            row.setdefault("secs_old", []).append(t_old)
            row.setdefault("secs_new", []).append(t_new)
            print(f"seed {seed} {day:02d}/{month:02d}: {len(codes)} units,"
                  f" median |error| as_of {statistics.median(abs(o[c] - t[c]) for c in codes):.3f}"
                  f" month_end {statistics.median(abs(n[c] - t[c]) for c in codes):.3f},"
                  f" pairs alike {concordance(o, t):.0%} / {concordance(n, t):.0%},"
                  f" {t_old:.1f} s / {t_new:.1f} s", flush=True)  # fmt: skip
    print_table(found)


HEAD = (
    "| ngày cắt | đơn vị·tháng | sai số trung vị: hiện tại | cuối tháng"
    " | ước / thực (trung vị): hiện tại | cuối tháng"
    " | cặp cùng thứ tự: hiện tại | cuối tháng | giây: hiện tại / cuối tháng |"
)


def print_table(found: dict[int, dict[str, list[float]]]) -> None:
    """The figures per cut day, as docs/web.md shows them."""
    med, mean = statistics.median, statistics.mean
    print(HEAD)
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for day, row in found.items():
        cells = [
            str(day), str(len(row["err_old"])), f"{med(row['err_old']):.3f}",
            f"{med(row['err_new']):.3f}", f"{med(row['ratio_old']):.2f}×",
            f"{med(row['ratio_new']):.2f}×", f"{mean(row['conc_old']):.0%}",
            f"{mean(row['conc_new']):.0%}",
            f"{mean(row['secs_old']):.1f} / {mean(row['secs_new']):.1f}",
        ]  # fmt: skip
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
