"""``chiso spark-cluster``: a Spark standalone cluster on 127.0.0.1 (``docs/benchmarks.md``)."""

from __future__ import annotations

from pathlib import Path

import click

from chiso.api import _, ngettext
from chiso.cli.common import ChisoGroup

__all__ = ["spark_cluster"]

_DIR = click.option(
    "--dir",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path(".chiso-spark"),
    show_default=True,
    help="folder of the daemons' logs, work folders and cluster.json",
)


@click.group("spark-cluster", cls=ChisoGroup)
def spark_cluster() -> None:
    """Start, stop or inspect a Spark standalone cluster on 127.0.0.1 (Spark of the pyspark
    wheel); point the engine at it with CHISO_SPARK_MASTER."""


@spark_cluster.command("start")
@_DIR
@click.option("--workers", default=1, show_default=True, type=int, help="number of workers")
@click.option("--worker-memory", default="2g", show_default=True, help="memory of each worker")
@click.option("--worker-cores", default=1, show_default=True, type=int, help="cores per worker")
def start(folder: Path, workers: int, worker_memory: str, worker_cores: int) -> None:
    """Start a master and WORKERS workers; return when every worker is alive."""
    from chiso.api import start_cluster

    c = start_cluster(
        folder, workers=workers, worker_memory=worker_memory, worker_cores=worker_cores
    )
    click.echo(
        ngettext(
            "Spark cluster running: {count} worker, web UI {url}",
            "Spark cluster running: {count} workers, web UI {url}",
            len(c.worker_pids),
        ).format(count=len(c.worker_pids), url=c.ui_url)
    )
    click.echo(f"export CHISO_SPARK_MASTER={c.master_url}")


@spark_cluster.command("stop")
@_DIR
def stop(folder: Path) -> None:
    """Stop the daemons this folder's cluster started (workers, then the master)."""
    from chiso.api import stop_cluster

    stopped = stop_cluster(folder)
    click.echo(
        ngettext(
            "Stopped {count} Spark process.", "Stopped {count} Spark processes.", len(stopped)
        ).format(count=len(stopped))
        if stopped
        else _("No cluster is running.")
    )


@spark_cluster.command("status")
@_DIR
def status(folder: Path) -> None:
    """Print the master URL and the live workers; exit 1 when nothing runs."""
    from chiso.api import alive_workers, cluster_status, running_pids

    c = cluster_status(folder)
    if c is None or not running_pids(c):
        click.echo(_("No Spark cluster is running in {folder}.").format(folder=folder))
        raise SystemExit(1)
    alive = alive_workers(c)
    click.echo(
        _("{master}: {alive}/{count} workers alive, {url}").format(
            master=c.master_url, alive=alive, count=len(c.worker_pids), url=c.ui_url
        )
    )
