"""A Spark standalone cluster on loopback: one master and N workers, started and stopped.

``chiso spark-cluster start|stop|status [--dir DIR]`` runs the JVMs of
the Spark that the ``pyspark`` wheel ships (``pyspark/bin/spark-class``, its ``jars/``);
nothing is downloaded.  Every daemon listens on 127.0.0.1 only (``SPARK_LOCAL_IP``, the
``--host`` of each daemon) on free ports; logs, work folders and the cluster's state file
(``cluster.json``: master URL, web UI, process ids) live under ``--dir``
(``.chiso-spark/`` by default).  ``start`` returns when the master's JSON status reports
every worker ``ALIVE`` and prints the master URL to give the engine::

    export CHISO_SPARK_MASTER=spark://127.0.0.1:PORT

``stop`` ends exactly the processes it started (each process id is checked against its
command line first), workers before the master, then waits for them to exit.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path

from chiso.errors import BackendError, UserError
from chiso.i18n import _

__all__ = [
    "Cluster",
    "alive_workers",
    "cluster_status",
    "running_pids",
    "spark_home",
    "start_cluster",
    "stop_cluster",
]

HOST = "127.0.0.1"
DEFAULT_DIR = Path(".chiso-spark")
STATE_FILE = "cluster.json"
_ATTEMPTS = 3  # fresh ports each time
_MASTER_CLASS = "org.apache.spark.deploy.master.Master"
_WORKER_CLASS = "org.apache.spark.deploy.worker.Worker"


@dataclass(frozen=True)
class Cluster:
    """A running cluster as ``cluster.json`` records it."""

    folder: str
    master_url: str
    ui_url: str
    master_pid: int
    worker_pids: tuple[int, ...]
    worker_memory: str
    worker_cores: int

    @property
    def pids(self) -> tuple[int, ...]:
        """Every daemon, workers first."""
        return (*self.worker_pids, self.master_pid)


def spark_home() -> Path:
    """The Spark distribution inside the installed ``pyspark`` wheel."""
    try:
        import pyspark
    except ImportError as exc:
        raise UserError(
            _("PySpark is not installed"), hint=_("install it with `pip install .[spark]`")
        ) from exc
    home = Path(pyspark.__file__).parent
    if not (home / "bin" / "spark-class").exists() or not (home / "jars").is_dir():
        raise BackendError(f"no bin/spark-class and jars/ in the pyspark package at {home}")
    return home


def free_port() -> int:
    """A TCP port free on loopback now (the kernel's choice)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def _env(folder: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        SPARK_HOME=str(spark_home()),
        SPARK_LOCAL_IP=HOST,  # every service and web UI binds to loopback only
        SPARK_LOG_DIR=str(folder / "logs"),
        SPARK_PID_DIR=str(folder),
        SPARK_CONF_DIR=str(folder / "conf"),  # none of the user's spark-env.sh
        SPARK_NO_DAEMONIZE="1",
        # a port taken between free_port() and the bind ends the daemon (then `start`
        # tries again on new ports) instead of moving it to port + 1, where neither the
        # workers nor the status poll would look
        SPARK_MASTER_OPTS="-Dspark.port.maxRetries=0",
        SPARK_WORKER_OPTS="-Dspark.port.maxRetries=0",
    )
    env.pop("SPARK_MASTER_HOST", None)
    return env


def _spawn(folder: Path, name: str, args: list[str]) -> subprocess.Popen[bytes]:
    log = (folder / "logs" / f"{name}.log").open("ab")
    # spark-class ends with `exec java …`: the pid is the JVM's
    process = subprocess.Popen(  # noqa: S603 - the wheel's spark-class, our arguments
        [str(spark_home() / "bin" / "spark-class"), *args],
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        env=_env(folder),
        cwd=folder,
        start_new_session=True,  # outlives `start`; not hit by the terminal's Ctrl+C
    )
    log.close()
    return process


def _master_status(ui_url: str, timeout: float = 2.0) -> dict[str, object] | None:
    try:
        url = f"{ui_url}/json/"  # http://127.0.0.1:PORT, built by start_cluster
        with urllib.request.urlopen(url, timeout=timeout) as answer:  # noqa: S310
            status: dict[str, object] = json.load(answer)
            return status
    except (OSError, urllib.error.URLError, ValueError):
        return None


def alive_workers(cluster: Cluster) -> int:
    """Workers the master reports ``ALIVE`` now (0 when the master does not answer)."""
    return _alive(_master_status(cluster.ui_url))


def _alive(status: dict[str, object] | None) -> int:
    if not status:
        return 0
    workers = status.get("workers", [])
    assert isinstance(workers, list)
    return sum(1 for w in workers if isinstance(w, dict) and w.get("state") == "ALIVE")


