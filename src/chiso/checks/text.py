"""The report's narrative as items (paragraphs or bullets) and the names they list.

OCR text wraps a bullet over several lines (seed 001), so a line continues the
previous item unless it starts a bullet ("-", "+", a heading "3.") or the item
ended a sentence.  Statements are matched on a folded copy of the text (no
diacritics, lower case, same length) so that positions map back to the printed
text; names are resolved in the report's scope.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from chiso.domain.unit_names import fold_diacritics
from chiso.ingest.scores.document import Line
from chiso.ingest.scores.names import NameResolver, Resolution

__all__ = ["Item", "folded", "items", "list_names"]

_BULLET = re.compile(r"^\s*(?:#+\s*)?(?:[-+•*]|ot\s|\d+(?:\.\d+)*\.\s)")
_COUNT_TAIL = re.compile(r"\s+\d+\s+h\S{0,2}\s+s\S{0,2}\b.*$")  # "… 02 hồ sơ thuộc lĩnh vực …"
_INDICATOR_TAIL = re.compile(r"\s*-\s*chi\s*s\S{0,2}\s*\d\b.*$")  # "… - Chỉ số 1."


def folded(text: str) -> str:
    """Lower-case text without diacritics, character for character.

    >>> folded("Xếp loại Khá: Không")
    'xep loai kha: khong'
    """
    return "".join((fold_diacritics(c)[:1] or c).lower()[:1] or c for c in text)


@dataclass(frozen=True)
class Item:
    """A paragraph or bullet of the narrative, with its first line's location."""

    where: str
    text: str

    @property
    def key(self) -> str:
        """The folded text (same length as ``text``)."""
        return folded(self.text)


def items(lines: Sequence[Line]) -> list[Item]:
    """Join wrapped lines into paragraphs and bullets."""
    out: list[Item] = []
    for line in lines:
        text = re.sub(r"^#+\s*", "", line.text)
        if out and not _BULLET.match(line.text) and out[-1].text[-1:] not in ".:;!?)":
            out[-1] = Item(out[-1].where, f"{out[-1].text} {text}")
        else:
            out.append(Item(line.where, text))
    return out


def _clean(piece: str) -> str:
    piece = piece.rsplit(":", 1)[-1]
    piece = _INDICATOR_TAIL.sub("", folded_cut(piece, _COUNT_TAIL))
    return piece.strip(" .'\"‘’“”()")


def _pieces(text: str, resolver: NameResolver) -> Iterator[tuple[str, Resolution | None]]:
    """The list's pieces and what each resolves to.  Names are separated by ";" or ",";
    a ";"-separated piece that is one unit's name is taken whole, so a name holding a
    comma ("Sở Văn hóa, Thể thao và Du lịch") is not cut; counts in brackets after a name
    ("UBND xã A (01 hồ sơ thuộc lĩnh vực chứng thực, 02 hồ sơ …)") are left out."""
    text = re.sub(r"\(\s*\d[^()]*\)?", "", text)
    for part in text.split(";"):
        whole = _clean(part)
        hit = resolver.try_resolve(whole) if whole else None
        if hit is not None:
            yield whole, hit
            continue
        for piece in (_clean(p) for p in part.split(",")):
            if piece:
                yield piece, resolver.try_resolve(piece)


def folded_cut(text: str, pattern: re.Pattern[str]) -> str:
    """``text`` cut where ``pattern`` matches its folded copy."""
    match = pattern.search(folded(text))
    return text[: match.start()] if match else text


def list_names(text: str, resolver: NameResolver) -> tuple[list[Resolution], list[str]]:
    """Units named in a list ("UBND xã A; UBND xã B", "A, B 02 hồ sơ …"), and unknown names.

    Pieces that resolve to no unit are returned as unknown when they look like a unit
    name (start with "UBND" or a unit-type word), and ignored otherwise.
    """
    found, unknown = [], []
    for piece, hit in _pieces(text, resolver):
        if hit is not None:
            found.append(hit)
        elif re.match(r"(ubnd|xa|phuong|thi tran)\b", folded(piece)):
            unknown.append(piece)
    return found, unknown
