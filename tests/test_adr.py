"""The architecture decision records (docs/adr/) keep their shape and their index."""

from __future__ import annotations

import re
from pathlib import Path

ADR = Path(__file__).resolve().parent.parent / "docs" / "adr"
SECTIONS = ("## Context", "## Decision", "## Consequences")


def records() -> list[Path]:
    return sorted(ADR.glob("[0-9][0-9][0-9][0-9]-*.md"))


def test_records_are_numbered_from_0001_without_gaps() -> None:
    numbers = [int(path.name[:4]) for path in records()]
    assert numbers[:5] == [1, 2, 3, 4, 5]
    assert numbers == list(range(1, len(numbers) + 1)), f"gaps or repeats: {numbers}"


def test_every_record_has_a_title_a_status_and_the_three_sections_in_order() -> None:
    problems = []
    for path in records():
        text = path.read_text(encoding="utf-8")
        if not text.startswith(f"# {path.name[:4]}. "):
            problems.append(f"{path.name}: title must start with '# {path.name[:4]}. '")
        if not re.search(r"^- Status: (proposed|accepted|superseded|deprecated)", text, re.M):
            problems.append(f"{path.name}: no '- Status:' line")
        places = [text.find(section + "\n") for section in SECTIONS]
        if -1 in places or places != sorted(places):
            problems.append(f"{path.name}: needs {', '.join(SECTIONS)} in that order")
    assert not problems, problems


def test_the_index_lists_every_record() -> None:
    index = (ADR / "README.md").read_text(encoding="utf-8")
    missing = [path.name for path in records() if f"]({path.name})" not in index]
    assert not missing, f"add to docs/adr/README.md: {missing}"
