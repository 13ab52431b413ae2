"""Print the mutation score of the last `make mutate` and fail below the target.

    .venv/bin/python scripts/mutation_score.py            # reads mutants/mutmut-cicd-stats.json
    .venv/bin/python scripts/mutation_score.py --target 90

A mutant counts as killed when a test failed on it or its tests ran past mutmut's timeout
(an endless loop is caught too); every other mutant (survived, no test ran it, suspicious)
counts against the score.  docs/testing.md records the score and why each survivor stays.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stats", nargs="?", default="mutants/mutmut-cicd-stats.json")
    parser.add_argument("--target", type=float, default=90.0, help="lowest score in percent")
    args = parser.parse_args(argv)
    stats = json.loads(Path(args.stats).read_text(encoding="utf-8"))
    total = stats["total"]
    killed = stats["killed"] + stats["timeout"]
    score = 100 * killed / total if total else 0.0
    print(
        f"mutation score: {killed} of {total} mutants killed ({score:.1f} %; target"
        f" {args.target:g} %); survived {stats['survived']}, no tests {stats['no_tests']},"
        f" timeout {stats['timeout']}, suspicious {stats['suspicious']}"
    )
    return 0 if score >= args.target else 1


if __name__ == "__main__":
    sys.exit(main())
