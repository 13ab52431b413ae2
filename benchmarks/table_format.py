"""Delta Lake (the ``deltalake`` package) measured against chiso's data folder (ADR 0007).

One run, on this machine, of the same work on both table formats of the dossiers table:

* **kill** — a writer process killed (SIGKILL) at ``--kills`` moments spread over
  (a) an import of ``--kill-rows`` new dossiers, (b) a compaction of 20 parts, (c) two
  writers importing at once (one of them killed); after each kill the table must hold
  exactly the old or the new rows (count and checksum), be readable, and take the next
  write;
* **speed** — an import of ``--rows`` dossiers into an empty table, a live update of 1,000
  dossiers into it, a compaction of 20 parts, and a grouped query (unit × month) read by
  DuckDB; chiso's own full-year score of the folder as a reference;
* **spark** — what the venv's PySpark reads from a Delta table without the delta-spark jars
  (no Maven access): the raw folder as Parquet, before and after a compaction and a vacuum;
* **versions** — time travel (and ``vacuum(keep_versions=…)``) and the conflict detection
  between two writers.

.venv/bin/python benchmarks/table_format.py --out /tmp/table-format
.venv/bin/python benchmarks/table_format.py --out /tmp/table-format --rows 1000000 \
    --kill-rows 500000
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from deltalake import DeltaTable, write_deltalake

from chiso.storage.compaction import CompactPolicy, compact_table
from chiso.storage.journal import recover
from chiso.storage.store import table_files
from chiso.storage.targets import FolderTarget, Staged

MB = 1 << 20
TABLE = "dossiers"
State = tuple[int, int]  # rows, checksum

# ---------------------------------------------------------------- the two formats


def chiso_import(folder: Path, incoming: Path) -> None:
    """chiso's import: merge by key, all or nothing through the journal."""
    FolderTarget(folder).apply_all([Staged(TABLE, incoming)], dry_run=False)


def chiso_compact(folder: Path, *_: Path) -> None:
    compact_table(folder, TABLE, policy=CompactPolicy(small_bytes=1024 * MB))


def chiso_files(folder: Path) -> list[str]:
    recover(folder)  # what every reader and writer of a folder does first
    found = table_files(folder, TABLE)
    return [str(p) for p in found[1]] if found else []


def delta_import(path: Path, incoming: Path) -> None:
    """The same merge by key on Delta (an upsert on ``dossier_code``)."""
    source = pq.read_table(incoming)
    if not DeltaTable.is_deltatable(str(path)):
        write_deltalake(str(path), source)
        return
    _merge(DeltaTable(str(path)), source)


def delta_append(path: Path, incoming: Path) -> None:
    """A blind append (no key check): Delta's cheapest write."""
    write_deltalake(str(path), pq.read_table(incoming), mode="append")


def delta_compact(path: Path, *_: Path) -> None:
    DeltaTable(str(path)).optimize.compact()


def delta_files(path: Path) -> list[str]:
    return [u.removeprefix("file://") for u in DeltaTable(str(path)).file_uris()]


OPS: dict[str, Callable[..., None]] = {
    "chiso-import": chiso_import,
    "chiso-compact": chiso_compact,
    "delta-import": delta_import,
    "delta-append": delta_append,
    "delta-compact": delta_compact,
}
FILES = {"chiso": chiso_files, "delta": delta_files}


def state(kind: str, where: Path) -> State:
    files = FILES[kind](where)
    if not files:
        return (0, 0)
    return checksum(files)


def checksum(files: list[str]) -> State:
    with duckdb.connect() as con:
        row = con.execute(
            "SELECT count(*),"
            " coalesce(sum(hash(dossier_code, status, received_at, finished_at)), 0)"
            f" FROM read_parquet({files!r})"
        ).fetchone()
    assert row is not None
    return int(row[0]), int(row[1])


def leftovers(kind: str, where: Path) -> int:
    """Files in the table's folder that are not part of its current version."""
    live = {os.path.realpath(f) for f in FILES[kind](where)}
    root = where / TABLE if kind == "chiso" else where
    found = [p for p in root.rglob("*") if p.is_file() and "_delta_log" not in p.parts]
    if kind == "chiso":
        found += [p for p in where.iterdir() if p.name.startswith(".chiso-")]
    return sum(1 for p in found if os.path.realpath(p) not in live)


# ---------------------------------------------------------------- data


