"""The library's one face: every name the CLI, the site and a notebook use, in one place.

``from chiso.api import score, DataSource`` is how an edge reaches the library: the CLI
(``chiso.cli``) and the site (``chiso_web``) import only this module and :mod:`chiso.errors`
(the contract ``edges-use-the-facade`` in ``.importlinter``), so the library can move its
code between modules without touching them.  The names, by purpose:

- Sources and storage
- Index sets and surveys
- Periods, clock, units, records and words
- Scoring, explaining, forecasting and planning
- Import
- Checks and anomalies
- Portal and national view
- Reports
- JSON contracts
- Operations
- Synthetic data, demo and benchmarks
- Messages and version

Each name is imported on first use (:func:`__getattr__` reads :data:`_GROUPS`), so
``import chiso.api`` costs nothing and a command pays only for what it calls; the
``TYPE_CHECKING`` block gives mypy the same names with their types.

To add a name: put it in its group in ``_GROUPS`` (``"name": "chiso.module"``, or
``"alias": "chiso.module:name"`` when the library's name would collide or say too little
here), import it in the ``TYPE_CHECKING`` block and list it in ``__all__``;
``tests/chiso/test_library_api.py`` checks the three agree and every name resolves.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

#: The names by purpose: each group's title, what it is for, and its names, each read
#: from ``"module"`` or, under another name, from ``"module:name"``.
_GROUPS: tuple[tuple[str, str, dict[str, str]], ...] = (
    (
        "Sources and storage",
        "Where the data lives (:class:`DataSource`: a folder, a DuckDB file, a PostgreSQL "
        "URL, Spark) and what reads and writes its canonical tables: the store, parts, the "
        "journal's writer lock, compaction, database targets and private files.",
        {
            "DataSource": "chiso.storage.source",
            "Store": "chiso.storage.store",
            "CACHE": "chiso.storage.cache",
            "open_folder": "chiso.storage.store",
            "table_files": "chiso.storage.store",
            "OPTIONAL_TABLES": "chiso.storage.store",
            "tree_of": "chiso.storage.unitdata",
            "Diff": "chiso.storage.targets",
            "work_connection": "chiso.storage.targets",
            "quote_identifier": "chiso.storage.targets:q",
            "write_rows": "chiso.storage.writer",
            "folder_writer": "chiso.storage.journal:writer",
            "CompactPolicy": "chiso.storage.compaction",
            "Compaction": "chiso.storage.compaction",
            "MB": "chiso.storage.compaction",
            "compact_table": "chiso.storage.compaction",
            "count_small_parts": "chiso.storage.compaction",
            "CUBES_VARIABLE": "chiso.storage.cubes",
            "ENGINE_VARIABLES": "chiso.storage.backends",
            "POSTGRES_URL_VARIABLE": "chiso.storage.backends",
            "FOLDER_MODE": "chiso.storage.private",
            "private_file": "chiso.storage.private",
            "private_folder": "chiso.storage.private",
            "private_umask": "chiso.storage.private",
        },
    ),
    (
        "Index sets and surveys",
        "The YAML contracts: index sets, their indicators, the shipped sets and the survey "
        "questionnaires, and the portal's groups.",
        {
            "IndexSet": "chiso.spec.canonical",
            "Indicator": "chiso.spec.canonical",
            "IndexSetModel": "chiso.spec.models",
            "load_index_set": "chiso.spec.loader",
            "shipped_ids": "chiso.spec.loader",
            "shipped_path": "chiso.spec.loader:_shipped_path",
            "validate_file": "chiso.spec.loader",
            "Survey": "chiso.surveys",
            "survey_for": "chiso.surveys",
            "PORTAL_GROUPS": "chiso.portal.groups:GROUPS",
            "portal_index_set": "chiso.portal.groups",
        },
    ),
    (
        "Periods, clock, units, records and words",
        "The domain's values: periods and their names, the clock (``CHISO_NOW``), the unit "
        "tree and the provinces, the canonical columns and their Vietnamese labels, rounding "
        "as printed.",
        {
            "Period": "chiso.domain.periods",
            "PeriodError": "chiso.domain.periods",
            "PeriodKind": "chiso.domain.periods",
            "parse_period": "chiso.domain.periods",
            "period_choices": "chiso.domain.periods:choices",
            "months_of": "chiso.domain.periods",
            "require_started": "chiso.domain.periods",
            "period_shown": "chiso.domain.periods:shown",
            "CLOCK_VARIABLE": "chiso.domain.clock",
            "ClockError": "chiso.domain.clock",
            "DEMO_NOW": "chiso.domain.clock",
            "now": "chiso.domain.clock",
            "parse_instant": "chiso.domain.clock",
            "instant_shown": "chiso.domain.clock:shown",
            "Unit": "chiso.domain.units",
            "UnitTree": "chiso.domain.units",
            "RANKING_BLOCKS": "chiso.domain.units",
            "fold_diacritics": "chiso.domain.units",
            "province_tree": "chiso.domain.provinces",
            "provinces": "chiso.domain.provinces",
            "ColumnType": "chiso.domain.records",
            "KEYS": "chiso.domain.records",
            "REQUIRED": "chiso.domain.records",
            "TABLES": "chiso.domain.records",
            "DOSSIER_HEADERS": "chiso.domain.labels",
            "PROGRESS": "chiso.domain.labels",
            "UNIT_KINDS": "chiso.domain.labels",
            "column_label": "chiso.domain.labels",
            "kinds_label": "chiso.domain.labels",
            "value_label": "chiso.domain.labels",
            "received_elsewhere_label": "chiso.domain.labels",
            "format_vn": "chiso.domain.rounding",
            "round_score": "chiso.domain.rounding",
            "to_decimal": "chiso.domain.rounding",
        },
    ),
    (
        "Scoring, explaining, forecasting and planning",
        "Score units for a period, explain one score, what is due and at stake, the month-end"
        " forecast and the plan that reaches a target.",
        {
            "score": "chiso.engine.runner",
            "score_one": "chiso.engine.runner",
            "select_units": "chiso.engine.runner",
            "Level": "chiso.engine.runner",
            "ResultSet": "chiso.engine.results",
            "UnitResult": "chiso.engine.results",
            "exact": "chiso.engine.results",
            "explain": "chiso.engine.explain",
            "Explanation": "chiso.engine.explain",
            "received_elsewhere": "chiso.engine.explain",
            "NO_DATA": "chiso.engine.coverage",
            "dossiers_in": "chiso.engine.coverage",
            "Forecast": "chiso.engine.forecast",
            "forecast_units": "chiso.engine.forecast",
            "calibrated": "chiso.engine.forecast",
            "DueDossier": "chiso.engine.due",
            "due_soon": "chiso.engine.due",
            "Stake": "chiso.engine.stake",
            "stakes": "chiso.engine.stake",
            "Plan": "chiso.engine.goalseek",
            "plan_unit": "chiso.engine.goalseek",
            "points_text": "chiso.engine.goalseek",
            "LEVER_TEXTS": "chiso.engine.goalseek",
        },
    ),
    (
        "Import",
        "Read exports (CSV, XLSX, scores, statistics), check them against the profiles, apply"
        " them all or nothing, and the quality report of an export.",
        {
            "import_files": "chiso.ingest.importer",
            "check_files": "chiso.ingest.importer",
            "apply_checked": "chiso.ingest.importer",
            "CheckedImport": "chiso.ingest.importer",
            "ImportResult": "chiso.ingest.importer",
            "IMPORTABLE": "chiso.ingest.importer",
            "ImportRejectedError": "chiso.ingest.issues",
            "RowIssue": "chiso.ingest.issues",
            "absent_columns": "chiso.ingest.absent",
            "absent_from_layouts": "chiso.ingest.absent",
            "load_import_profile": "chiso.ingest.profiles:load_profile",
            "draft_profile": "chiso.ingest.profiles",
            "shipped_profiles": "chiso.ingest.profiles",
            "quality": "chiso.ingest.quality",
            "received_elsewhere_counts": "chiso.ingest.quality:received_elsewhere",
            "BALANCES": "chiso.ingest.quality",
            "PROBLEMS": "chiso.ingest.quality",
            "UNCLASSIFIED": "chiso.ingest.quality",
            "empty_columns": "chiso.ingest.quality",
            "import_statistics": "chiso.ingest.statistics",
            "open_rows": "chiso.ingest.sources",
            "cell_text": "chiso.ingest.records",
            "validate_records": "chiso.ingest.records",
            "estimate_rows": "chiso.ingest.progress_total",
            "SCAN_ROWS": "chiso.ingest.layout",
            "ProcedureLookup": "chiso.ingest.resolve",
            "UnitLookup": "chiso.ingest.resolve",
            "read_scores": "chiso.ingest.scores.importer",
            "write_scores": "chiso.ingest.scores.importer",
            "parse_bounded_json": "chiso.ingest.bounded_json:loads",
        },
    ),
    (
        "Checks and anomalies",
        "The data checks of a period and the anomaly rules over the dossiers.",
        {
            "CheckResult": "chiso.checks",
            "check_report": "chiso.checks",
            "AnomalyReport": "chiso.anomalies",
            "Finding": "chiso.anomalies",
            "RuleSet": "chiso.anomalies",
            "find_anomalies": "chiso.anomalies",
            "load_rules": "chiso.anomalies",
            "affected_indicators": "chiso.anomalies.findings",
        },
    ),
    (
        "Portal and national view",
        "Reconcile the national portal's published scores with ours, read and write the "
        "portal's exports, and the national view.",
        {
            "PORTAL_GROUP_COLUMNS": "chiso.portal.national:GROUP_COLUMNS",
            "DEFAULT_TOLERANCE": "chiso.portal.reconcile",
            "reconcile": "chiso.portal.reconcile",
            "Reconciliation": "chiso.portal.reconcile",
            "maximum_text": "chiso.portal.reconcile:short",
            "STATUS_WORDS": "chiso.portal.reconcile_xlsx",
            "workbook": "chiso.portal.reconcile_xlsx",
            "NationalView": "chiso.portal.national",
            "national_view": "chiso.portal.national",
            "pair_requests": "chiso.portal.pairs",
            "read_portal": "chiso.portal.importer",
            "portal_score_sheets": "chiso.portal.excel",
            "write_portal": "chiso.portal.importer",
            "tree_of_folder": "chiso.portal.importer",
        },
    ),
    (
        "Reports",
        "Build a period's report (DOCX, PDF through LibreOffice) from the store or from "
        "reported scores.",
        {
            "ReportContext": "chiso.reports.report_data",
            "ReportOptions": "chiso.reports.report_data",
            "from_reported": "chiso.reports.build",
            "from_store": "chiso.reports.build",
            "write_report": "chiso.reports.build",
            "load_report_profile": "chiso.reports.profile:load_profile",
            "template_for": "chiso.reports.docx",
            "soffice": "chiso.reports.pdf",
            "to_pdf": "chiso.reports.pdf",
        },
    ),
    (
        "JSON contracts",
        "The pydantic models of the JSON the CLI prints and the site serves, and their JSON "
        "Schema.",
        {
            "ReceivingPoint": "chiso.contracts.dossier",
            "Contract": "chiso.contracts",
            "NationalPage": "chiso.contracts.national",
            "Accepted": "chiso.contracts.answers",
            "AnomaliesPage": "chiso.contracts.anomalies",
            "DossierField": "chiso.contracts.dossier",
            "DossierPage": "chiso.contracts.dossier",
            "DuePage": "chiso.contracts.due",
            "DueRow": "chiso.contracts.due",
            "StakeIndicator": "chiso.contracts.due",
            "ReconciliationPage": "chiso.contracts.national",
            "json_schema": "chiso.contracts",
            "Digest": "chiso.contracts.digest",
            "DigestAction": "chiso.contracts.digest",
            "DigestDossier": "chiso.contracts.digest",
            "DigestFinding": "chiso.contracts.digest",
            "DigestScore": "chiso.contracts.digest",
            "ErrorAnswer": "chiso.contracts.answers",
            "IndicatorScore": "chiso.contracts.scores",
            "MonthEnd": "chiso.contracts.forecast",
            "Forecasts": "chiso.contracts.forecast",
            "BlockRank": "chiso.contracts.dashboard",
            "GradeBand": "chiso.contracts.dashboard",
            "GradeCount": "chiso.contracts.dashboard",
            "GroupHead": "chiso.contracts.dashboard",
            "IndicatorPage": "chiso.contracts.dashboard",
            "LostGroup": "chiso.contracts.dashboard",
            "LostIndicator": "chiso.contracts.dashboard",
            "RankingBlock": "chiso.contracts.dashboard",
            "RankingPage": "chiso.contracts.dashboard",
            "TrendGap": "chiso.contracts.dashboard",
            "TrendMonth": "chiso.contracts.dashboard",
            "UnitBlock": "chiso.contracts.dashboard",
            "UnitIndicator": "chiso.contracts.dashboard",
            "UnitPage": "chiso.contracts.dashboard",
            "UnitRow": "chiso.contracts.dashboard",
            "UnitTwin": "chiso.contracts.dashboard",
            "ImportsWaiting": "chiso.contracts.dashboard",
            "ImportWaiting": "chiso.contracts.dashboard",
            "Movers": "chiso.contracts.dashboard",
            "Overview": "chiso.contracts.dashboard",
            "PeriodName": "chiso.contracts.dashboard",
            "ReportsWaiting": "chiso.contracts.dashboard",
            "ReportWaiting": "chiso.contracts.dashboard",
            "UnitName": "chiso.contracts.dashboard",
            "Mover": "chiso.contracts.dashboard",
            "PlanContract": "chiso.contracts.plan:Plan",
            "Previous": "chiso.contracts.rows",
            "ProgressCode": "chiso.contracts.explain",
            "RankedUnit": "chiso.contracts.rows",
            "PublicRankedUnit": "chiso.contracts.published",
            "PublishedUnit": "chiso.contracts.published",
            "OpenDataCatalogue": "chiso.contracts.public",
            "PublicRanking": "chiso.contracts.public",
            "PublicUnitPage": "chiso.contracts.public",
        },
    ),
    (
        "Operations",
        "Backup and restore of a site, and the local Spark cluster.",
        {
            "backup": "chiso.ops.backup",
            "site_of": "chiso.ops.backup",
            "restore": "chiso.ops.restore",
            "alive_workers": "chiso.engine.spark_cluster",
            "cluster_status": "chiso.engine.spark_cluster",
            "running_pids": "chiso.engine.spark_cluster",
            "start_cluster": "chiso.engine.spark_cluster",
            "stop_cluster": "chiso.engine.spark_cluster",
        },
    ),
    (
        "Synthetic data, demo and benchmarks",
        "Generate a synthetic province or nation, inject faults, run the demo and the benchmarks.",
        {
            "generate": "chiso.synth.generator",
            "generate_national": "chiso.synth.generator",
            "horizon": "chiso.synth.timeline",
            "inject": "chiso.synth.inject",
            "parse_rates": "chiso.synth.inject",
            "run_demo": "chiso.demo",
            "DEMO_PUBLISHED": "chiso.demo",
            "run_bench": "chiso.bench",
            "backtest": "chiso.bench_forecast",
            "print_backtest": "chiso.bench_forecast",
            "print_import_bench": "chiso.ingest.bench",
            "measure_rules": "chiso.anomalies.bench:measure",
            "period_of": "chiso.anomalies.bench",
            "rule_seconds": "chiso.anomalies.bench",
        },
    ),
    (
        "Messages and version",
        "Translated messages (the catalogues of chiso.i18n), the language a block of code "
        "shows them in (a request's, in the site) and the library's version.",
        {
            "_": "chiso.i18n",
            "N_": "chiso.i18n",
            "ngettext": "chiso.i18n",
            "using_language": "chiso.i18n:using",
            "__version__": "chiso",
        },
    ),
)

_WHERE: dict[str, str] = {name: where for _, _, names in _GROUPS for name, where in names.items()}

if TYPE_CHECKING:
    from chiso import __version__
    from chiso.anomalies import AnomalyReport, Finding, RuleSet, find_anomalies, load_rules
    from chiso.anomalies.bench import measure as measure_rules
    from chiso.anomalies.bench import period_of, rule_seconds
    from chiso.anomalies.findings import affected_indicators
    from chiso.bench import run_bench
    from chiso.bench_forecast import backtest, print_backtest
    from chiso.checks import CheckResult, check_report
    from chiso.contracts import Contract, json_schema
    from chiso.contracts.anomalies import AnomaliesPage
    from chiso.contracts.answers import Accepted, ErrorAnswer
    from chiso.contracts.dashboard import (
        BlockRank,
        GradeBand,
        GradeCount,
        GroupHead,
        ImportsWaiting,
        ImportWaiting,
        IndicatorPage,
        LostGroup,
        LostIndicator,
        Mover,
        Movers,
        Overview,
        PeriodName,
        RankingBlock,
        RankingPage,
        ReportsWaiting,
        ReportWaiting,
        TrendGap,
        TrendMonth,
        UnitBlock,
        UnitIndicator,
        UnitName,
        UnitPage,
        UnitRow,
        UnitTwin,
    )
    from chiso.contracts.digest import (
        Digest,
        DigestAction,
        DigestDossier,
        DigestFinding,
        DigestScore,
    )
    from chiso.contracts.dossier import DossierField, DossierPage, ReceivingPoint
    from chiso.contracts.due import DuePage, DueRow, StakeIndicator
    from chiso.contracts.explain import ProgressCode
    from chiso.contracts.forecast import Forecasts, MonthEnd
    from chiso.contracts.national import NationalPage, ReconciliationPage
    from chiso.contracts.plan import Plan as PlanContract
    from chiso.contracts.public import OpenDataCatalogue, PublicRanking, PublicUnitPage
    from chiso.contracts.published import PublicRankedUnit, PublishedUnit
    from chiso.contracts.rows import Previous, RankedUnit
    from chiso.contracts.scores import IndicatorScore
    from chiso.demo import DEMO_PUBLISHED, run_demo
    from chiso.domain.clock import CLOCK_VARIABLE, DEMO_NOW, ClockError, now, parse_instant
    from chiso.domain.clock import shown as instant_shown
    from chiso.domain.labels import (
        DOSSIER_HEADERS,
        PROGRESS,
        UNIT_KINDS,
        column_label,
        kinds_label,
        received_elsewhere_label,
        value_label,
    )
    from chiso.domain.periods import (
        Period,
        PeriodError,
        PeriodKind,
        months_of,
        parse_period,
        require_started,
    )
    from chiso.domain.periods import choices as period_choices
    from chiso.domain.periods import shown as period_shown
    from chiso.domain.provinces import province_tree, provinces
    from chiso.domain.records import KEYS, REQUIRED, TABLES, ColumnType
    from chiso.domain.rounding import format_vn, round_score, to_decimal
    from chiso.domain.units import RANKING_BLOCKS, Unit, UnitTree, fold_diacritics
    from chiso.engine.coverage import NO_DATA, dossiers_in
    from chiso.engine.due import DueDossier, due_soon
    from chiso.engine.explain import Explanation, explain, received_elsewhere
    from chiso.engine.forecast import Forecast, calibrated, forecast_units
    from chiso.engine.goalseek import LEVER_TEXTS, Plan, plan_unit, points_text
    from chiso.engine.results import ResultSet, UnitResult, exact
    from chiso.engine.runner import Level, score, score_one, select_units
    from chiso.engine.spark_cluster import (
        alive_workers,
        cluster_status,
        running_pids,
        start_cluster,
        stop_cluster,
    )
    from chiso.engine.stake import Stake, stakes
    from chiso.i18n import N_, _, ngettext
    from chiso.i18n import using as using_language
    from chiso.ingest.absent import absent_columns, absent_from_layouts
    from chiso.ingest.bench import print_import_bench
    from chiso.ingest.bounded_json import loads as parse_bounded_json
    from chiso.ingest.importer import (
        IMPORTABLE,
        CheckedImport,
        ImportResult,
        apply_checked,
        check_files,
        import_files,
    )
    from chiso.ingest.issues import ImportRejectedError, RowIssue
    from chiso.ingest.layout import SCAN_ROWS
    from chiso.ingest.profiles import draft_profile, shipped_profiles
    from chiso.ingest.profiles import load_profile as load_import_profile
    from chiso.ingest.progress_total import estimate_rows
    from chiso.ingest.quality import BALANCES, PROBLEMS, UNCLASSIFIED, empty_columns, quality
    from chiso.ingest.quality import received_elsewhere as received_elsewhere_counts
    from chiso.ingest.records import cell_text, validate_records
    from chiso.ingest.resolve import ProcedureLookup, UnitLookup
    from chiso.ingest.scores.importer import read_scores, write_scores
    from chiso.ingest.sources import open_rows
    from chiso.ingest.statistics import import_statistics
    from chiso.ops.backup import backup, site_of
    from chiso.ops.restore import restore
    from chiso.portal.excel import portal_score_sheets
    from chiso.portal.groups import GROUPS as PORTAL_GROUPS
    from chiso.portal.groups import portal_index_set
    from chiso.portal.importer import read_portal, tree_of_folder, write_portal
    from chiso.portal.national import GROUP_COLUMNS as PORTAL_GROUP_COLUMNS
    from chiso.portal.national import NationalView, national_view
    from chiso.portal.pairs import pair_requests
    from chiso.portal.reconcile import DEFAULT_TOLERANCE, Reconciliation, reconcile
    from chiso.portal.reconcile import short as maximum_text
    from chiso.portal.reconcile_xlsx import STATUS_WORDS, workbook
    from chiso.reports.build import from_reported, from_store, write_report
    from chiso.reports.docx import template_for
    from chiso.reports.pdf import soffice, to_pdf
    from chiso.reports.profile import load_profile as load_report_profile
    from chiso.reports.report_data import ReportContext, ReportOptions
    from chiso.spec.canonical import IndexSet, Indicator
    from chiso.spec.loader import _shipped_path as shipped_path
    from chiso.spec.loader import load_index_set, shipped_ids, validate_file
    from chiso.spec.models import IndexSetModel
    from chiso.storage.backends import ENGINE_VARIABLES, POSTGRES_URL_VARIABLE
    from chiso.storage.cache import CACHE
    from chiso.storage.compaction import (
        MB,
        Compaction,
        CompactPolicy,
        compact_table,
        count_small_parts,
    )
    from chiso.storage.cubes import CUBES_VARIABLE
    from chiso.storage.journal import writer as folder_writer
    from chiso.storage.private import FOLDER_MODE, private_file, private_folder, private_umask
    from chiso.storage.source import DataSource
    from chiso.storage.store import OPTIONAL_TABLES, Store, open_folder, table_files
    from chiso.storage.targets import Diff, work_connection
    from chiso.storage.targets import q as quote_identifier
    from chiso.storage.unitdata import tree_of
    from chiso.storage.writer import write_rows
    from chiso.surveys import Survey, survey_for
    from chiso.synth.generator import generate, generate_national
    from chiso.synth.inject import inject, parse_rates
    from chiso.synth.timeline import horizon
else:

    def __getattr__(name: str) -> object:
        """The library's object behind ``name``, imported now (not kept: the module's own
        attribute is read each time, so a test that replaces it is seen)."""
        where = _WHERE.get(name)
        if where is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        module, _, attribute = where.partition(":")
        return getattr(importlib.import_module(module), attribute or name)

    def __dir__() -> list[str]:
        return sorted(__all__)


__all__ = [
    "BALANCES",
    "CACHE",
    "CLOCK_VARIABLE",
    "CUBES_VARIABLE",
    "DEFAULT_TOLERANCE",
    "DEMO_NOW",
    "DEMO_PUBLISHED",
    "DOSSIER_HEADERS",
    "ENGINE_VARIABLES",
    "FOLDER_MODE",
    "IMPORTABLE",
    "KEYS",
    "LEVER_TEXTS",
    "MB",
    "NO_DATA",
    "N_",
    "OPTIONAL_TABLES",
    "PORTAL_GROUPS",
    "PORTAL_GROUP_COLUMNS",
    "POSTGRES_URL_VARIABLE",
    "PROBLEMS",
    "PROGRESS",
    "RANKING_BLOCKS",
    "REQUIRED",
    "SCAN_ROWS",
    "STATUS_WORDS",
    "TABLES",
    "UNCLASSIFIED",
    "UNIT_KINDS",
    "Accepted",
    "AnomaliesPage",
    "AnomalyReport",
    "BlockRank",
    "CheckResult",
    "CheckedImport",
    "ClockError",
    "ColumnType",
    "CompactPolicy",
    "Compaction",
    "Contract",
    "DataSource",
    "Diff",
    "Digest",
    "DigestAction",
    "DigestDossier",
    "DigestFinding",
    "DigestScore",
    "DossierField",
    "DossierPage",
    "DueDossier",
    "DuePage",
    "DueRow",
    "ErrorAnswer",
    "Explanation",
    "Finding",
    "Forecast",
    "Forecasts",
    "GradeBand",
    "GradeCount",
    "GroupHead",
    "ImportRejectedError",
    "ImportResult",
    "ImportWaiting",
    "ImportsWaiting",
    "IndexSet",
    "IndexSetModel",
    "Indicator",
    "IndicatorPage",
    "IndicatorScore",
    "Level",
    "LostGroup",
    "LostIndicator",
    "MonthEnd",
    "Mover",
    "Movers",
    "NationalPage",
    "NationalView",
    "OpenDataCatalogue",
    "Overview",
    "Period",
    "PeriodError",
    "PeriodKind",
    "PeriodName",
    "Plan",
    "PlanContract",
    "Previous",
    "ProcedureLookup",
    "ProgressCode",
    "PublicRankedUnit",
    "PublicRanking",
    "PublicUnitPage",
    "PublishedUnit",
    "RankedUnit",
    "RankingBlock",
    "RankingPage",
    "ReceivingPoint",
    "Reconciliation",
    "ReconciliationPage",
    "ReportContext",
    "ReportOptions",
    "ReportWaiting",
    "ReportsWaiting",
    "ResultSet",
    "RowIssue",
    "RuleSet",
    "Stake",
    "StakeIndicator",
    "Store",
    "Survey",
    "TrendGap",
    "TrendMonth",
    "Unit",
    "UnitBlock",
    "UnitIndicator",
    "UnitLookup",
    "UnitName",
    "UnitPage",
    "UnitResult",
    "UnitRow",
    "UnitTree",
    "UnitTwin",
    "_",
    "__version__",
    "absent_columns",
    "absent_from_layouts",
    "affected_indicators",
    "alive_workers",
    "apply_checked",
    "backtest",
    "backup",
    "calibrated",
    "cell_text",
    "check_files",
    "check_report",
    "cluster_status",
    "column_label",
    "compact_table",
    "count_small_parts",
    "dossiers_in",
    "draft_profile",
    "due_soon",
    "empty_columns",
    "estimate_rows",
    "exact",
    "explain",
    "find_anomalies",
    "fold_diacritics",
    "folder_writer",
    "forecast_units",
    "format_vn",
    "from_reported",
    "from_store",
    "generate",
    "generate_national",
    "horizon",
    "import_files",
    "import_statistics",
    "inject",
    "instant_shown",
    "json_schema",
    "kinds_label",
    "load_import_profile",
    "load_index_set",
    "load_report_profile",
    "load_rules",
    "maximum_text",
    "measure_rules",
    "months_of",
    "national_view",
    "ngettext",
    "now",
    "open_folder",
    "open_rows",
    "pair_requests",
    "parse_bounded_json",
    "parse_instant",
    "parse_period",
    "parse_rates",
    "period_choices",
    "period_of",
    "period_shown",
    "plan_unit",
    "points_text",
    "portal_index_set",
    "portal_score_sheets",
    "print_backtest",
    "print_import_bench",
    "private_file",
    "private_folder",
    "private_umask",
    "province_tree",
    "provinces",
    "quality",
    "quote_identifier",
    "read_portal",
    "read_scores",
    "received_elsewhere",
    "received_elsewhere_counts",
    "received_elsewhere_label",
    "reconcile",
    "require_started",
    "restore",
    "round_score",
    "rule_seconds",
    "run_bench",
    "run_demo",
    "running_pids",
    "score",
    "score_one",
    "select_units",
    "shipped_ids",
    "shipped_path",
    "shipped_profiles",
    "site_of",
    "soffice",
    "stakes",
    "start_cluster",
    "stop_cluster",
    "survey_for",
    "table_files",
    "template_for",
    "to_decimal",
    "to_pdf",
    "tree_of",
    "tree_of_folder",
    "using_language",
    "validate_file",
    "validate_records",
    "value_label",
    "work_connection",
    "workbook",
    "write_portal",
    "write_report",
    "write_rows",
    "write_scores",
]
