"""One description per JSON contract: the CLI's JSON and the site's JSON twins, for the
same data, are the same model of :mod:`chiso.contracts` (and agree), and the site
publishes the models' schemas."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner
from django.conf import settings
from django.core.cache import cache

from chiso.cli import cli
from chiso.contracts import Contract, json_schema
from chiso.contracts.anomalies import Anomalies, AnomaliesPage
from chiso.contracts.answers import ErrorAnswer
from chiso.contracts.base import DIALECT
from chiso.contracts.catalog import document as schema_document
from chiso.contracts.dashboard import IndicatorPage, Overview, RankingPage, UnitRow, UnitTwin
from chiso.contracts.dossier import DossierPage
from chiso.contracts.due import DueDossier, DuePage
from chiso.contracts.explain import Explanation
from chiso.contracts.forecast import Forecasts
from chiso.contracts.national import (
    NationalPage,
    NationalView,
    Reconciliation,
    ReconciliationPage,
)
from chiso.contracts.public import OpenDataCatalogue, PublicRanking, PublicUnitPage
from chiso.contracts.published import PublicRankedUnit
from chiso.contracts.rows import RankedUnit
from chiso.contracts.scores import IndicatorScore, Scores, UnitScore
from chiso.engine.due import due_soon
from chiso_web import data
from chiso_web.api.openapi import document
from chiso_web.publications.models import Publication
from chiso_web.schemas import twin
from web_cast import ALICE_UNIT
from web_portal import PORTAL_PERIOD, import_portal_capture

pytestmark = pytest.mark.django_db
PERIOD = "2026-10"


def _cli_json(data: Path, *args: str) -> Any:
    index_set = settings.CHISO["CHISO_INDEX_SET"]
    clock = settings.CHISO["CHISO_NOW"].isoformat(timespec="minutes")  # the site's clock
    common = ["--data", str(data), "--index-set", index_set, "--period", PERIOD, "--as-of", clock]
    out = CliRunner().invoke(cli, [*args, *common, "--format", "json"])
    assert out.exit_code == 0, out.output
    return json.loads(out.output)


def test_the_cli_scores_and_the_ranking_twin_are_the_same_unit_contract(
    client_as: Any, web_data: Path
) -> None:
    cli_doc = Scores.model_validate(_cli_json(web_data, "score"))
    jsonschema.validate(cli_doc.dump(), json_schema(Scores))
    twin = client_as("admin").get(f"/xep-hang.json?period={PERIOD}&view=list").json()
    site_units = {u["unit_code"]: u for u in twin["units"]}
    assert set(site_units) == {u.unit_code for u in cli_doc.units}
    for unit in cli_doc.units:
        row = RankedUnit.model_validate(site_units[unit.unit_code])
        assert UnitScore.model_validate(row.dump()).dump() == {
            **unit.dump(),
            "has_data": row.has_data,  # the site shows a unit without a score as no data
        }


def test_the_cli_explain_and_the_indicator_twin_are_the_same_explanation(
    client_as: Any, web_data: Path
) -> None:
    twin = client_as("admin").get(f"/xep-hang.json?period={PERIOD}").json()
    unit = next(u for u in twin["units"] if u["unit_code"] == ALICE_UNIT)
    code = next(i["code"] for i in unit["indicators"] if i["source"] == "computed")
    limit = ["--limit", "20"]
    cli_doc = Explanation.model_validate(
        _cli_json(web_data, "explain", "--unit", ALICE_UNIT, "--indicator", code, *limit)
    )
    address = f"/don-vi/{ALICE_UNIT}/chi-so/{code}.json?period={PERIOD}&limit=20"
    site_doc = Explanation.model_validate(client_as("admin").get(address).json())
    assert site_doc.dump() == cli_doc.dump()
    assert cli_doc.result is not None
    assert IndicatorScore.model_validate(cli_doc.result.dump()) == cli_doc.result


def test_the_site_publishes_the_models_schemas(client: Any) -> None:
    dashboard = client.get("/schemas/unit.json").json()
    assert dashboard["properties"]["unit"] == json_schema(UnitRow)
    ranking = client.get("/schemas/ranking.json").json()
    assert ranking["properties"]["units"]["items"] == json_schema(RankedUnit)
    public = client.get("/cong-khai/schemas/ranking.json").json()
    assert public["properties"]["units"]["items"] == json_schema(PublicRankedUnit)
    assert document()["components"]["schemas"]["Error"] == json_schema(ErrorAnswer)


def test_a_row_with_a_score_but_no_data_is_refused_by_the_model_and_its_schema() -> None:
    row: dict[str, Any] = {
        "unit_code": "X", "name": "X", "kind": "xa", "has_data": False, "total": None,
        "max": 100.0, "converted": 80.0, "converted_exact": None, "class": None,
        "class_label": None, "rank": None, "tied": False, "indicators": [], "groups": {},
        "previous": None, "change": None,
    }  # fmt: skip
    with pytest.raises(ValueError, match="converted"):
        RankedUnit.model_validate(row)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(row, json_schema(RankedUnit))
    RankedUnit.model_validate({**row, "converted": None})


def _twin(client: Any, address: str, model: type[Contract]) -> Any:
    """The twin's answer, checked by its contract model and the model's schema (with the
    answer's head, as the site publishes it)."""
    answer = client.get(address)
    assert answer.status_code == 200, answer.content
    doc = answer.json()
    jsonschema.validate(doc, twin(model), format_checker=jsonschema.FormatChecker())
    return model.model_validate(doc)


def test_the_cli_anomalies_and_the_page_twin_are_the_same_findings(
    client_as: Any, web_data: Path
) -> None:
    cli_doc = Anomalies.model_validate(_cli_json(web_data, "anomalies", "--limit", "20"))
    jsonschema.validate(cli_doc.dump(), json_schema(Anomalies))
    site = _twin(client_as("admin"), f"/bat-thuong.json?period={PERIOD}", AnomaliesPage)
    assert Anomalies.model_validate(site.dump()).dump() == cli_doc.dump()  # marks left out
    assert site.open == site.findings == cli_doc.findings  # nothing marked explained yet


def test_the_due_twin_lists_the_librarys_due_dossiers_with_their_stakes(client_as: Any) -> None:
    site = _twin(client_as("admin"), "/sap-qua-han.json?days=10&sort=due", DuePage)
    assert site.dossiers and site.count == len(site.dossiers)
    now = settings.CHISO["CHISO_NOW"]
    library = [d.contract().dump() for d in data.service().query(
        lambda s: due_soon(s, now=now, days=10))]  # fmt: skip
    assert [DueDossier.model_validate(r.dump()).dump() for r in site.dossiers] == library
    assert any(r.points_at_stake for r in site.dossiers)


def test_the_dossier_twin_is_its_contract(client_as: Any) -> None:
    admin = client_as("admin")
    due = _twin(admin, "/sap-qua-han.json", DuePage).dossiers[0]
    page = _twin(admin, f"/ho-so/{due.dossier_code}.json", DossierPage)
    assert page.dossier["dossier_code"] == due.dossier_code
    assert page.dossier["due_at"] == due.due_at
    assert {f.column for f in page.fields} >= {"unit_name", "procedure_code"}
    with pytest.raises(ValueError, match="due_at"):
        DossierPage.model_validate({**page.dump(), "dossier": {"dossier_code": "x"}})


def test_the_cli_reconcile_and_national_and_their_twins_are_the_same_documents(
    client_as: Any, writable_data: Path, tmp_path: Path
) -> None:
    admin = client_as("admin")
    pages = {"reconcile": ("/doi-chieu.json", ReconciliationPage, Reconciliation),
             "national": ("/toan-quoc.json", NationalPage, NationalView)}  # fmt: skip
    for address, page, _ in pages.values():  # no portal scores: the document, empty
        empty = _twin(admin, f"{address}?period={PORTAL_PERIOD}", page)
        assert empty.missing and not getattr(empty, "rows", getattr(empty, "provinces", None))
    import_portal_capture(writable_data, tmp_path / "portal")
    for command, (address, page, contract) in pages.items():
        site = _twin(admin, f"{address}?period={PORTAL_PERIOD}", page)
        assert site.missing is None
        out = CliRunner().invoke(cli, [command, "--data", str(writable_data), "--period",
                                       PORTAL_PERIOD, "--format", "json"])  # fmt: skip
        cli_doc = contract.model_validate(json.loads(out.output))
        assert cli_doc.dump()["rows" if command == "reconcile" else "provinces"]
        assert contract.model_validate(site.dump()).dump() == cli_doc.dump()


DASHBOARD_TWINS: dict[str, tuple[str, type[Contract]]] = {
    "ranking": (f"/xep-hang.json?period={PERIOD}", RankingPage),
    "unit": (f"/don-vi/{ALICE_UNIT}.json?period={PERIOD}", UnitTwin),
    "indicator": (f"/don-vi/{ALICE_UNIT}/chi-so/tien_do.json?period={PERIOD}", IndicatorPage),
    "overview": (f"/tong-quan.json?period={PERIOD}", Overview),
}


@pytest.mark.parametrize("name", sorted(DASHBOARD_TWINS))
def test_a_dashboard_twin_is_its_model_and_publishes_the_models_schema(
    client_as: Any, name: str
) -> None:
    address, model = DASHBOARD_TWINS[name]
    admin = client_as("admin")
    required, keys = _publishes_the_models_schema(admin, address, f"/schemas/{name}.json", model)
    assert {"ok", "status", *required} <= set(admin.get(address).json()) <= {"ok", "status", *keys}


def _publishes_the_models_schema(
    client: Any, address: str, schema: str, model: type[Contract]
) -> tuple[set[str], set[str]]:
    """Check the twin at ``address`` is ``model`` and the schema served at ``schema`` is
    the model's; the model's required keys and all its keys."""
    doc = _twin(client, address, model)  # the real answer: the model's schema and the model
    published = client.get(schema).json()
    assert published == {"$schema": DIALECT, **twin(model)}
    # every key the schema lists is a field of the model (a field removed from the model
    # leaves the schema), and the answer writes no other key
    keys = {f.serialization_alias or k for k, f in model.model_fields.items()}
    required = {
        f.serialization_alias or k for k, f in model.model_fields.items() if f.is_required()
    }
    assert set(published["properties"]) == {"ok", "status", *keys}
    assert set(published["required"]) == {"ok", *required}
    assert model.model_validate(doc.dump()) == doc
    return required, keys


def test_the_unit_twin_carries_the_plan_and_forecast_contracts(client_as: Any) -> None:
    unit = _twin(client_as("admin"), DASHBOARD_TWINS["unit"][0], UnitTwin)
    assert unit.forecast is not None and unit.plan.unit_code == ALICE_UNIT  # a running month
    lost = {i.code: i.lost for i in unit.unit.indicators if i.lost}
    assert {i.code: i.lost for g in unit.lost_by_group for i in g.indicators} == lost


def test_the_cli_forecast_is_its_published_contract(web_data: Path) -> None:
    doc = _cli_json(web_data, "forecast", "--draws", "20")
    jsonschema.validate(doc, schema_document("forecast"))
    found = Forecasts.model_validate(doc)
    assert found.period == PERIOD and found.units
    assert found.dump() == doc  # the model writes every key the command prints


PUBLIC_TWINS: dict[str, tuple[str, type[Contract]]] = {
    "ranking": ("/cong-khai/xep-hang.json", PublicRanking),
    "unit": (f"/cong-khai/don-vi/{ALICE_UNIT}.json", PublicUnitPage),
    "catalogue": ("/cong-khai/du-lieu.json", OpenDataCatalogue),
}


@pytest.fixture
def published(client_as: Any) -> None:
    """August and September 2026 published, September twice (version 1 superseded)."""
    admin = client_as("admin")
    index_set = settings.CHISO["CHISO_INDEX_SET"]
    for period, note in (("2026-08", ""), ("2026-09", ""), ("2026-09", "bổ sung hồ sơ muộn")):
        answer = admin.post(f"/cong-bo/{period}/cong-bo/", {"index_set": index_set, "note": note})
        assert answer.status_code == 302


@pytest.mark.usefixtures("published")
@pytest.mark.parametrize("name", sorted(PUBLIC_TWINS))
def test_a_public_twin_is_its_model_and_publishes_the_models_schema(client: Any, name: str) -> None:
    address, model = PUBLIC_TWINS[name]
    schema = f"/cong-khai/schemas/{name}.json"
    _, keys = _publishes_the_models_schema(client, address, schema, model)
    assert set(client.get(address).json()) == {"ok", "status", *keys}  # every key written
    if name != "catalogue":  # the superseded version of the month, too
        old = _twin(client, f"{address}?period=2026-09&version=1", model)
        assert (old.version, old.version_status, old.current) == (1, "superseded", False)


@pytest.mark.usefixtures("published")
def test_the_catalogue_lists_every_version_with_addresses_that_answer(client: Any) -> None:
    catalogue = _twin(client, "/cong-khai/du-lieu.json", OpenDataCatalogue)
    got = [(s.period, s.version, s.version_status) for s in catalogue.snapshots]
    assert got == [("2026-09", 2, "published"), ("2026-09", 1, "superseded"),
                   ("2026-08", 1, "published")]  # fmt: skip
    for snap in catalogue.snapshots:
        ranking = _twin(client, snap.json_address, PublicRanking)
        assert (ranking.period, ranking.version) == (snap.period, snap.version)
    with pytest.raises(ValueError, match="version_status"):
        PublicRanking.model_validate({**ranking.dump(), "version_status": "draft"})


@pytest.mark.usefixtures("published")
def test_a_snapshot_published_before_has_data_serves_and_validates(client: Any) -> None:
    pub = Publication.objects.get(period="2026-09", version=1)
    old = [{k: v for k, v in u.items() if k != "has_data"} for u in pub.payload["units"]]
    Publication.objects.filter(pk=pub.pk).update(payload={**pub.payload, "units": old})
    cache.clear()
    query = "?period=2026-09&version=1"
    ranking = _twin(client, f"{PUBLIC_TWINS['ranking'][0]}{query}", PublicRanking)
    assert ranking.units and all(u.has_data for u in ranking.units)
    unit = _twin(client, f"{PUBLIC_TWINS['unit'][0]}{query}", PublicUnitPage)
    assert unit.unit.unit_code == ALICE_UNIT and unit.unit.has_data is True
    assert client.get(f"{PUBLIC_TWINS['unit'][0]}{query}").json()["unit"]["has_data"] is True