def batch(source: pa.Table, rows: int, prefix: str) -> pa.Table:
    """``rows`` dossiers copied from ``source`` under new codes ``<prefix>-<n>``."""
    copies = -(-rows // source.num_rows)
    table = pa.concat_tables([source] * copies).slice(0, rows)
    codes = pa.array([f"{prefix}-{n}" for n in range(rows)])
    return table.set_column(table.schema.get_field_index("dossier_code"), "dossier_code", codes)


def write(table: pa.Table, path: Path) -> Path:
    pq.write_table(table, path)
    return path


def chiso_parts(folder: Path, parts: list[pa.Table]) -> None:
    """A chunked table as the generator writes it: one Parquet file per part."""
    (folder / TABLE).mkdir(parents=True)
    for n, part in enumerate(parts):
        pq.write_table(part, folder / TABLE / f"part-{n:05d}.parquet")


def delta_parts(path: Path, parts: list[pa.Table]) -> None:
    for part in parts:
        write_deltalake(str(path), part, mode="append")


# ---------------------------------------------------------------- kill tests


def child(op: str, *args: Path) -> subprocess.Popen[bytes]:
    """A writer process; it prints one line once imported, just before it writes."""
    command = [sys.executable, __file__, "--child", op, *map(str, args)]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def ready(process: subprocess.Popen[bytes]) -> None:
    assert process.stdout is not None
    process.stdout.readline()


def run_child(op: str, *args: Path) -> float:
    """Seconds the write took (from the child's line to its end; imports left out)."""
    process = child(op, *args)
    ready(process)
    start = time.perf_counter()
    _, err = process.communicate()
    if process.returncode:
        raise RuntimeError(f"{op} failed: {err.decode()[-2000:]}")
    return time.perf_counter() - start


def kill_trials(
    kind: str,
    pristine: Path,
    work: Path,
    ops: list[tuple[str, Path]],
    kills: int,
    next_batch: Path,
    span: float = 1.2,
) -> dict[str, Any]:
    """Kill the first of ``ops`` (run at once, each in its own process) at ``kills``
    moments spread over ``span`` times its uninterrupted write (more than 1: the machine's
    load varies, and the moments after the commit count too); the others run to their
    end.  Expected: any subset of the writes, each whole."""
    old = state(kind, pristine)
    ends: dict[frozenset[int], State] = {}
    for subset in range(1 << len(ops)):  # every combination of completed writes
        chosen = frozenset(i for i in range(len(ops)) if subset >> i & 1)
        shutil.rmtree(work, ignore_errors=True)
        shutil.copytree(pristine, work)
        for i in sorted(chosen):
            run_child(ops[i][0], work, ops[i][1])
        ends[chosen] = state(kind, work)
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(pristine, work)
    duration = sum(run_child(op, work, arg) for op, arg in ops[:1])
    outcomes: dict[str, int] = {}
    leftover_max = 0
    others_failed = 0
    for n in range(kills):
        shutil.rmtree(work, ignore_errors=True)
        shutil.copytree(pristine, work)
        processes = [child(op, work, arg) for op, arg in ops]
        for process in processes:
            ready(process)
        time.sleep(span * duration * (n + 0.5) / kills)
        processes[0].send_signal(signal.SIGKILL)
        codes = [p.communicate() and p.returncode for p in processes]
        others_failed += sum(1 for c in codes[1:] if c != 0)
        leftover_max = max(leftover_max, leftovers(kind, work))
        try:
            now = state(kind, work)
        except Exception as exc:
            label = f"unreadable: {type(exc).__name__}"
            outcomes[label] = outcomes.get(label, 0) + 1
            continue
        label = next(
            (
                "old" if not chosen else "+".join(f"w{i}" for i in sorted(chosen))
                for chosen, end in ends.items()
                if end == now
            ),
            "MIXED",
        )
        if codes[0] != -signal.SIGKILL:
            label += " (finished before the kill)"
        try:
            OPS[f"{kind}-import"](work, next_batch)
            grew = state(kind, work)[0] - now[0]
            label += ", next write ok" if grew == pq.read_metadata(next_batch).num_rows else ""
        except Exception as exc:
            label += f", next write failed: {type(exc).__name__}"
        outcomes[label] = outcomes.get(label, 0) + 1
    shutil.rmtree(work, ignore_errors=True)
    return {
        "uninterrupted_s": round(duration, 2),
        "old_rows": old[0],
        "outcomes": outcomes,
        "leftover_files_max": leftover_max,
        "other_writer_failed": others_failed,
    }


def kill_tests(root: Path, source: pa.Table, args: argparse.Namespace) -> dict[str, Any]:
    kill_rows, kills, span = args.kill_rows, args.kills, args.kill_span
    data = root / "kill"
    data.mkdir()
    base = batch(source, max(kill_rows // 5, 1000), "base")
    big = write(batch(source, kill_rows, "big"), data / "big.parquet")
    one = write(batch(source, kill_rows // 4, "w1"), data / "w1.parquet")
    two = write(batch(source, kill_rows // 4, "w2"), data / "w2.parquet")
    nxt = write(batch(source, 1000, "next"), data / "next.parquet")
    parts = [base.slice(i * base.num_rows // 20, base.num_rows // 20) for i in range(20)]
    results: dict[str, Any] = {}
    for kind in ("chiso", "delta"):
        fill = chiso_parts if kind == "chiso" else delta_parts
        fill(data / f"{kind}-single", [base])
        fill(data / f"{kind}-many", parts)
    for scenario in args.scenarios.split(","):
        for kind in args.kinds.split(","):
            single, many = data / f"{kind}-single", data / f"{kind}-many"
            work = data / f"{kind}-work"
            if scenario == "import":
                op = f"{kind}-import" if kind == "chiso" else "delta-append"
                found = kill_trials(kind, single, work, [(op, big)], kills, nxt, span)
            elif scenario == "compact":
                ops = [(f"{kind}-compact", many)]
                found = kill_trials(kind, many, work, ops, kills, nxt, span)
            else:
                pair = [(f"{kind}-import", one), (f"{kind}-import", two)]
                found = kill_trials(kind, single, work, pair, kills, nxt, span)
            results[f"{kind} {scenario}"] = found
            print(kind, scenario, found, flush=True)
    return results


# ---------------------------------------------------------------- speed

GROUPED = """
SELECT unit_code, date_trunc('month', received_at) AS month, count(*) AS received,
       count(*) FILTER (WHERE finished_at IS NOT NULL) AS finished,
       count(*) FILTER (WHERE finished_at <= due_at) AS on_time,
       count(*) FILTER (WHERE components_digitized) AS digitized
FROM {source} GROUP BY ALL ORDER BY ALL
"""


def timed(func: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = func()
    return round(time.perf_counter() - start, 3), result


def speed(root: Path, generated: Path, source: pa.Table) -> dict[str, Any]:
    data = root / "speed"
    data.mkdir()
    full = write(source, data / "full.parquet")
    live = write(batch(source, 1000, "live"), data / "live.parquet")
    extra = write(batch(source, 1000, "extra"), data / "extra.parquet")
    empty = data / "chiso-empty"
    delta = data / "delta"
    out: dict[str, Any] = {"rows": source.num_rows}
    out["import s"] = {
        "chiso": timed(lambda: chiso_import(empty, full))[0],
        "delta merge": timed(lambda: delta_import(delta, full))[0],
    }
    # The live update goes to the folder as `chiso generate` and the site keep it: the
    # dossiers chunked in parts under dossiers/ (an import into an empty folder writes one
    # dossiers.parquet, which every later import rewrites whole).
    folder = data / "chiso"
    shutil.copytree(generated, folder, ignore=shutil.ignore_patterns(".chiso-*"))
    appended = data / "delta-appended"
    out["import s"]["delta append"] = timed(lambda: delta_append(appended, full))[0]
    out["live 1k s"] = {
        "chiso": timed(lambda: chiso_import(folder, live))[0],
        "delta merge": timed(lambda: delta_import(delta, live))[0],
        "delta append": timed(lambda: delta_append(appended, extra))[0],
    }
    assert state("chiso", folder) == state("delta", delta)
    queries: dict[str, Callable[[], Any]] = {
        "chiso folder (parts)": lambda: _query(f"read_parquet({chiso_files(folder)!r})"),
        "delta file list": lambda: _query(f"read_parquet({delta_files(delta)!r})"),
        "delta arrow dataset": lambda: _dataset_query(delta),
    }
    answers = {}
    out["grouped query s"] = {}
    for name, query in queries.items():
        seconds, answers[name] = timed(query)
        out["grouped query s"][name] = seconds
    out["same answers"] = len({json.dumps(a, default=str) for a in answers.values()}) == 1
    out["chiso score year s"] = timed(lambda: _chiso_score(folder))[0]
    parts = [source.slice(i * source.num_rows // 20, source.num_rows // 20) for i in range(20)]
    many_c, many_d = data / "chiso-many", data / "delta-many"
    chiso_parts(many_c, parts)
    delta_parts(many_d, parts)
    out["compact 20 parts s"] = {
        "chiso": timed(lambda: chiso_compact(many_c))[0],
        "delta optimize": timed(lambda: delta_compact(many_d))[0],
        "delta vacuum": timed(
            lambda: DeltaTable(str(many_d)).vacuum(
                retention_hours=0, enforce_retention_duration=False, dry_run=False
            )
        )[0],
    }
    out["disk MB"] = {"chiso": _mb(folder / TABLE), "delta": _mb(delta)}
    out["chiso live 1k, one file s"] = timed(lambda: chiso_import(empty, extra))[0]
    return out


def _query(source: str) -> Any:
    with duckdb.connect() as con:
        return con.execute(GROUPED.format(source=source)).fetchall()


def _dataset_query(path: Path) -> Any:
    with duckdb.connect() as con:
        con.register("dossiers", DeltaTable(str(path)).to_pyarrow_dataset())
        return con.execute(GROUPED.format(source="dossiers")).fetchall()


def _chiso_score(folder: Path) -> Any:
    from chiso.domain.periods import months_of
    from chiso.engine.runner import Level, score
    from chiso.spec.loader import load_index_set
    from chiso.storage.store import open_folder

    periods = months_of(2026)
    index_set = load_index_set("dienbien-459-2023")
    return score(open_folder(folder, cubes=False), index_set, periods, level=Level("all"))


def _mb(path: Path) -> float:
    return round(sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / MB, 1)


# ---------------------------------------------------------------- spark, versions


def spark_reads(root: Path, source: pa.Table) -> dict[str, Any]:
    from pyspark.sql import SparkSession

    path = root / "spark-delta"
    sample = source.slice(0, min(source.num_rows, 100_000))
    parts = [sample.slice(i * sample.num_rows // 10, sample.num_rows // 10) for i in range(10)]
    delta_parts(path, parts)
    table = DeltaTable(str(path))
    table.delete("status = 'processing'")
    truth = state("delta", path)[0]
    spark: Any = (
        SparkSession.builder.master("local[1]")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    out: dict[str, Any] = {"true rows": truth}
    try:
        try:
            spark.read.format("delta").load(str(path)).count()
            out["format delta"] = "read"
        except Exception as exc:
            lines = [x for x in str(exc).splitlines() if "delta" in x.lower()] or [str(exc)]
            out["format delta"] = f"{type(exc).__name__}: {lines[0][:200]}"

        def raw() -> int:
            spark.catalog.refreshByPath(str(path))  # no file listing kept from a read before
            return int(spark.read.parquet(str(path)).count())

        out["raw parquet after delete"] = raw()
        DeltaTable(str(path)).optimize.compact()
        out["raw parquet after optimize"] = raw()
        out["delta version, files after optimize"] = [
            DeltaTable(str(path)).version(),
            len(delta_files(path)),
        ]
        listed = [f"file://{f}" for f in delta_files(path)]
        out["file list after optimize"] = int(spark.read.parquet(*listed).count())
        DeltaTable(str(path)).vacuum(
            retention_hours=0, enforce_retention_duration=False, dry_run=False
        )
        out["raw parquet after vacuum"] = raw()
    finally:
        spark.stop()
    return out


def versions(root: Path, source: pa.Table) -> dict[str, Any]:
    path = root / "versions"
    small = batch(source, 1000, "v")
    write_deltalake(str(path), small)  # version 0: "published"
    published = state("delta", path)
    DeltaTable(str(path)).delete("dossier_code IN ('v-1', 'v-2')")  # version 1
    DeltaTable(str(path)).optimize.compact()  # version 2
    out: dict[str, Any] = {"current": DeltaTable(str(path)).version()}
    out["v0 equals published"] = _state_at(path, 0) == published
    DeltaTable(str(path)).vacuum(
        retention_hours=0, enforce_retention_duration=False, dry_run=False, keep_versions=[0]
    )
    out["v0 after vacuum keep_versions=[0]"] = _state_at(path, 0) == published
    DeltaTable(str(path)).vacuum(retention_hours=0, enforce_retention_duration=False, dry_run=False)
    try:
        out["v0 after plain vacuum"] = _state_at(path, 0) == published
    except Exception as exc:
        out["v0 after plain vacuum"] = f"{type(exc).__name__}: {str(exc)[:120]}"
    out["conflicts"] = _conflicts(path, small)
    return out


def _state_at(path: Path, version: int) -> State:
    table = DeltaTable(str(path), version=version)
    files = [u.removeprefix("file://") for u in table.file_uris()]
    return checksum(files)


def _conflicts(path: Path, small: pa.Table) -> dict[str, str]:
    """Two writers that loaded the same version, then both commit (the second is stale)."""
    out: dict[str, str] = {}
    cases: dict[str, tuple[Callable[[DeltaTable], Any], Callable[[DeltaTable], Any]]] = {
        "delete vs delete of one row": (
            lambda t: t.delete("dossier_code = 'v-900'"),
            lambda t: t.delete("dossier_code = 'v-900'"),
        ),
        "update vs update of one row": (
            lambda t: t.update(updates={"status": "'a'"}, predicate="dossier_code = 'v-901'"),
            lambda t: t.update(updates={"status": "'b'"}, predicate="dossier_code = 'v-901'"),
        ),
        "merge vs merge of new keys": (
            lambda t: _merge(t, batch(small, 10, "m1")),
            lambda t: _merge(t, batch(small, 10, "m2")),
        ),
        "append vs append": (
            lambda t: write_deltalake(t, batch(small, 10, "a1"), mode="append"),
            lambda t: write_deltalake(t, batch(small, 10, "a2"), mode="append"),
        ),
        "merge vs append": (
            lambda t: write_deltalake(t, batch(small, 10, "b1"), mode="append"),
            lambda t: _merge(t, batch(small, 10, "b2")),
        ),
    }
    for name, (first, second) in cases.items():
        a, b = DeltaTable(str(path)), DeltaTable(str(path))
        first(a)
        try:
            second(b)
            out[name] = f"both committed (rows now {state('delta', path)[0]})"
        except Exception as exc:
            out[name] = f"second refused: {type(exc).__name__}: {str(exc)[:140]}"
    return out


def _merge(table: DeltaTable, rows: pa.Table) -> Any:
    return (
        table.merge(rows, "t.dossier_code = s.dossier_code", source_alias="s", target_alias="t")
        .when_matched_update_all()
        .when_not_matched_insert_all()
        .execute()
    )


# ---------------------------------------------------------------- main


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        print("writing", flush=True)
        OPS[sys.argv[2]](*map(Path, sys.argv[3:]))
        return
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="a scratch folder (emptied)")
    parser.add_argument("--rows", type=int, default=100_000, help="dossiers of the speed run")
    parser.add_argument("--kill-rows", type=int, default=50_000, help="rows of the killed import")
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--kill-span", type=float, default=1.2, help="kills over this × a write")
    parser.add_argument("--scenarios", default="import,compact,two writers")
    parser.add_argument("--kinds", default="chiso,delta")
    parser.add_argument("--skip", default="", help="comma-separated: kill,speed,spark,versions")
    args = parser.parse_args()
    skip = set(args.skip.split(","))
    shutil.rmtree(args.out, ignore_errors=True)
    args.out.mkdir(parents=True)
    from chiso.synth.generator import generate

    generated = args.out / "generated"
    generate(generated, dossiers=args.rows, start=date(2026, 1, 1), end=date(2027, 1, 1), seed=7)
    source = pq.read_table(generated / TABLE)
    source = source.sort_by("dossier_code").filter(pc.is_valid(source["dossier_code"]))
    results: dict[str, Any] = {}
    steps: dict[str, Callable[[], Any]] = {
        "versions": lambda: versions(args.out, source),
        "spark": lambda: spark_reads(args.out, source),
        "speed": lambda: speed(args.out, generated, source),
        "kill": lambda: kill_tests(args.out, source, args),
    }
    for name, step in steps.items():
        if name in skip:
            continue
        results[name] = step()
        print(json.dumps({name: results[name]}, indent=1, ensure_ascii=False), flush=True)
    (args.out / "results.json").write_text(json.dumps(results, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
