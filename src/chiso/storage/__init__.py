"""Everything that reads and writes the canonical tables.

The layout of a data folder (:mod:`~chiso.storage.store`), its Parquet parts and
the journal that replaces them all or nothing under one writer lock
(:mod:`~chiso.storage.journal`), compaction (:mod:`~chiso.storage.compaction`),
the stored partial aggregates (:mod:`~chiso.storage.cubes`), the database
targets (:mod:`~chiso.storage.sql`, :mod:`~chiso.storage.backends`) and the
one path by which staged rows are committed (:mod:`~chiso.storage.targets`,
:mod:`~chiso.storage.rows`).  The engine reads through this package; the import
pipelines and the site write through it.
"""
