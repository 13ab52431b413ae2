"""Backtest of ``chiso forecast`` (the same as ``chiso bench --forecast``; docs/forecast.md).

.venv/bin/python benchmarks/forecast_backtest.py --out /tmp/backtest --seeds 2026,7
"""

from __future__ import annotations

import argparse
from pathlib import Path

from chiso.bench_forecast import backtest, print_backtest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--dossiers", type=int, default=40_000)
    parser.add_argument("--seeds", default="2026")
    parser.add_argument("--index-set", default="dienbien-459-2023")
    args = parser.parse_args()
    seeds = [int(s) for s in args.seeds.split(",")]
    print_backtest(
        backtest(args.out, dossiers=args.dossiers, seeds=seeds, index_ref=args.index_set)
    )


if __name__ == "__main__":
    main()
