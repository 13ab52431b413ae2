"""A data folder gives the same scores however the user typed its path.

The CLI is run in a subprocess from a working directory, as a user runs it: relative
paths, ``./``, ``..``, a symlinked folder, spaces and Vietnamese letters.  The first
score of a fresh folder builds the stored cubes (the crash of issue #12 happened there),
the second reads them.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from chiso.synth.generator import generate

CHISO = str(Path(sys.executable).parent / "chiso")  # the console script users run


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("paths") / "data"
    generate(out, dossiers=1500, start=date(2026, 9, 1), end=date(2026, 11, 1), seed=5)
    return out


def _score(cwd: Path, data: str) -> list[object]:
    done = subprocess.run(
        [CHISO, "score", "--data", data, "--period", "2026-10", "--format", "json"],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "CHISO_NOW": "2026-11-15T09:00"},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout)
    return [(u["unit_code"], u["converted_exact"], u["rank"]) for u in payload["units"]]


@pytest.mark.parametrize(
    ("layout", "typed"),
    [
        ("data", "data"),
        ("data", "./data"),
        ("thư mục có dấu cách/dữ liệu", "thư mục có dấu cách/dữ liệu"),
        ("sub/data", "sub/../sub/data"),
        ("link", "link"),
    ],
)
def test_every_typed_form_of_a_folder_scores_the_same(
    generated: Path, tmp_path: Path, layout: str, typed: str
) -> None:
    expected = _score(tmp_path, str(generated))
    target = tmp_path / ("real" if layout == "link" else layout)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(generated, target, ignore=shutil.ignore_patterns(".chiso-cache"))
    if layout == "link":
        (tmp_path / "link").symlink_to(target, target_is_directory=True)
    first = _score(tmp_path, typed)  # builds the stored cubes
    second = _score(tmp_path, typed)  # reads them
    assert first == expected
    assert second == expected


def test_a_folder_above_the_working_directory(generated: Path, tmp_path: Path) -> None:
    shutil.copytree(generated, tmp_path / "data", ignore=shutil.ignore_patterns(".chiso-cache"))
    (tmp_path / "work").mkdir()
    assert _score(tmp_path / "work", "../data") == _score(tmp_path, str(generated))
