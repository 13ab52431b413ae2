"""A straightforward pandas implementation of the QĐ 459 index (benchmark baseline).

This is what a competent analyst would write by hand: load the tables into
DataFrames, and for each month filter, flag and group by unit.  It computes
the same numerators and denominators as ``dienbien-459-2023`` (the benchmark
checks that), without the engine's single-scan compilation.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pandas as pd


def _load(folder: Path) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    dossiers = pd.read_parquet(folder / "dossiers")
    procedures = pd.read_parquet(folder / "procedures.parquet")
    petitions = pd.read_parquet(folder / "petitions.parquet")
    ratings_path = folder / "ratings"
    ratings = pd.read_parquet(ratings_path if ratings_path.exists() else folder / "ratings.parquet")
    return dossiers, procedures, petitions, ratings


def _on_time(d: pd.DataFrame, as_of: datetime) -> pd.Series:
    done = d.finished_at.notna() & (d.finished_at < as_of)
    due_ok = d.due_at.isna() | (d.finished_at <= d.due_at)
    pending_ok = d.due_at.isna() | (d.due_at >= as_of)
    return (d.supplement_count <= 1) & ((done & due_ok) | (~done & pending_ok))


def score_month(
    dossiers: pd.DataFrame, petitions: pd.DataFrame, start: datetime, end: datetime
) -> pd.DataFrame:
    """Numerators and denominators per unit for one month."""
    as_of = end
    received = dossiers[(dossiers.received_at >= start) & (dossiers.received_at < end)]
    handled = dossiers[
        (dossiers.received_at < end)
        & (dossiers.finished_at.isna() | (dossiers.finished_at >= start))
    ]
    finished = dossiers[
        dossiers.finished_at.notna()
        & (dossiers.finished_at >= start)
        & (dossiers.finished_at < end)
    ]
    on_time = _on_time(handled, as_of)
    out = pd.DataFrame(
        {
            "received": received.groupby("unit_code").size(),
            "synced": received[received.synced.fillna(False)].groupby("unit_code").size(),
            "online": received[received.channel == "online"].groupby("unit_code").size(),
            "handled": handled.groupby("unit_code").size(),
            "on_time": handled[on_time].groupby("unit_code").size(),
            "digitized": received[received.components_digitized.fillna(False)]
            .groupby("unit_code")
            .size(),
            "finished": finished.groupby("unit_code").size(),
            "result_digitized": finished[finished.result_digitized.fillna(False)]
            .groupby("unit_code")
            .size(),
        }
    )
    fee = received[received.procedure__has_fee.fillna(False)]
    out["fee"] = fee.groupby("unit_code").size()
    out["paid_online"] = fee[fee.payment == "online"].groupby("unit_code").size()
    unsatisfied = handled[handled.rating__satisfied.eq(False)]
    out["unsatisfied"] = unsatisfied.groupby("unit_code").size()
    pet = petitions[
        (petitions.received_at < end)
        & (petitions.handled_at.isna() | (petitions.handled_at >= start))
    ]
    done = pet.handled_at.notna() & (pet.handled_at < as_of)
    pet_on_time = (done & (pet.due_at.isna() | (pet.handled_at <= pet.due_at))) | (
        ~done & (pet.due_at.isna() | (pet.due_at >= as_of))
    )
    out["petitions"] = pet.groupby("unit_code").size()
    out["petitions_on_time"] = pet[pet_on_time].groupby("unit_code").size()
    out["petitions_unsatisfied"] = pet[pet.satisfied.eq(False)].groupby("unit_code").size()
    out = out.fillna(0).astype("int64")
    out["points"] = (
        5 * _ratio(out.synced, out.received, 1)
        + 30 * _ratio(out.on_time, out.handled, 1)
        + 10 * _ratio(out.online, out.received, 1)
        + 10 * _ratio(out.paid_online, out.fee, 0)
        + 5 * _ratio(out.digitized, out.received, 1)
        + 10 * _ratio(out.result_digitized, out.finished, 1)
        + 5 * _ratio(out.petitions_on_time, out.petitions, 1)
        + 5 * _ratio(out.petitions - out.petitions_unsatisfied, out.petitions, 1)
        + 5
        * (
            _ratio(
                out.handled - (out.handled - out.on_time) - out.unsatisfied, out.handled, 0
            ).clip(0, 1)
            / 0.9
        ).clip(upper=1)
    )
    return out


def _ratio(num: pd.Series, den: pd.Series, zero: float) -> pd.Series:
    return (num / den.where(den > 0)).fillna(zero).clip(0, 1)


def score_year(folder: Path, year: int) -> dict[int, pd.DataFrame]:
    """The full-year score: every unit, 12 months."""
    dossiers, procedures, petitions, ratings = _load(folder)
    dossiers = dossiers.merge(
        procedures[["procedure_code", "has_fee"]].rename(columns={"has_fee": "procedure__has_fee"}),
        on="procedure_code",
        how="left",
    )
    latest = ratings.groupby("dossier_code").satisfied.min().rename("rating__satisfied")
    dossiers = dossiers.merge(latest, left_on="dossier_code", right_index=True, how="left")
    months = {}
    for month in range(1, 13):
        start = datetime(year, month, 1)
        end = datetime(year + (month == 12), month % 12 + 1, 1)
        months[month] = score_month(dossiers, petitions, start, end)
    return months
