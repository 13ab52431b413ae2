"""click's own usage errors speak the catalogue's language (issue #15): a mistyped
command, an unknown option, a missing argument or a bad value is explained in Vietnamese
by default and in English with ``CHISO_LANG=en``; every message the installed click can
show a user is listed for the catalogue."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from click.testing import CliRunner

from chiso.cli import cli, click_words


def _usage_error(*args: str, lang: str | None = None) -> str:
    result = CliRunner().invoke(cli, list(args), env={"CHISO_LANG": lang}, prog_name="chiso")
    assert result.exit_code == 2, result.output
    return " ".join(result.output.split())


def test_a_mistyped_command_is_explained_in_vietnamese() -> None:
    said = _usage_error("scor")
    assert "Lỗi: Không có lệnh 'scor'. Có phải ý bạn là 'score'?" in said
    assert "Xem hướng dẫn: 'chiso --help'." in said
    assert "No such" not in said and "Try" not in said


@pytest.mark.parametrize(
    ("args", "vietnamese"),
    [
        (["score", "--bogus"], "Không có tùy chọn '--bogus'."),
        (["import", "dossiers"], "Thiếu tham số 'FILES...'."),
        (["score", "--backend", "oracle"], "Giá trị không hợp lệ cho '--backend': 'oracle'"),
        (["score", "--period"], "Tùy chọn '--period' cần 1 giá trị đi kèm."),
    ],
)
def test_usage_errors_are_vietnamese(args: list[str], vietnamese: str) -> None:
    said = _usage_error(*args)
    assert f"Lỗi: {vietnamese}" in said
    assert "Error" not in said and "Usage" not in said and "Try" not in said


def test_english_stays_available() -> None:
    said = _usage_error("scor", lang="en")
    assert "Error: No such command 'scor'." in said and "Try 'chiso --help' for help." in said


def _marked(path: Path) -> set[str]:
    keywords = {"_": None, "N_": None, "ngettext": (1, 2)}
    found = set()
    for _line, message, _comments, _context in extract_from_file("python", path, keywords):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_message_click_can_show_is_in_the_catalogue_list() -> None:
    clicks = set()
    for name in click_words.CLICK_MODULES:
        clicks |= _marked(Path(importlib.import_module(name).__file__ or ""))
    listed = _marked(Path(click_words.__file__))
    missing = clicks - listed - click_words.NOT_SHOWN
    assert not missing, f"click marks messages chiso does not list: {sorted(missing)}"
