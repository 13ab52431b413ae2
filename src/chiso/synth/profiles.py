"""Which units produce dossiers, how many, and how well they serve.

Producing units are the commune-level units (xã, phường, thị trấn) and the provincial
departments (sở, ban, thanh tra: kind ``so``) whose validity overlaps the period.

Each unit gets a latent quality profile drawn from the seed. Units are first dealt a
grade by quota (about 3 % weak, 8 % average, 17 % fair, 35 % good, the rest excellent,
at least one weak unit when there are ten or more) and a target score inside that
grade's band of the Điện Biên 459 index; a quality ``z`` in [0, 1] is then solved by
bisection so that the *expected* 459 score of the unit's rates equals the target. Every
rate is a fixed curve of ``z`` plus a per-unit jitter, so two units with the same score
still differ (one late but online, another punctual but on paper).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
from numpy.typing import NDArray

from chiso.domain.units import Unit, UnitKind, UnitTree

__all__ = ["COMMUNE_KINDS", "DEPARTMENT_KINDS", "Profiles", "draw_profiles", "producing_units"]

COMMUNE_KINDS = frozenset({UnitKind.XA, UnitKind.PHUONG, UnitKind.THI_TRAN, UnitKind.DAC_KHU})
DEPARTMENT_KINDS = frozenset({UnitKind.SO})
_KIND_WEIGHT = {
    UnitKind.PHUONG: 3.0, UnitKind.THI_TRAN: 2.2, UnitKind.XA: 1.0, UnitKind.DAC_KHU: 1.0
}  # fmt: skip
#: (grade, share of units, lowest and highest target score on the 100-point scale).
_GRADES = (
    ("weak", 0.03, 40.0, 48.0),
    ("average", 0.08, 54.0, 67.0),
    ("fair", 0.17, 71.5, 78.5),
    ("good", 0.35, 81.5, 88.5),
    ("excellent", 1.0, 91.0, 99.0),
)
_JITTER = 0.07
_N_RATES = 9

Floats = NDArray[np.float64]


def producing_units(tree: UnitTree, start: date, end: date) -> list[Unit]:
    """Commune-level units and departments valid on some day of ``[start, end)``, by code."""
    kinds = COMMUNE_KINDS | DEPARTMENT_KINDS
    return sorted(
        (
            u
            for u in tree
            if u.kind in kinds
            and u.valid_from < end
            and (u.valid_to is None or u.valid_to >= start)
        ),
        key=lambda u: u.unit_code,
    )


@dataclass(frozen=True)
class Profiles:
    """Per-unit parameters, arrays aligned with the producing units.

    ``weight`` is the relative dossier volume of a commune among communes (departments
    get the volume of their procedures). Shares are probabilities per dossier unless
    noted; ``online`` and ``comp`` are the target shares of all the unit's dossiers.
    """

    grade: tuple[str, ...]
    target_score: Floats
    quality: Floats
    weight: Floats
    late: Floats
    stuck: Floats
    supplement: Floats
    rejected: Floats
    online: Floats
    pay_online: Floats
    comp: Floats
    result: Floats
    reuse: Floats
    sync: Floats
    rating_share: Floats
    rating_satisfied: Floats
    petitions_per_month: Floats
    petition_on_time: Floats
    petition_unsatisfied: Floats


def draw_profiles(tree: UnitTree, units: list[Unit], *, seed: int) -> Profiles:
    """Draw every unit's profile from ``seed`` (same units and seed, same profiles)."""
    rng = np.random.default_rng([seed, 1])
    n = len(units)
    grades, targets = _deal_grades(n, rng)
    jitter = rng.normal(0.0, _JITTER, size=(n, _N_RATES))
    weight = _volume_weights(tree, units) * rng.lognormal(0.0, 0.3, size=n)
    rating_share = rng.uniform(0.06, 0.35, size=n)
    quality = _solve_quality(targets, jitter, rating_share)
    rates = _rates(quality, jitter)
    relative = np.sqrt(weight / np.median(weight)) if n else weight
    return Profiles(
        grade=grades,
        target_score=targets,
        quality=quality,
        weight=weight,
        rating_share=rating_share,
        petitions_per_month=np.clip(rng.uniform(0.5, 3.5, size=n) * relative, 0.2, 8.0),
        **rates,
    )


