"""docs/index-set-reference.md is generated from the models (cog), complete and up to date."""

from __future__ import annotations

import json
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Literal

from click.testing import CliRunner
from cogapp import Cog
from pydantic import BaseModel, Field

from chiso.cli import cli
from chiso.domain.records import PERIOD_VARIABLES
from chiso.spec.formula import AGGREGATES, FUNCTION_HELP, PERIOD_VARIABLE_HELP, ROW_FUNCTIONS
from chiso.spec.models import ScoringModel, StepBandModel
from chiso.spec.reference import field_rows, index_set_reference, reachable_models

ROOT = Path(__file__).resolve().parent.parent
REFERENCE_MD = ROOT / "docs" / "index-set-reference.md"


def test_docs_index_set_reference_md_is_what_make_docs_generates() -> None:
    code = Cog().main(["cog", "--check", "--diff", str(REFERENCE_MD)])
    assert code == 0, "docs/index-set-reference.md is out of date: run `make docs`"


def test_schemas_index_set_schema_json_is_what_chiso_schema_prints() -> None:
    printed = CliRunner().invoke(cli, ["schema"]).output
    committed = (ROOT / "schemas" / "index_set.schema.json").read_text(encoding="utf-8")
    assert json.loads(committed) == json.loads(printed), "run `make schema` and commit the file"


def test_every_model_and_field_of_the_yaml_has_a_description() -> None:
    models = reachable_models()
    assert ScoringModel in models and StepBandModel in models
    undocumented = [m.__name__ for m in models if not (m.__doc__ or "").strip()]
    undocumented += [
        f"{m.__name__}.{name}"
        for m in models
        for name, field in m.model_fields.items()
        if not (field.description or "").strip()
    ]
    assert not undocumented, f"add a description (Field(description=...)) to: {undocumented}"


def test_every_formula_function_and_period_variable_has_a_description() -> None:
    functions = [*AGGREGATES, *ROW_FUNCTIONS]
    assert sorted(FUNCTION_HELP) == sorted(functions), "FUNCTION_HELP must list every function"
    for name in functions:
        signature, meaning = FUNCTION_HELP[name]
        assert signature.startswith(f"{name}(") and meaning.strip(), name
    assert sorted(PERIOD_VARIABLE_HELP) == sorted(PERIOD_VARIABLES)
    assert all(text.strip() for text in PERIOD_VARIABLE_HELP.values())


def test_the_reference_names_every_field_function_and_period_variable() -> None:
    text = index_set_reference()
    for model in reachable_models():
        assert f"### {model.__name__}\n" in text
        for name, field in model.model_fields.items():
            assert f"| `{field.alias or name}` |" in text, f"{model.__name__}.{name}"
    for signature, _ in FUNCTION_HELP.values():
        assert f"| `{signature}` |" in text
    for name in PERIOD_VARIABLES:
        assert f"| `{name}` | timestamp |" in text


class _Colour(StrEnum):
    """A colour."""

    RED = "red"
    BLUE = "blue"


class _Inner(BaseModel):
    """An inner model."""

    size: Decimal = Field(gt=0, le=1, description="a share")


class _Outer(BaseModel):
    """An outer model."""

    kind: Literal["a", "b"] = Field(description="the kind")
    colours: list[_Colour] | None = Field(None, min_length=2, description="some colours")
    inner: _Inner = Field(_Inner(size=Decimal("0.5")), description="nested")
    by_colour: dict[_Colour, str] = Field(default_factory=dict, description="per colour")
    from_: str = Field(alias="from", description="aliased")


def test_rows_show_types_defaults_allowed_values_and_yaml_names() -> None:
    assert reachable_models(_Outer) == [_Outer, _Inner]
    assert field_rows(_Outer) == [
        ("`kind`", "text", "required", "`a`, `b`", "the kind"),
        (
            "`colours`",
            "list of _Colour (text) or null",
            "`null`",
            "`red`, `blue`, at least 2 items",
            "some colours",
        ),
        ("`inner`", "[_Inner](#_inner)", "`{size: 0.5}`", "", "nested"),
        (
            "`by_colour`",
            "mapping _Colour (text) → text",
            "`{}`",
            "keys: `red`, `blue`",
            "per colour",
        ),
        ("`from`", "text", "required", "", "aliased"),
    ]
    assert field_rows(_Inner) == [("`size`", "number", "required", "> 0, ≤ 1", "a share")]
