"""The shipped rating survey: questions, validation of answers, the satisfied rule."""

from __future__ import annotations

import unicodedata

import pytest
from pydantic import ValidationError

from chiso.errors import UserError
from chiso.spec.loader import shipped_ids
from chiso.surveys import Survey, load_survey, shipped_surveys, survey_for


def test_every_shipped_index_set_has_a_survey() -> None:
    for code in shipped_ids():
        assert survey_for(code).questions


def test_labels_are_nfc_vietnamese() -> None:
    survey = load_survey("hai-long-ho-so")
    texts = [survey.title, survey.intro] + [q.label for q in survey.questions]
    texts += [c.label for q in survey.questions for c in q.choices]
    assert all(unicodedata.normalize("NFC", t) == t for t in texts)
    assert "hài lòng" in survey.questions[0].label


@pytest.mark.parametrize(
    ("answer", "satisfied"),
    [
        ("rat_hai_long", True),
        ("hai_long", True),
        ("binh_thuong", True),
        ("khong_hai_long", False),
        ("rat_khong_hai_long", False),
    ],
)
def test_satisfied_follows_the_overall_answer(answer: str, satisfied: bool) -> None:
    survey = survey_for("dienbien-459-2023")
    answers = survey.check({"tong_the": answer, "thai_do": "chua_tot"})
    assert survey.satisfied(answers) is satisfied


def test_check_keeps_known_answers_and_drops_blanks_and_strangers() -> None:
    survey = survey_for("dienbien-459-2023")
    got = survey.check({"tong_the": "hai_long", "thoi_gian": "", "ho_ten": "Nguyễn Văn A"})
    assert got == {"tong_the": "hai_long"}
    assert survey.labels(got) == [(survey.questions[0].label, "Hài lòng")]


def test_missing_overall_answer_names_the_question() -> None:
    survey = survey_for("dienbien-459-2023")
    with pytest.raises(UserError, match="chưa có câu trả lời") as err:
        survey.check({"thoi_gian": "dung_hen"})
    assert "Nhìn chung" in err.value.message


def test_unknown_answer_is_refused() -> None:
    survey = survey_for("dienbien-459-2023")
    with pytest.raises(UserError, match="Thái độ"):
        survey.check({"tong_the": "hai_long", "thai_do": "tuyet_voi"})


def test_unknown_index_set_and_survey_are_user_errors() -> None:
    with pytest.raises(UserError, match="chưa có phiếu khảo sát đánh giá"):
        survey_for("khong-co")
    with pytest.raises(UserError, match="không có phiếu khảo sát"):
        load_survey("khong-co")
    assert "hai-long-ho-so" in shipped_surveys()


def test_survey_definition_is_checked() -> None:
    question = {
        "code": "tong_the",
        "label": "Hài lòng?",
        "required": True,
        "choices": [{"code": "co", "label": "Có"}, {"code": "khong", "label": "Không"}],
    }
    base = {"code": "s", "title": "T", "overall": "tong_the", "questions": [question]}
    assert Survey.model_validate({**base, "unsatisfied": ["khong"]}).overall == "tong_the"
    with pytest.raises(ValidationError, match="not a choice"):
        Survey.model_validate({**base, "unsatisfied": ["te"]})
    with pytest.raises(ValidationError, match="must exist"):
        Survey.model_validate({**base, "overall": "x", "unsatisfied": ["khong"]})
