"""Absent columns: which optional columns an export or the stored data lacks, what that
means (``chiso.domain.absence``) and which indicators of an index set it affects.

Shown by the import preview (CLI and site) and by ``chiso quality``, in Vietnamese, each
column named by the header its export would carry (the profile's first wording).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chiso.domain.absence import ABSENT, optional_columns
from chiso.domain.records import TABLES
from chiso.i18n import _
from chiso.ingest.layout import Layout
from chiso.ingest.profiles import HELPER_FIELDS, Profile, load_profile
from chiso.spec.canonical import IndexSet, Indicator
from chiso.spec.loader import load_index_set, shipped_ids
from chiso.spec.reads import indicators_reading

__all__ = [
    "AbsentColumn",
    "absence_reference",
    "absent_columns",
    "absent_from_layouts",
    "header_of",
]


@dataclass(frozen=True)
class AbsentColumn:
    """One optional column missing, its meaning and the indicators it affects."""

    table: str
    column: str
    header: str  # the Vietnamese header an export would carry
    meaning: str
    index_set: str
    indicators: tuple[tuple[str, str], ...]  # (code, label as printed)
    files: tuple[str, ...] = ()  # the files that lack it (import); empty: the stored data
    index_set_label: str = ""  # the index set's short label, as printed

    def as_json(self) -> dict[str, Any]:
        """JSON-ready form (the site keeps it with the import run)."""
        return {
            "table": self.table,
            "column": self.column,
            "header": self.header,
            "meaning": self.meaning,
            "index_set": self.index_set,
            "indicators": [{"code": c, "label": label} for c, label in self.indicators],
            "files": list(self.files),
        }

    def lines(self) -> list[str]:
        """Two lines for a terminal: the column by its header and its meaning, then the
        indicators it affects by their labels (the codes stay in :meth:`as_json`)."""
        where = _(" (missing in {files})").format(files=", ".join(self.files)) if self.files else ""
        head = f"“{self.header}”{where}: {self.meaning}."
        index_set = self.index_set_label or self.index_set
        if not self.indicators:
            return [head, _("Affects no indicator of {index_set}.").format(index_set=index_set)]
        shown = "; ".join(label for _code, label in self.indicators)
        return [
            head,
            _("Affects these indicators of {index_set}: {labels}.").format(
                index_set=index_set, labels=shown
            ),
        ]


def _label(indicator: Indicator) -> str:
    """A bare "Chỉ số 3" says little: such a label is printed with its group."""
    if indicator.label.startswith(("Chỉ số", "Tiêu chí")) and len(indicator.label) < 12:
        return f"{indicator.group_label} – {indicator.label}"
    return indicator.label


def header_of(table: str, column: str, profile: Profile | None = None) -> str:
    """The header an export of ``profile`` (default: the shared wordings) gives ``column``."""
    wordings = (profile or load_profile("chiso")).tables.get(table, {}).get(column)
    return wordings[0] if wordings else column


def absent_columns(
    table: str,
    columns: Iterable[str],
    index_set: IndexSet,
    *,
    profile: Profile | None = None,
    files: Mapping[str, tuple[str, ...]] | None = None,
) -> list[AbsentColumn]:
    """Describe the absent optional ``columns`` of ``table`` (in the table's order)."""
    wanted = set(columns)
    out = []
    for column in optional_columns(table):
        if column not in wanted:
            continue
        indicators = indicators_reading(index_set, table, column)
        out.append(
            AbsentColumn(
                table,
                column,
                header_of(table, column, profile),
                ABSENT[table][column],
                index_set.id,
                tuple((i.code, _label(i)) for i in indicators),
                (files or {}).get(column, ()),
                index_set.short_label or index_set.name,
            )
        )
    return out


def absent_from_layouts(
    table: str, layouts: Mapping[str, Layout], index_set: IndexSet
) -> list[AbsentColumn]:
    """The optional columns of ``table`` that one or more of the read files lack.

    ``files`` of each entry names the files that lack it when not every file does.
    """
    lacking: dict[str, list[str]] = {}
    for file, layout in layouts.items():
        mapped = set(layout.match.columns.values())
        mapped |= {HELPER_FIELDS[h] for h in mapped if h in HELPER_FIELDS}
        for column in optional_columns(table):
            if column not in mapped:
                lacking.setdefault(column, []).append(Path(file).name)
    everywhere = len(layouts)
    files = {c: tuple(fs) if len(fs) < everywhere else () for c, fs in lacking.items()}
    profile = next(iter(layouts.values())).profile if layouts else None
    return absent_columns(table, lacking, index_set, profile=profile, files=files)


def absence_reference() -> str:
    """The Markdown table of docs/data-model.md (``make docs``): every optional column, its
    export header, its meaning when absent and the indicators of each shipped index set
    that read it."""
    index_sets = [load_index_set(i) for i in shipped_ids()]
    lines = [
        "| table | column | header | when absent or empty | indicators affected |",
        "|---|---|---|---|---|",
    ]
    for table in TABLES:
        for column in optional_columns(table):
            affected = []
            for index_set in index_sets:
                codes = [i.code for i in indicators_reading(index_set, table, column)]
                if codes:
                    affected.append(f"{index_set.id}: {', '.join(f'`{c}`' for c in codes)}")
            header = header_of(table, column)
            shown = "" if header == column else header
            cells = [table, column, shown, ABSENT[table][column], "; ".join(affected) or "—"]
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"
