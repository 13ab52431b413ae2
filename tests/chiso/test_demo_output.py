"""What `chiso demo` prints: the ranking's summary counts only ranked units, and the unit it
explains is the last ranked one (never a unit without data, which has no class)."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from chiso.cli import cli


def test_the_demo_explains_the_weakest_ranked_unit(tmp_path: Path) -> None:
    out = CliRunner().invoke(cli, ["demo", "--dir", str(tmp_path / "demo"), "--dossiers", "4000"])
    assert out.exit_code == 0, out.output
    text = out.output
    assert "None" not in text
    summary = re.search(r"(\d+) đơn vị được xếp loại — (.*)", text)
    assert summary is not None, text[-2000:]
    counts = [int(n) for n in re.findall(r": (\d+)", summary.group(2).split(";")[0])]
    assert sum(counts) == int(summary.group(1))
    why = re.search(r"Vì sao (.+) xếp loại (Xuất sắc|Tốt|Khá|Trung bình|Yếu)\?", text)
    assert why is not None, text[-2000:]