def start_cluster(
    folder: Path = DEFAULT_DIR,
    *,
    workers: int = 1,
    worker_memory: str = "2g",
    worker_cores: int = 1,
    timeout: float = 180.0,
) -> Cluster:
    """Start a master and ``workers`` workers; return once all are alive.

    Raises:
        UserError: a cluster recorded in ``folder`` is still running, or bad arguments.
        BackendError: the daemons did not come up within ``timeout`` seconds (they are
            stopped; the message ends with the tail of each daemon's log).

    A daemon that exits before the workers are alive (most often: a port chosen by
    :func:`free_port` was taken before the JVM bound it) ends the attempt; up to
    ``_ATTEMPTS`` attempts run on fresh ports within ``timeout``.
    """
    if workers < 1 or worker_cores < 1:
        raise UserError(_("at least one worker and one CPU core per worker are needed"))
    folder = folder.resolve()
    running = cluster_status(folder)
    if running is not None and running_pids(running):
        raise UserError(
            _("the Spark cluster in {folder} is running ({url})").format(
                folder=folder, url=running.master_url
            ),
            hint=_("stop it first: chiso spark-cluster stop --dir {folder}").format(folder=folder),
        )
    for sub in ("logs", "work", "conf"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + timeout
    for attempt in range(1, _ATTEMPTS + 1):
        cluster, processes = _launch(folder, workers, worker_memory, worker_cores)
        while time.monotonic() < deadline:
            if _alive(_master_status(cluster.ui_url)) >= workers:
                return cluster
            if any(p.poll() is not None for p in processes):
                break  # a daemon exited: most often a port taken since free_port() chose it
            time.sleep(0.5)
        stop_cluster(folder)
        if time.monotonic() >= deadline or attempt == _ATTEMPTS:
            break
    raise BackendError(
        f"the Spark cluster did not start: {workers} worker(s) not alive at {cluster.ui_url}"
        f" after {attempt} attempt(s)\n{_log_tails(folder)}",
        hint=f"see the daemons' logs in {folder / 'logs'}; Spark needs Java 17 on PATH",
    )


def _launch(
    folder: Path, workers: int, worker_memory: str, worker_cores: int
) -> tuple[Cluster, list[subprocess.Popen[bytes]]]:
    """Spawn a master and its workers on ports free now; record them in ``cluster.json``."""
    port, ui_port = free_port(), free_port()
    master_url, ui_url = f"spark://{HOST}:{port}", f"http://{HOST}:{ui_port}"
    master_args = ["--host", HOST, "--port", str(port), "--webui-port", str(ui_port)]
    processes = [_spawn(folder, "master", [_MASTER_CLASS, *master_args])]
    for k in range(workers):
        args = [
            _WORKER_CLASS, "--host", HOST, "--port", str(free_port()),
            "--webui-port", str(free_port()), "--cores", str(worker_cores),
            "--memory", worker_memory, "--work-dir", str(folder / "work" / f"worker-{k}"),
            master_url,
        ]  # fmt: skip
        processes.append(_spawn(folder, f"worker-{k}", args))
    cluster = Cluster(
        str(folder), master_url, ui_url, processes[0].pid,
        tuple(p.pid for p in processes[1:]), worker_memory, worker_cores,
    )  # fmt: skip
    (folder / STATE_FILE).write_text(json.dumps(asdict(cluster), indent=2) + "\n")
    return cluster, processes


def _log_tails(folder: Path, lines: int = 8) -> str:
    """The last lines of every daemon's log, to read in the error without opening files."""
    tails = []
    for log in sorted((folder / "logs").glob("*.log")):
        text = log.read_text(errors="replace").splitlines()[-lines:]
        tails.append(f"--- {log.name}\n" + "\n".join(text))
    return "\n".join(tails)


def cluster_status(folder: Path = DEFAULT_DIR) -> Cluster | None:
    """The cluster recorded in ``folder`` (running or not), or ``None``."""
    path = folder.resolve() / STATE_FILE
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text())
        data["worker_pids"] = tuple(data["worker_pids"])
        return Cluster(**data)
    except (ValueError, TypeError, KeyError):
        raise UserError(
            _("{path}: cannot read the state of the Spark cluster").format(path=path),
            hint=_(
                "chiso spark-cluster start writes this file; delete it if no cluster is running"
            ),
        ) from None


def _ours(pid: int, cluster: Cluster) -> bool:
    """The process ``pid`` is a daemon of this cluster (not a recycled pid)."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    except OSError:
        return False
    return (_MASTER_CLASS in cmdline or _WORKER_CLASS in cmdline) and (
        cluster.master_url.rsplit(":", 1)[1] in cmdline
    )


def running_pids(cluster: Cluster) -> list[int]:
    alive = []
    for pid in cluster.pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        if state != "Z" and _ours(pid, cluster):
            alive.append(pid)
    return alive


def stop_cluster(folder: Path = DEFAULT_DIR, *, timeout: float = 30.0) -> list[int]:
    """Stop the daemons recorded in ``folder`` (TERM, then KILL after ``timeout``).

    Returns the process ids that were running.
    """
    cluster = cluster_status(folder)
    if cluster is None:
        return []
    running = running_pids(cluster)
    for group in (list(cluster.worker_pids), [cluster.master_pid]):
        pids = [p for p in group if p in running]
        for pid in pids:
            os.kill(pid, signal.SIGTERM)
        _wait_gone(pids, cluster, timeout)
    for pid in cluster.pids:  # reap our own children (when started in this process)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)
    (folder.resolve() / STATE_FILE).unlink(missing_ok=True)
    return running


def _wait_gone(pids: list[int], cluster: Cluster, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for pid in pids:  # reap children of this process so that they do not linger as zombies
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, os.WNOHANG)
        if not [p for p in running_pids(cluster) if p in pids]:
            return
        time.sleep(0.2)
    for pid in running_pids(cluster):
        if pid in pids:
            os.kill(pid, signal.SIGKILL)
