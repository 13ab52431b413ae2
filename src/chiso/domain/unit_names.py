"""Normalising Vietnamese unit names for exact and diacritic-insensitive comparison.

Reports spell the same unit in several ways: "Hòa"/"Hoà" (old vs new tone
placement), "UBND Thị trấn"/"UBND thị trấn", "Sở Lao động, TB và XH", OCR text
without diacritics. These helpers turn a name into comparison keys; which key
may resolve a name is decided by :meth:`chiso.domain.units.UnitTree.resolve`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["TYPE_KINDS", "NameQuery", "fold_diacritics", "name_keys", "normalise_name"]

_TONES = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng
# Old style puts the tone on the first vowel of oa/oe/uy ("hòa", "ủy"), new style on the
# second ("hoà", "uỷ"). On decomposed text move it after the second vowel: "o`a" → "oa`".
_TONE_PLACEMENT = re.compile(f"(o)([{_TONES}])([ae])|(u)([{_TONES}])(y)")
# Separators that vary between reports: "Lao động - Thương binh" vs "Lao động, Thương binh".
_PUNCT = re.compile(r"[\s,;:.()\-\u2013\u2014/]+")
# Leading "UBND", "Ủy ban nhân dân" (after normalisation "uỷ …") or the OCR form.
_ADMIN_PREFIX = re.compile(r"^(?:ubnd|uỷ ban nhân dân|uy ban nhan dan)\s+")
_ABBREVIATIONS = {"tp": "thành phố", "tx": "thị xã", "tt": "thị trấn", "p": "phường"}

#: Unit-type words that may lead a name, with the ``UnitKind`` values they denote.
TYPE_KINDS: dict[str, frozenset[str]] = {
    "thị trấn": frozenset({"thi_tran"}),
    "thị xã": frozenset({"huyen"}),
    "thành phố": frozenset({"huyen"}),
    "phường": frozenset({"phuong"}),
    "huyện": frozenset({"huyen"}),
    "tỉnh": frozenset({"tinh"}),
    "phòng": frozenset({"phong"}),
    "sở": frozenset({"so"}),
    "xã": frozenset({"xa"}),
    "đặc khu": frozenset({"dac_khu"}),
}


def _move_tone(m: re.Match[str]) -> str:
    if m[1]:
        return m[1] + m[3] + m[2]
    return m[4] + m[6] + m[5]


def normalise_name(s: str) -> str:
    """Normalise a unit name for exact comparison.

    NFC, casefold, punctuation (``, ; : . ( ) - – /``) and runs of whitespace become
    one space, and the tone of ``oa``/``oe``/``uy`` sits on the second vowel whatever
    the input style.

    Examples:
        >>> normalise_name("  UBND  Xã Tỏa   Tình ") == normalise_name("ubnd xã toả tình")
        True
        >>> normalise_name("Sở Lao động, TB và XH")
        'sở lao động tb và xh'
    """
    text = unicodedata.normalize("NFD", unicodedata.normalize("NFC", s).casefold())
    text = _TONE_PLACEMENT.sub(_move_tone, text)
    return _PUNCT.sub(" ", unicodedata.normalize("NFC", text)).strip()


def fold_diacritics(s: str) -> str:
    """Strip every combining mark and map đ/Đ to d/D; case is kept.

    Examples:
        >>> fold_diacritics("Mường Thanh, Điện Biên Phủ")
        'Muong Thanh, Dien Bien Phu'
    """
    text = unicodedata.normalize("NFD", s.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in text if not unicodedata.combining(c))


_FOLDED_TYPES = {fold_diacritics(w): w for w in TYPE_KINDS}


def _full_key(s: str) -> str:
    """Normalised name without "UBND", unit-type abbreviations (TP, TX, TT, P.) expanded."""
    key = _ADMIN_PREFIX.sub("", normalise_name(s))
    first, _, rest = key.partition(" ")
    if first in _ABBREVIATIONS and rest:
        key = f"{_ABBREVIATIONS[first]} {rest}"
    return key


def _split_type(key: str, types: Iterable[str]) -> tuple[str | None, str]:
    for word in types:
        if key.startswith(word + " "):
            return word, key[len(word) + 1 :]
    return None, key


def name_keys(name: str) -> frozenset[str]:
    """Exact keys a stored name or alias is indexed under: whole, and type word stripped.

    Examples:
        >>> sorted(name_keys("UBND Thị trấn Mường Ảng"))
        ['mường ảng', 'thị trấn mường ảng']
    """
    full = _full_key(name)
    return frozenset({full, _split_type(full, TYPE_KINDS)[1]})


@dataclass(frozen=True)
class NameQuery:
    """A name as typed, split into lookup keys.

    Attributes:
        keys: normalised keys, whole and without the unit-type word.
        folded_keys: the same without diacritics; an unaccented type word ("xa",
            "phuong") is stripped too.
        kinds: ``UnitKind`` values named by the leading type word, if any.
    """

    keys: frozenset[str]
    folded_keys: frozenset[str]
    kinds: frozenset[str] | None

    @classmethod
    def parse(cls, text: str) -> NameQuery:
        """Split ``text`` into keys.

        Examples:
            >>> NameQuery.parse("UBND phuong Muong Thanh").kinds
            frozenset({'phuong'})
        """
        full = _full_key(text)
        word, short = _split_type(full, TYPE_KINDS)
        fword, fshort = _split_type(fold_diacritics(full), _FOLDED_TYPES)
        word = word or (_FOLDED_TYPES[fword] if fword else None)
        return cls(
            keys=frozenset({full, short}),
            folded_keys=frozenset({fold_diacritics(full), fold_diacritics(short), fshort}),
            kinds=TYPE_KINDS[word] if word else None,
        )
