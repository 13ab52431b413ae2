"""The rule file: shipped rules load, a province's file tunes them, mistakes name the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from chiso.anomalies.rules import RULE_IDS, load_rules
from chiso.errors import UserError
from chiso.synth.inject import PATTERNS


def test_every_shipped_rule_has_a_question_a_reason_and_thresholds() -> None:
    rules = load_rules()
    assert list(rules.rules) == list(RULE_IDS)
    for rule in rules.rules.values():
        assert rule.question(count=14, share="40", province_share="5").startswith("Vì sao")
        assert rule.question(count=14, share="", province_share="").endswith("?")
        assert len(rule.reason) > 80


def test_the_generator_injects_every_rule() -> None:
    assert sorted(PATTERNS) == sorted(RULE_IDS)


def test_a_province_file_tunes_a_threshold_and_switches_a_rule_off(tmp_path: Path) -> None:
    own = tmp_path / "rules.yaml"
    own.write_text(
        "rules:\n  off_hours_direct: {thresholds: {closes: '18:00'}}\n"
        "  code_date: {enabled: false}\n",
        encoding="utf-8",
    )
    rules = load_rules(own)
    assert rules["off_hours_direct"].thresholds.closes == "18:00"
    assert rules["off_hours_direct"].thresholds.opens == "07:00"
    assert "code_date" not in [r.id for r in rules.enabled()]
    assert rules.source == str(own)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("rules:\n  same_minutes: {enabled: false}\n", "quy tắc không biết: same_minutes"),
        ("rules:\n  same_minute: {thresholds: {max_minute: 3}}\n", "max_minute"),
        ("rules:\n  same_minute: {thresholds: {max_minutes: 0}}\n", "max_minutes"),
        ("rules:\n  off_hours_direct: {thresholds: {opens: '7h'}}\n", "HH:MM"),
        ("rules:\n  code_date: {title: 'Vì sao {count} hồ sơ {nothing}?'}\n", "{nothing}"),
        ("rules:\n  code_date: {severity: critical}\n", "severity"),
        ("rule: {}\n", "khóa không biết rule"),
    ],
)
def test_a_mistake_names_the_file_and_what_is_wrong(
    tmp_path: Path, text: str, message: str
) -> None:
    own = tmp_path / "rules.yaml"
    own.write_text(text, encoding="utf-8")
    with pytest.raises(UserError) as caught:
        load_rules(own)
    assert str(own) in caught.value.message
    assert message in caught.value.message


def test_a_missing_file_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="không tìm thấy tệp quy tắc"):
        load_rules(tmp_path / "absent.yaml")
