"""Load index-set YAML: stamp every value with its line, validate, collect all issues.

The pipeline is structure (pydantic) → semantic rules → canonical form
(:mod:`chiso.spec.canonical`).  Every problem is collected as an
:class:`~chiso.spec.issues.Issue` with file and line; nothing stops at the
first error.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from chiso.errors import SpecError, UserError
from chiso.i18n import _
from chiso.spec.canonical import IndexSet, canonicalise
from chiso.spec.issues import Issue
from chiso.spec.models import IndexSetModel
from chiso.spec.rules import check_all

LinePath = tuple[str | int, ...]

#: pydantic error types → plain sentences (one table, used for every message).
_PYDANTIC_SENTENCES = {
    "missing": "the required field is missing",
    "extra_forbidden": "this field is not part of an index set",
    "literal_error": "the value is not one of the allowed choices",
    "enum": "the value is not one of the allowed choices",
    "string_pattern_mismatch": "the code must be ASCII snake_case (a-z, 0-9, _)",
    "greater_than_equal": "the value is too small",
    "less_than_equal": "the value is too large",
    "greater_than": "the value must be larger",
    "too_short": "the list must not be empty",
    "date_from_datetime_parsing": "the value must be a date like 2023-03-24",
    "date_parsing": "the value must be a date like 2023-03-24",
    "decimal_parsing": "the value must be a number",
}


class _Lines:
    """Maps a path inside the YAML document to the line it was written on."""

    def __init__(self) -> None:
        self.lines: dict[LinePath, int] = {}

    def line(self, path: LinePath) -> int | None:
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), None)


#: Builds scalar values (dates, numbers, booleans) exactly as yaml.safe_load would.
_SCALARS = yaml.SafeLoader("")


def _construct(node: yaml.Node, path: LinePath, lines: _Lines, file: str) -> Any:
    lines.lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _SCALARS.construct_object(key_node)  # type: ignore[no-untyped-call]
            if key in out:
                raise UserError(
                    _("{file}:{value}: key “{key}” appears twice").format(
                        file=file, value=key_node.start_mark.line + 1, key=key
                    ),
                    hint=_("remove one of the two entries"),
                )
            out[key] = _construct(value_node, (*path, str(key)), lines, file)
            lines.lines[(*path, str(key))] = key_node.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_construct(v, (*path, i), lines, file) for i, v in enumerate(node.value)]
    return _SCALARS.construct_object(node)  # type: ignore[no-untyped-call]


def _read(text: str, file: str) -> tuple[Any, _Lines]:
    lines = _Lines()
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        raise UserError(
            _("{file}{line}: not valid YAML ({problem})").format(
                file=file, line=line, problem=getattr(exc, "problem", exc)
            ),
            hint=_("check indentation and quoting; formulas with ':' need quotes"),
        ) from None
    if node is None:
        raise UserError(
            _("{file}: the file is empty").format(file=file),
            hint=_("start from an index set in docs"),
        )
    return _construct(node, (), lines, file), lines


def _pydantic_issues(exc: ValidationError, lines: _Lines, file: str) -> Iterator[Issue]:
    for err in exc.errors():
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p[:1].isupper()))
        loc = tuple(p for p in loc if p not in ("str", "MeasureModel", "ScoringModel"))
        sentence = _PYDANTIC_SENTENCES.get(err["type"], err["msg"])
        field = ".".join(str(p) for p in loc) or "<top>"
        yield Issue(
            "error",
            f"schema-{err['type']}",
            f"{field}: {sentence}",
            file,
            lines.line(tuple(str(p) if isinstance(p, str) else p for p in loc)),
            hint=err["msg"] if sentence != err["msg"] else None,
        )


def validate_text(text: str, *, file: str = "<string>") -> tuple[IndexSet | None, list[Issue]]:
    """Validate index-set YAML text; return the canonical index set (if valid) and issues."""
    data, lines = _read(text, file)
    try:
        model = IndexSetModel.model_validate(data)
    except ValidationError as exc:
        return None, _dedupe(_pydantic_issues(exc, lines, file))
    issues = check_all(model, file=file, line_of=lines.line)
    if any(i.level == "error" for i in issues):
        return None, issues
    return canonicalise(model, source=file), issues


def _dedupe(issues: Iterator[Issue]) -> list[Issue]:
    seen: dict[tuple[str, str, int | None], Issue] = {}
    for issue in issues:
        seen.setdefault((issue.code, issue.message, issue.line), issue)
    return list(seen.values())


def validate_file(path: Path) -> tuple[IndexSet | None, list[Issue]]:
    """Validate one index-set file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise UserError(
            _("cannot read index set “{path}”: {strerror}").format(
                path=str(path), strerror=exc.strerror
            ),
            hint=_("give the path of an index_set.yaml or a shipped id (chiso validate --list)"),
        ) from None
    return validate_text(text, file=str(path))


def load_index_set(ref: str | Path) -> IndexSet:
    """Load a shipped index set by id (``dienbien-459-2023``) or a YAML file by path.

    Raises:
        SpecError: with every issue, when the definition has errors.
        UserError: when the id or file does not exist.
    """
    path = Path(ref)
    if not (path.suffix in (".yaml", ".yml") or path.exists()):
        path = _shipped_path(str(ref))
    index_set, issues = validate_file(path)
    if index_set is None:
        raise SpecError(issues)
    return index_set


def load_for_period(ids: Sequence[str], first: date, last: date) -> IndexSet:
    """The index set of ``ids`` that applies to the period from ``first`` to ``last``
    (inclusive): the one valid on ``last``, else the latest that is valid on some day of
    the period (``valid_from``/``valid_to``).

    Raises:
        UserError: none of them applies to the period.
    """
    loaded = [load_index_set(i) for i in ids]
    overlapping = [
        s for s in loaded
        if s.valid_from <= last and (s.valid_to is None or s.valid_to >= first)
    ]  # fmt: skip
    on_last = [s for s in overlapping if s.valid_to is None or s.valid_to >= last]
    chosen = max(on_last or overlapping, key=lambda s: s.valid_from, default=None)
    if chosen is None:
        spans = "; ".join(
            (
                _("{id} from {start:%d/%m/%Y} to {end:%d/%m/%Y}")
                if s.valid_to
                else _("{id} from {start:%d/%m/%Y}")
            ).format(id=s.id, start=s.valid_from, end=s.valid_to)
            for s in loaded
        )
        raise UserError(
            _(
                "no index set applies to the period {first:%d/%m/%Y}–{last:%d/%m/%Y} ({spans})"
            ).format(first=first, last=last, spans=spans),
            hint=_("choose a period within their time of application, or name --index-set"),
        )
    return chosen


def shipped_ids() -> list[str]:
    """Return the ids of the index sets shipped with chiso."""
    return list(_shipped_ids())


@functools.cache
def _shipped_ids() -> tuple[str, ...]:
    """Listed once per process: the index sets ship with the code (the site asks for
    every request that takes an index set)."""
    root = resources.files("chiso") / "index_sets"
    return tuple(sorted(p.name for p in root.iterdir() if (p / "index_set.yaml").is_file()))


@functools.cache
def _shipped_path(index_id: str) -> Path:
    root = resources.files("chiso") / "index_sets"
    candidate = root / index_id / "index_set.yaml"
    if not candidate.is_file():
        from chiso.spec.typecheck import did_you_mean

        raise UserError(
            _("no index set called “{index_id}”").format(index_id=index_id),
            hint=did_you_mean(index_id, shipped_ids())
            or _("shipped index sets: {names}").format(names=", ".join(shipped_ids())),
        )
    return Path(str(candidate))
