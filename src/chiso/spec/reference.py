"""The index-set reference of ``docs/index-set-reference.md``, rendered by cog.

Every model of :mod:`chiso.spec.models` reachable from :class:`IndexSetModel`, with its
fields (YAML name, type, required or default, allowed values, description), then the
formula functions and the period variables.  ``make docs`` runs cog over the file, whose
cog block calls :func:`index_set_reference`; ``tests/test_index_set_reference.py`` fails
when the file is out of date or a field or function has no description.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator, Sequence
from datetime import date
from decimal import Decimal
from enum import Enum
from types import NoneType, UnionType
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import annotated_types
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from chiso.domain.records import PERIOD_VARIABLES
from chiso.spec.formula import AGGREGATES, FUNCTION_HELP, PERIOD_VARIABLE_HELP, ROW_FUNCTIONS
from chiso.spec.models import IndexSetModel

_SCALARS: dict[Any, str] = {
    str: "text",
    int: "integer",
    bool: "boolean",
    Decimal: "number",
    date: "date (YYYY-MM-DD)",
}


def reachable_models(root: type[BaseModel] = IndexSetModel) -> list[type[BaseModel]]:
    """``root`` and every model its fields name, depth first in field order, each once."""
    seen: list[type[BaseModel]] = []

    def visit(model: type[BaseModel]) -> None:
        if model in seen:
            return
        seen.append(model)
        for field in model.model_fields.values():
            for inner in _leaves(field.annotation):
                if isinstance(inner, type) and issubclass(inner, BaseModel):
                    visit(inner)

    visit(root)
    return seen


def _leaves(tp: Any) -> Iterator[Any]:
    """The non-generic types inside an annotation (``list[A] | B`` → A, B)."""
    if get_origin(tp) is Literal:
        yield tp
        return
    args = get_args(tp)
    if not args:
        yield tp
        return
    for arg in args[1:] if get_origin(tp) is Annotated else args:
        yield from _leaves(arg)


def _type_text(tp: Any) -> str:
    origin, args = get_origin(tp), get_args(tp)
    if origin is Annotated:
        return _type_text(args[0])
    if origin in (Union, UnionType):
        parts = [_type_text(a) for a in args if a is not NoneType]
        return " or ".join(parts + (["null"] if NoneType in args else []))
    if origin is Literal:
        return "text"
    if origin is list:
        return f"list of {_type_text(args[0])}"
    if origin is dict:
        return f"mapping {_type_text(args[0])} → {_type_text(args[1])}"
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return f"[{tp.__name__}](#{tp.__name__.lower()})"
    if isinstance(tp, type) and issubclass(tp, Enum):
        return f"{tp.__name__} (text)"
    return _SCALARS[tp]


def _values(tp: Any) -> list[str]:
    """Allowed values of the Literals and enums in an annotation, in order."""
    out: list[str] = []
    for leaf in _leaves(tp):
        if get_origin(leaf) is Literal:
            out += [str(v) for v in get_args(leaf)]
        elif isinstance(leaf, type) and issubclass(leaf, Enum):
            out += [str(member.value) for member in leaf]
    return out


def _constraints(metadata: list[Any], tp: Any) -> list[str]:
    """Readable bounds, lengths and patterns of a field."""
    arms = get_args(tp) if get_origin(tp) in (Union, UnionType) else (tp,)
    unit = "item" if any(get_origin(arm) is list for arm in arms) else "character"
    texts = []
    for item in metadata:
        match item:
            case annotated_types.Ge(ge=bound):
                texts.append(f"≥ {bound}")
            case annotated_types.Gt(gt=bound):
                texts.append(f"> {bound}")
            case annotated_types.Le(le=bound):
                texts.append(f"≤ {bound}")
            case annotated_types.MinLen(min_length=n):
                texts.append(f"at least {n} {unit}{'s' if n > 1 else ''}")
            case annotated_types.MaxLen(max_length=n):
                texts.append(f"at most {n} {unit}s")
            case _ if getattr(item, "pattern", None):
                texts.append(f"matches `{item.pattern}`")
    return texts


def _allowed(field: FieldInfo) -> str:
    """Allowed values and constraints; a mapping's are those of its keys."""
    tp = field.annotation
    if get_origin(tp) is dict:
        key = get_args(tp)[0]
        inner = get_args(key)[1:] if get_origin(key) is Annotated else ()
        metadata = [m for info in inner for m in getattr(info, "metadata", [info])]
        found = [f"`{v}`" for v in _values(key)] + _constraints(metadata, key)
        return "keys: " + ", ".join(found) if found else ""
    found = [f"`{v}`" for v in _values(tp)] + _constraints(field.metadata, tp)
    return ", ".join(found)


def _yaml(value: Any) -> str:
    """A default as it would be written in YAML (flow style)."""
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="json", by_alias=True)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_yaml(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_yaml(v) for v in value) + "]"
    return str(value)


def _default_text(field: FieldInfo) -> str:
    if field.is_required():
        return "required"
    factory = field.default_factory
    default = factory() if factory is not None else field.default  # type: ignore[call-arg]
    return f"`{_yaml(default)}`"


def field_rows(model: type[BaseModel]) -> list[tuple[str, str, str, str, str]]:
    """One row per field: YAML name, type, required or default, allowed values, description."""
    rows = []
    for name, field in model.model_fields.items():
        rows.append(
            (
                f"`{field.alias or name}`",
                _type_text(field.annotation),
                _default_text(field),
                _allowed(field),
                field.description or "",
            )
        )
    return rows


def _table(header: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in rows]
    return lines


def _model_section(model: type[BaseModel]) -> list[str]:
    doc = inspect.cleandoc(model.__doc__ or "").replace("``", "`")
    header = ("field", "type", "required / default", "allowed values", "description")
    return [f"### {model.__name__}", "", doc, "", *_table(header, field_rows(model)), ""]


def _functions_section() -> list[str]:
    rows = [
        (f"`{FUNCTION_HELP[name][0]}`", kind, FUNCTION_HELP[name][1])
        for kind, registry in (("aggregate", AGGREGATES), ("row", ROW_FUNCTIONS))
        for name in registry
    ]
    return [
        "### Functions",
        "",
        "Aggregates may appear only in measure values; row functions anywhere.",
        "",
        *_table(("function", "kind", "meaning"), rows),
        "",
    ]


def _period_section() -> list[str]:
    rows = [
        (f"`{name}`", str(kind), PERIOD_VARIABLE_HELP[name])
        for name, kind in PERIOD_VARIABLES.items()
    ]
    return ["### Period variables", "", *_table(("name", "type", "meaning"), rows), ""]


def index_set_reference() -> str:
    """Markdown: a section per model, then the formula functions and the period variables.

    Examples:
        >>> text = index_set_reference()
        >>> "### IndexSetModel" in text and "`working_days(a, b)`" in text
        True
    """
    lines = ["## Models", "", "The document is an [IndexSetModel](#indexsetmodel).", ""]
    for model in reachable_models():
        lines += _model_section(model)
    lines += ["## Formulas", "", *_functions_section(), *_period_section()]
    return "\n".join(lines)
