"""Citizen satisfaction surveys: the questions of a rating form and how they score.

A survey (``data/surveys/<code>.yaml``) lists its questions, each with a fixed set of
answers, names the *overall* question and the answers of it that count as "not
satisfied".  The canonical ``ratings.satisfied`` column is derived from the overall
answer alone (:meth:`Survey.satisfied`), so every channel — QR, kiosk, paper — feeds the
index sets' ``rating.satisfied`` in the same way.  Pure: no I/O beyond reading the YAML.

Examples:
    >>> survey = survey_for("dienbien-459-2023")
    >>> survey.satisfied(survey.check({"tong_the": "binh_thuong"}))
    True
    >>> survey.satisfied({"tong_the": "khong_hai_long"})
    False
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from importlib import resources

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from chiso.errors import UserError
from chiso.i18n import _

__all__ = ["Choice", "Question", "Survey", "load_survey", "shipped_surveys", "survey_for"]

CODE = r"^[a-z][a-z0-9_-]*$"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Choice(_Model):
    """One answer of a question."""

    code: str = Field(pattern=CODE)
    label: str = Field(min_length=1)


class Question(_Model):
    """One question with its answers (one may be chosen)."""

    code: str = Field(pattern=CODE)
    label: str = Field(min_length=1)
    required: bool = False
    choices: tuple[Choice, ...] = Field(min_length=2)

    def choice(self, code: str) -> Choice | None:
        """The answer ``code`` of this question, or None."""
        return next((c for c in self.choices if c.code == code), None)


class Survey(_Model):
    """A rating form: questions, the overall one, and its unsatisfied answers."""

    code: str = Field(pattern=CODE)
    title: str
    intro: str = ""
    index_sets: tuple[str, ...] = ()
    overall: str
    unsatisfied: tuple[str, ...] = Field(min_length=1)
    questions: tuple[Question, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> Survey:
        codes = [q.code for q in self.questions]
        if len(set(codes)) != len(codes):
            raise ValueError("question codes must be unique")
        overall = self.question(self.overall)
        if overall is None or not overall.required:
            raise ValueError(f"overall question {self.overall!r} must exist and be required")
        wrong = [c for c in self.unsatisfied if overall.choice(c) is None]
        if wrong:
            raise ValueError(f"unsatisfied answer {wrong[0]!r} is not a choice of {self.overall}")
        return self

    def question(self, code: str) -> Question | None:
        """The question ``code``, or None."""
        return next((q for q in self.questions if q.code == code), None)

    def check(self, answers: Mapping[str, str]) -> dict[str, str]:
        """The answers to this survey's questions (others ignored, blanks dropped).

        Raises:
            UserError: a required question is unanswered or an answer is not one of its
                choices (the message names the question, in Vietnamese).
        """
        out: dict[str, str] = {}
        for q in self.questions:
            value = (answers.get(q.code) or "").strip()
            if not value:
                if q.required:
                    raise UserError(
                        _("The question “{label}” has no answer.").format(label=q.label),
                        hint=_("Choose one of the answers of this question."),
                    )
                continue
            if q.choice(value) is None:
                raise UserError(
                    _("The answer to the question “{label}” is not valid.").format(label=q.label),
                    hint=_("Choose again one of the answers offered."),
                )
            out[q.code] = value
        return out

    def satisfied(self, answers: Mapping[str, str]) -> bool:
        """The canonical ``satisfied`` value: the overall answer is not an unsatisfied one."""
        return answers.get(self.overall) not in self.unsatisfied

    def labels(self, answers: Mapping[str, str]) -> list[tuple[str, str]]:
        """(question label, answer label) of the given answers, in question order."""
        out = []
        for q in self.questions:
            choice = q.choice(answers.get(q.code, ""))
            if choice is not None:
                out.append((q.label, choice.label))
        return out


def _folder() -> resources.abc.Traversable:
    return resources.files("chiso") / "data" / "surveys"


def shipped_surveys() -> list[str]:
    """Codes of the shipped surveys."""
    return sorted(
        p.name.removesuffix(".yaml") for p in _folder().iterdir() if p.name.endswith(".yaml")
    )


@functools.cache
def load_survey(code: str) -> Survey:
    """A shipped survey by code.

    Raises:
        UserError: no such survey, or its YAML is malformed.
    """
    path = _folder() / f"{code}.yaml"
    if not path.is_file():
        raise UserError(
            _("no survey “{code}”").format(code=code),
            hint=_("shipped: {names}").format(names=", ".join(shipped_surveys())),
        )
    try:
        return Survey.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (yaml.YAMLError, ValidationError) as exc:
        raise UserError(
            _("survey “{code}” is malformed: {exc}").format(code=code, exc=exc)
        ) from None


def survey_for(index_set_id: str) -> Survey:
    """The survey whose ``index_sets`` lists ``index_set_id``.

    Raises:
        UserError: no shipped survey names that index set.
    """
    for code in shipped_surveys():
        survey = load_survey(code)
        if index_set_id in survey.index_sets:
            return survey
    raise UserError(
        _("no rating survey for index set “{index_set_id}”").format(index_set_id=index_set_id),
        hint=_("add the index set to `index_sets` of a survey in chiso/data/surveys/"),
    )
