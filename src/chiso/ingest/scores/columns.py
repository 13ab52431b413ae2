"""Which printed column holds which indicator: by header words and maxima.

An annex prints a two-level header: a group ("Nhóm cung cấp DVTT", "Số hóa hs",
"Tiến độ, KQ giải quyết (30đ)") over its indicators ("Chỉ số 1 (10đ)"), under a
top cell "ĐIỂM CÁC CHỈ SỐ" (or "… TIÊU CHÍ") that spans them.  A column maps to
the index-set group whose label shares the most words with the printed group
(abbreviations expanded, diacritics ignored), then to the group's n-th indicator,
and its printed maximum must equal the indicator's.  OCR headers too broken for
words are mapped by their sequence of maxima alone, when exactly one run of
indicators has it.

Examples:
    >>> from chiso.spec.loader import load_index_set
    >>> s = load_index_set("dienbien-459-2023")
    >>> map_maxima([Decimal(30), Decimal(10), Decimal(10)], s)
    ('tien_do', 'dvtt_cs1', 'dvtt_cs2')
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from chiso.domain.unit_names import fold_diacritics
from chiso.errors import UserError
from chiso.i18n import _
from chiso.spec.canonical import Group, IndexSet, Indicator

__all__ = ["ColumnMap", "map_columns", "map_maxima", "maxima_in", "words"]

_ABBREVIATIONS = {
    "dvtt": "dich vu truc tuyen",
    "dvc": "dich vu cong",
    "dvctt": "dich vu cong truc tuyen",
    "kq": "ket qua",
    "hs": "ho so",
    "tthc": "thu tuc hanh chinh",
    "ck": "cong khai",
    "tttt": "thanh toan truc tuyen",
}
_STOP = {"nhom", "chi", "diem", "d", "cac", "va", "cua", "tieu"}
#: "(5đ)", "(10 điểm)", "(30 diém)" — a printed maximum.
_MAX = re.compile(r"\((\d+(?:[.,]\d+)?)\s*(?:đ|d|điểm|diem|di\w*m)\s*\)", re.IGNORECASE)
#: How a score report prints an indicator's position ("Chỉ số 1"): a word of the
#: Vietnamese documents read, not a message (the hint quotes it to match the report).
INDICATOR_WORD = "Chỉ số"
#: "Chỉ số 2", "Chisé2", "Tiêu chí 3" — the indicator's position in its group.
_POSITION = re.compile(r"(?:chi\s*s\w{0,2}|tieu\s*chi)\s*(\d+)")


def words(text: str) -> set[str]:
    """Comparison words: folded, lower-case, abbreviations expanded, filler removed.

    >>> sorted(words("Nhóm cung cấp DVTT"))
    ['cap', 'cung', 'dich', 'truc', 'tuyen', 'vu']
    """
    out: set[str] = set()
    for word in re.findall(r"[a-z]+", fold_diacritics(text).lower()):
        out |= set(_ABBREVIATIONS.get(word, word).split())
    return out - _STOP


def maxima_in(text: str) -> list[Decimal]:
    """Every printed maximum in ``text``, in order."""
    return [Decimal(m.replace(",", ".")) for m in _MAX.findall(text)]


def _position(text: str) -> int | None:
    match = _POSITION.search(fold_diacritics(text).lower())
    return int(match.group(1)) if match else None


@dataclass(frozen=True)
class ColumnMap:
    """Where a score table keeps its unit names, indicators, total, converted score, class."""

    name: int
    indicators: tuple[tuple[int, str], ...]
    labels: tuple[tuple[str, str], ...]
    total: int | None
    converted: int | None
    grade: int | None

    def label(self, code: str) -> str:
        """The printed header of indicator ``code``."""
        return dict(self.labels).get(code, code)


def _group(printed: str, index_set: IndexSet) -> Group | None:
    if len(index_set.groups) == 1:
        return index_set.groups[0]
    have = words(printed)
    scored = []
    for group in index_set.groups:
        label = words(group.label) | {w for i in group.indicators for w in words(i.label)}
        label -= {"so"}
        overlap = len(have & words(group.label)) / max(len(words(group.label)), 1)
        scored.append((overlap, len(have & label), group))
    scored.sort(key=lambda t: (t[0], t[1]), reverse=True)
    if not scored or scored[0][0] == 0:
        return None
    if len(scored) > 1 and scored[1][:2] == scored[0][:2]:
        return None
    return scored[0][2]


def _indicator(group_text: str, own_text: str, index_set: IndexSet, where: str) -> Indicator:
    printed = f"{group_text} {own_text}".strip()
    group = _group(group_text or own_text, index_set)
    if group is None:
        raise UserError(
            _('{where}: column "{printed}" matches no group of {id}').format(
                where=where, printed=printed, id=index_set.id
            ),
            hint=_("groups: {names}").format(names="; ".join(g.label for g in index_set.groups)),
        )
    position = _position(own_text) if own_text else None
    if position is None and len(group.indicators) == 1:
        position = 1
    if position is None or not 1 <= position <= len(group.indicators):
        raise UserError(
            _('{where}: column "{printed}" names no indicator of group "{label}"').format(
                where=where, printed=printed, label=group.label
            ),
            hint=_("print the indicator as {label} 1…{count}").format(
                label=INDICATOR_WORD, count=len(group.indicators)
            ),
        )
    ind = group.indicators[position - 1]
    maxima = maxima_in(own_text) or maxima_in(group_text)
    if maxima and maxima[-1] != ind.max:
        raise UserError(
            _(
                '{where}: column "{printed}" prints maximum {maxima}, but {code} ({label}, '
                "{label2}) has maximum {max}"
            ).format(
                where=where,
                printed=printed,
                maxima=maxima[-1],
                code=ind.code,
                label=group.label,
                label2=ind.label,
                max=ind.max,
            ),
            hint=_("check the index set (--index-set) or the header of the table"),
        )
    return ind


def _fill(row: Sequence[str], cols: range) -> dict[int, str]:
    out, last = {}, ""
    for c in cols:
        last = row[c] if c < len(row) and row[c] else last
        out[c] = last
    return out


def _region(top: Sequence[str], name: int) -> range:
    """Columns under the top cell "ĐIỂM CÁC CHỈ SỐ / TIÊU CHÍ" (or between name and total)."""
    folded = [fold_diacritics(c).lower() for c in top]
    start = next((c for c, t in enumerate(folded) if "diem cac" in t), None)
    if start is not None:
        return range(start, next((c for c in range(start + 1, len(top)) if top[c]), len(top)))
    tail = ("tong", "xep loai", "quy doi", "dat duoc")
    end = next(
        (c for c in range(name + 1, len(top)) if any(w in folded[c] for w in tail)), len(top)
    )
    return range(name + 1, end)


def _tail(top: Sequence[str], after: int) -> tuple[int | None, int | None, int | None]:
    total = converted = grade = None
    for c in range(after, len(top)):
        text = fold_diacritics(top[c]).lower()
        if "quy doi" in text:
            converted = c
        elif "xep loai" in text:
            grade = c
        elif ("tong" in text or "dat duoc" in text) and total is None:
            total = c
    return total, converted, grade


def map_columns(header: Sequence[Sequence[str]], index_set: IndexSet, *, where: str) -> ColumnMap:
    """Map a grid header (first row with "STT", then the group and indicator rows).

    Raises:
        UserError: a column matches no group, no indicator, or prints another maximum.
    """
    top = list(header[0])
    width = max(len(r) for r in header)
    top += [""] * (width - len(top))
    name = next(
        (
            c
            for c, t in enumerate(top)
            if re.search(r"\b(ten|don vi)\b", fold_diacritics(t).lower())
        ),
        1,
    )
    cols = _region(top, name)
    groups = [_fill(r, cols) for r in header[1:-1]]
    last = header[-1] if len(header) > 1 else []
    indicators, labels = [], []
    for c in cols:
        group_text = " ".join(g[c] for g in groups).strip()
        own = last[c] if c < len(last) else ""
        if not group_text and not own:
            continue
        ind = _indicator(group_text, own, index_set, where)
        indicators.append((c, ind.code))
        labels.append((ind.code, f"{group_text} {own}".strip()))
    codes = [code for _, code in indicators]
    if len(set(codes)) != len(codes):
        raise UserError(
            _("{where}: two columns map to the same indicator: {codes}").format(
                where=where, codes=codes
            )
        )
    total, converted, grade = _tail(top, cols.stop)
    return ColumnMap(name, tuple(indicators), tuple(labels), total, converted, grade)


def map_maxima(maxima: Sequence[Decimal], index_set: IndexSet) -> tuple[str, ...]:
    """Indicator codes of the one contiguous run (in index-set order) with these maxima.

    Raises:
        UserError: no run or several runs have these maxima.
    """
    inds = index_set.indicators
    n = len(maxima)
    runs = [
        tuple(i.code for i in inds[s : s + n])
        for s in range(len(inds) - n + 1)
        if [i.max for i in inds[s : s + n]] == list(maxima)
    ]
    if len(runs) != 1:
        raise UserError(
            _("the printed maxima {maxima} fit {runs} run(s) of indicators of {id}").format(
                maxima=", ".join(str(m) for m in maxima),
                runs=0 if not runs else len(runs),
                id=index_set.id,
            ),
            hint=_("the header is unreadable: give a cleaner copy of the table"),
        )
    return runs[0]
