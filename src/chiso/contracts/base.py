"""What every contract model shares: aliases for keys that are Python keywords, keys left
out when empty, and the published form of its JSON Schema."""

from __future__ import annotations

from typing import Any

from pydantic import AliasChoices, BaseModel, ConfigDict

#: the ``class`` key (a Python keyword): the field is ``grade``, its JSON key ``class``
CLASS_IN = AliasChoices("class", "grade")
DIALECT = "https://json-schema.org/draft/2020-12/schema"


def omitted_when_none(value: object) -> bool:
    """``exclude_if`` of a key written only when it has a value (``note``)."""
    return value is None


def omitted_when_empty(value: object) -> bool:
    """``exclude_if`` of a list written only when it has items (``quality_flags``)."""
    return not value


class Contract(BaseModel):
    """A JSON document (or a part of one) that chiso publishes.

    A key written only when it has a value (``note``, as the JSON always did) is a field
    with ``exclude_if=omitted_when_none``; the schema lists it as optional.
    """

    model_config = ConfigDict(
        populate_by_name=True, serialize_by_alias=True, validate_by_name=True, frozen=True
    )

    def dump(self) -> dict[str, Any]:
        """The JSON document (plain dictionaries, lists, numbers and strings)."""
        out: dict[str, Any] = self.model_dump(mode="json")
        return out


def _inline(node: Any, defs: dict[str, Any]) -> Any:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            rest = {k: v for k, v in node.items() if k != "$ref"}
            return {**_inline(defs[ref.removeprefix("#/$defs/")], defs), **_inline(rest, defs)}
        return {k: _inline(v, defs) for k, v in node.items()}
    if isinstance(node, list):
        return [_inline(v, defs) for v in node]
    return node


def json_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The model's JSON Schema (draft 2020-12) with every ``$ref``
    written in place, so that it can be embedded in a larger schema or an OpenAPI
    component as it is."""
    schema = model.model_json_schema(by_alias=True, mode="validation")
    defs = schema.pop("$defs", {})
    inlined: dict[str, Any] = _inline(schema, defs)
    return inlined