def _deal_grades(n: int, rng: np.random.Generator) -> tuple[tuple[str, ...], Floats]:
    """Grades by quota over a seeded shuffle, then a target score inside each band."""
    counts = [round(share * n) for _, share, _, _ in _GRADES[:-1]]
    if n >= 10:
        counts[0] = max(counts[0], 1)
    counts.append(n - sum(counts))
    order = rng.permutation(n)
    grades: list[str] = [""] * n
    targets = np.empty(n)
    k = 0
    for (grade, _, low, high), count in zip(_GRADES, counts, strict=True):
        for i in order[k : k + count]:
            grades[i] = grade
            targets[i] = rng.uniform(low, high)
        k += count
    return tuple(grades), targets


def _volume_weights(tree: UnitTree, units: list[Unit]) -> Floats:
    """Communes formed from several (urban) units are bigger; departments weigh 1."""
    merged: dict[str, float] = {}
    for old in tree:
        if old.successor_code and old.kind in _KIND_WEIGHT:
            merged[old.successor_code] = (
                merged.get(old.successor_code, 0.0) + _KIND_WEIGHT[old.kind]
            )
    return np.array(
        [merged.get(u.unit_code, _KIND_WEIGHT.get(u.kind, 1.0)) for u in units], dtype=float
    )


def _rates(quality: Floats, jitter: NDArray[np.float64]) -> dict[str, Floats]:
    """Every per-unit rate as a curve of the quality plus that unit's jitter."""
    z = np.clip(quality[:, None] + jitter, 0.0, 1.0)
    late = 0.004 + 0.42 * (1.0 - z[:, 0]) ** 1.6
    return {
        "late": late,
        "stuck": 0.06 * late,
        "supplement": 0.02 + 0.10 * (1.0 - z[:, 0]),
        "rejected": 0.004 + 0.02 * (1.0 - z[:, 8]),
        "online": 0.08 + 0.87 * z[:, 1] ** 1.3,
        "pay_online": 0.95 * z[:, 2] ** 1.5,
        "comp": 0.12 + 0.87 * z[:, 3],
        "result": 0.05 + 0.94 * z[:, 4] ** 1.2,
        "reuse": 0.08 + 0.5 * z[:, 3],
        "sync": 0.95 + 0.05 * z[:, 5],
        "petition_on_time": 0.70 + 0.30 * z[:, 6],
        "petition_unsatisfied": 0.18 * (1.0 - z[:, 7]),
        "rating_satisfied": 0.78 + 0.21 * z[:, 8],
    }


def expected_score(quality: Floats, jitter: NDArray[np.float64], rating_share: Floats) -> Floats:
    """Approximate 459 score (100-point, commune applicability: 85 points) of each unit."""
    r = _rates(quality, jitter)
    supp = r["supplement"]
    on_time = 1.0 - r["late"] * (1.0 + 2.5 * supp) - r["stuck"] - 0.15 * supp
    unhappy = rating_share * (1.0 - r["rating_satisfied"])
    points = (
        5 * r["sync"]
        + 30 * on_time
        + 10 * r["online"]
        + 10 * r["pay_online"]
        + 5 * r["comp"]
        + 10 * r["result"]
        + 5 * r["petition_on_time"]
        + 5 * (1.0 - r["petition_unsatisfied"])
        + 5 * np.minimum(1.0, (on_time - unhappy) / 0.9)
    )
    return np.asarray(points / 85 * 100, dtype=np.float64)


def _solve_quality(targets: Floats, jitter: NDArray[np.float64], rating_share: Floats) -> Floats:
    """Bisection on ``z`` per unit; targets outside the reachable range clamp to 0 or 1."""
    low, high = np.zeros_like(targets), np.ones_like(targets)
    for _ in range(40):
        mid = (low + high) / 2
        above = expected_score(mid, jitter, rating_share) > targets
        high = np.where(above, mid, high)
        low = np.where(above, low, mid)
    return (low + high) / 2
