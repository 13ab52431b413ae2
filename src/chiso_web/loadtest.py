"""Load test on loopback: the ranking JSON under concurrent clients, then pushed dossiers.

``python -m chiso_web.loadtest --data DIR`` copies ``DIR`` (a canonical data folder, e.g.
``chiso generate --dossiers 1000000``) to a scratch folder, starts ``chiso serve`` on it in
a subprocess (waitress, the API flusher thread on), signs in once as the demo leader and

1. runs ``--clients`` threads, each with its own keep-alive connection, requesting
   ``/xep-hang.json`` for ``--seconds`` (optionally ``--think`` seconds between requests):
   p50/p95/p99 latency and requests per second;
2. pushes batches of ``--batch`` new dossiers on a fixed schedule of ``--rate`` dossiers
   per second for ``--push-seconds`` from ``--pushers`` threads, then waits until every
   pushed dossier is in the data folder (counted with DuckDB): accepted rate, the time
   until the last one was merged, and how many are missing (must be 0).

Results are printed and written as JSON (``--out``); docs/benchmarks.md records them.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from chiso.api import DEMO_NOW

NOW = DEMO_NOW.isoformat(timespec="minutes")
USER, PASSWORD = "lanhdao", "lanhdao-demo"


def free_port() -> int:
    """A loopback port nobody listens on now."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Timings:
    """Latencies (seconds) and failures of one phase."""

    latencies: list[float] = field(default_factory=list)
    failures: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, seconds: float, status: int | str) -> None:
        with self.lock:
            if status in (200, 202):
                self.latencies.append(seconds)
            else:
                self.failures[str(status)] = self.failures.get(str(status), 0) + 1

    def summary(self, elapsed: float) -> dict[str, Any]:
        ordered = sorted(self.latencies)

        def pct(p: float) -> float:
            return round(ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000, 1)

        return {
            "requests": len(ordered),
            "failures": self.failures,
            "per_second": round(len(ordered) / elapsed, 1),
            "p50_ms": pct(0.50) if ordered else None,
            "p95_ms": pct(0.95) if ordered else None,
            "p99_ms": pct(0.99) if ordered else None,
            "max_ms": round(ordered[-1] * 1000, 1) if ordered else None,
        }


class Site:
    """``chiso serve`` in a subprocess on a scratch copy of the data."""

    def __init__(self, data: Path, port: int, work: Path) -> None:
        self.port = port or free_port()
        self.data = work / "data"
        self.home = work / "home"
        shutil.copytree(data, self.data)
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("CHISO_")},
            "CHISO_DATA": str(self.data),
            "CHISO_HOME": str(self.home),
            "CHISO_NOW": NOW,
            "DJANGO_SETTINGS_MODULE": "chiso_web.settings",
        }
        self.process: subprocess.Popen[bytes] | None = None

    def manage(self, *args: str) -> str:
        out = subprocess.run(  # noqa: S603 - our own interpreter and arguments
            [sys.executable, "-m", "chiso_web", *args],
            env=self.env, check=True, capture_output=True, text=True,
        )  # fmt: skip
        return out.stdout.strip()

    def start(self) -> None:
        chiso = Path(sys.executable).with_name("chiso")
        command = [str(chiso), "serve", "--data", str(self.data), "--home", str(self.home)]
        command += ["--port", str(self.port), "--demo-accounts"]
        log = (self.home / "serve.log").open("wb")
        self.process = subprocess.Popen(  # noqa: S603 - the chiso script beside us
            command, env=self.env, stdout=log, stderr=log
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                status, _, _ = request(self.connection(), "GET", "/api/openapi.json")
                if status == 200:
                    return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"the site did not start; see {self.home / 'serve.log'}")

    def connection(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=60)


def request(
    conn: http.client.HTTPConnection,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], bytes]:
    conn.request(method, path, body=body, headers=headers or {})
    answer = conn.getresponse()
    return answer.status, dict(answer.getheaders()), answer.read()


def sign_in(site: Site) -> str:
    """A session cookie of the demo leader (one login: the site limits failed ones)."""
    conn = site.connection()
    _, headers, page = request(conn, "GET", "/dang-nhap/")
    csrf = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    cookie = re.search(r"csrftoken=([^;]+)", headers.get("Set-Cookie", ""))
    assert csrf and cookie, "no CSRF token on the sign-in page"
    form = f"username={USER}&password={PASSWORD}&csrfmiddlewaretoken={csrf.group(1).decode()}"
    status, headers, _ = request(
        conn, "POST", "/dang-nhap/", form.encode(),
        {"Content-Type": "application/x-www-form-urlencoded",
         "Cookie": f"csrftoken={cookie.group(1)}", "Referer": f"http://127.0.0.1:{site.port}/"},
    )  # fmt: skip
    session = re.search(r"sessionid=([^;]+)", headers.get("Set-Cookie", ""))
    assert status == 302 and session, f"sign-in failed ({status})"
    return f"sessionid={session.group(1)}"


