"""A seeded synthetic Điện Biên province: procedures, dossiers, petitions and ratings.

See ``README.md`` in this folder for the model and what is (not) realistic about it.
"""

from __future__ import annotations

from chiso.synth.catalogue import Catalogue, CatalogueEntry, load_catalogue
from chiso.synth.generator import (
    GenerationSummary,
    generate,
    iter_dossier_blocks,
    iter_dossier_chunks,
    plan_province,
    units_table,
)

__all__ = [
    "Catalogue",
    "CatalogueEntry",
    "GenerationSummary",
    "generate",
    "iter_dossier_blocks",
    "iter_dossier_chunks",
    "load_catalogue",
    "plan_province",
    "units_table",
]