def run_threads(count: int, work: Callable[[int], None]) -> float:
    threads = [threading.Thread(target=work, args=(i,)) for i in range(count)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - started


def ranking_phase(site: Site, cookie: str, clients: int, seconds: float, think: float) -> Any:
    """``clients`` keep-alive clients on ``/xep-hang.json`` for ``seconds``."""
    status, _, body = request(site.connection(), "GET", "/xep-hang.json", None, {"Cookie": cookie})
    assert status == 200, body[:300]
    units = len(json.loads(body)["units"])
    timings = Timings()
    deadline = time.perf_counter() + seconds

    def client(_worker: int) -> None:
        conn = site.connection()
        while time.perf_counter() < deadline:
            t0 = time.perf_counter()
            status: int | str
            try:
                status, _, _ = request(conn, "GET", "/xep-hang.json", None, {"Cookie": cookie})
            except OSError as exc:
                status, conn = type(exc).__name__, site.connection()
            timings.add(time.perf_counter() - t0, status)
            if think:
                time.sleep(think)

    elapsed = run_threads(clients, client)
    return {"clients": clients, "think_s": think, "units": units, **timings.summary(elapsed)}


WRK_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "errors": %d, "p50_us": %d, "p95_us": %d, '
    .. '"p99_us": %d, "max_us": %d}\\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
"""


def ranking_phase_wrk(site: Site, cookie: str, clients: int, seconds: float) -> Any:
    """The same load from wrk (C, event loop, two threads) instead of Python threads,
    which would take most of a core from the server on a two-core machine."""
    wrk = shutil.which("wrk")
    if wrk is None:
        raise SystemExit("wrk is not installed (Debian: apt-get install wrk)")
    status, _, body = request(site.connection(), "GET", "/xep-hang.json", None, {"Cookie": cookie})
    assert status == 200, body[:300]
    script = site.home / "ranking.lua"
    script.write_text(WRK_SCRIPT, encoding="utf-8")
    command = [wrk, "-t2", f"-c{clients}", f"-d{int(seconds)}s", "--timeout", "10s"]
    command += ["-H", f"Cookie: {cookie}", "-s", str(script)]
    command += [f"http://127.0.0.1:{site.port}/xep-hang.json"]
    out = subprocess.run(command, check=True, capture_output=True, text=True)  # noqa: S603
    found = json.loads(out.stdout.strip().splitlines()[-1])
    elapsed = found["duration_us"] / 1e6
    return {
        "driver": "wrk",
        "clients": clients,
        "units": len(json.loads(body)["units"]),
        "requests": found["requests"],
        "failures": found["errors"],
        "per_second": round(found["requests"] / elapsed, 1),
        **{f"{k}_ms": round(found[f"{k}_us"] / 1000, 1) for k in ("p50", "p95", "p99", "max")},
    }


def make_batches(data: Path, run: str, total: int, size: int) -> list[bytes]:
    """JSON bodies of ``total`` new, valid October dossiers of every commune."""
    con = duckdb.connect()
    units = [r[0] for r in con.execute(
        "SELECT unit_code FROM read_parquet(?) "
        "WHERE kind IN ('xa', 'phuong') AND valid_to IS NULL ORDER BY 1",
        [str(data / "units.parquet")]).fetchall()]  # fmt: skip
    procedures = [r[0] for r in con.execute(
        "SELECT procedure_code FROM read_parquet(?) WHERE level = 'xa' ORDER BY 1",
        [str(data / "procedures.parquet")]).fetchall()]  # fmt: skip
    con.close()
    bodies = []
    for start in range(0, total, size):
        batch = []
        for i in range(start, min(start + size, total)):
            day, hour = 1 + i % 27, 7 + i % 9
            batch.append({
                "dossier_code": f"{run}-{i:07d}", "unit_code": units[i % len(units)],
                "procedure_code": procedures[i % len(procedures)],
                "channel": ("online", "direct", "postal")[i % 3],
                "received_at": f"2026-10-{day:02d}T{hour:02d}:00:00",
                "due_at": f"2026-10-{day + 1:02d}T17:00:00",
                "finished_at": f"2026-10-{day + i % 2:02d}T16:00:00" if i % 4 else None,
                "status": "finished" if i % 4 else "processing",
                "fee_amount": (i % 5) * 10000, "synced": bool(i % 2),
            })  # fmt: skip
        bodies.append(json.dumps({"dossiers": batch}).encode())
    return bodies


def push_phase(site: Site, token: str, args: argparse.Namespace) -> Any:
    """Push on a fixed schedule, then wait until the data holds every pushed dossier."""
    run = f"LOAD{int(time.time())}"
    total = int(args.rate * args.push_seconds)
    bodies = make_batches(site.data, run, total, args.batch)
    timings = Timings()
    lock, cursor = threading.Lock(), [0]
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    t0 = time.perf_counter() + 0.5

    def pusher(_worker: int) -> None:
        conn = site.connection()
        while True:
            with lock:
                index = cursor[0]
                cursor[0] += 1
            if index >= len(bodies):
                return
            time.sleep(max(0.0, t0 + index * args.batch / args.rate - time.perf_counter()))
            start = time.perf_counter()
            code, _, body = request(conn, "POST", "/api/v1/dossiers", bodies[index], headers)
            timings.add(time.perf_counter() - start, code)
            if code != 202:
                sys.stderr.write(f"push {index}: {code} {body[:300]!r}\n")

    run_threads(args.pushers, pusher)
    pushed_end = time.perf_counter()
    accepted = len(timings.latencies) * args.batch
    merged, merged_at = wait_merged(site.data, run, accepted, timeout=args.merge_timeout)
    return {
        "batch": args.batch,
        "target_per_second": args.rate,
        "pushed": total,
        "accepted": accepted,
        "accepted_per_second": round(accepted / (pushed_end - t0), 1),
        "batch_latency": timings.summary(pushed_end - t0),
        "in_data": merged,
        "missing": total - merged,
        "merged_per_second": round(merged / (merged_at - t0), 1),
        "last_merged_after_push_s": round(merged_at - pushed_end, 2),
    }


def wait_merged(data: Path, run: str, expected: int, *, timeout: float) -> tuple[int, float]:
    """How many ``run`` dossiers the data holds once all are in (or at the timeout)."""
    deadline = time.perf_counter() + timeout
    found = 0
    while True:
        try:
            con = duckdb.connect()
            row = con.execute(
                "SELECT count(*) FROM read_parquet(?) WHERE starts_with(dossier_code, ?)",
                [str(data / "dossiers" / "*.parquet"), f"{run}-"],
            ).fetchone()
            con.close()
            found = int(row[0]) if row else 0
        except duckdb.Error:  # a part replaced while we read: look again
            found = -1
        if found >= expected or time.perf_counter() > deadline:
            return max(found, 0), time.perf_counter()
        time.sleep(0.2)


def main(argv: list[str] | None = None) -> None:
    """Run both phases and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--think", type=float, default=0.0)
    parser.add_argument("--rate", type=float, default=1000)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--pushers", type=int, default=4)
    parser.add_argument("--push-seconds", type=float, default=60)
    parser.add_argument("--merge-timeout", type=float, default=180)
    parser.add_argument("--skip-ranking", action="store_true")
    parser.add_argument("--skip-push", action="store_true")
    parser.add_argument(
        "--driver", choices=("python", "wrk"), default="python",
        help="ranking load from Python threads or from wrk",
    )  # fmt: skip
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="chiso-load-"))
    site = Site(args.data, args.port, work)
    try:
        site.manage("migrate", "--verbosity", "0")
        token = site.manage("create_api_token", "--name", "loadtest")
        site.start()
        report: dict[str, Any] = {"data": str(args.data)}
        if not args.skip_ranking:
            cookie = sign_in(site)
            if args.driver == "wrk":
                report["ranking"] = ranking_phase_wrk(site, cookie, args.clients, args.seconds)
            else:
                report["ranking"] = ranking_phase(
                    site, cookie, args.clients, args.seconds, args.think
                )
            sys.stdout.write(json.dumps(report["ranking"]) + "\n")
        if not args.skip_push:
            report["push"] = push_phase(site, token, args)
            sys.stdout.write(json.dumps(report["push"]) + "\n")
        if args.out:
            args.out.write_text(json.dumps(report, indent=2), encoding="utf-8")
    finally:
        site.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
