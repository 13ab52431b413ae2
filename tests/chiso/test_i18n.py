"""The message catalogue (ADR 0008): Vietnamese by default, English with CHISO_LANG=en,
and the lint check that refuses a stale or incomplete catalogue."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from chiso.checks import check_report
from chiso.cli import cli
from chiso.i18n import _, language, using

ROOT = Path(__file__).resolve().parents[2]
SEED_002 = ROOT / "tests/fixtures/seeds/002_ee793537c5050589.txt"
PO = "vi/LC_MESSAGES/chiso.po"


def test_check_report_speaks_vietnamese_by_default_and_english_on_request() -> None:
    runner = CliRunner()
    vi = runner.invoke(cli, ["check-report", str(SEED_002)], env={"CHISO_LANG": None})
    en = runner.invoke(cli, ["check-report", str(SEED_002)], env={"CHISO_LANG": "en"})
    assert vi.exit_code == en.exit_code == 1
    assert vi.output.splitlines()[-1] == "12 lỗi, 6 cảnh báo"
    assert en.output.splitlines()[-1] == "12 errors, 6 warnings"
    assert "kỳ đánh giá tháng 9/2023, đơn vị báo cáo UBND huyện Tuần Giáo" in vi.output
    assert "2023-09" not in vi.output and "dienbien-459-2023" not in vi.output
    assert "dòng 27: lỗi [hồ sơ trễ hạn] UBND xã Chiềng Đông bị trừ điểm tiến độ" in vi.output
    assert "line 27: error [late dossiers] UBND xã Chiềng Đông lost progress" in en.output


def test_the_error_edge_says_loi_and_goi_y(tmp_path: Path) -> None:
    args = ["check-report", str(tmp_path / "thieu.txt")]
    vi = CliRunner().invoke(cli, args, env={"CHISO_LANG": None})
    en = CliRunner().invoke(cli, args, env={"CHISO_LANG": "en_US.UTF-8"})
    assert vi.exit_code == en.exit_code == 2
    assert vi.stderr.startswith("Lỗi: ") and "\nGợi ý: " in vi.stderr
    assert en.stderr.startswith("Error: ") and "\nHint: " in en.stderr


def test_findings_are_vietnamese_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CHISO_LANG", raising=False)
    lines = [f.render() for f in check_report(SEED_002).findings]
    assert (
        "dòng 31: lỗi [số lượng] số đơn vị thanh toán trực tuyến dưới 25 % hồ sơ có phí"
        in (lines[3])
    )
    assert lines[3].endswith("(báo cáo ghi 10/20; đúng là 10/19)")
    assert all(" error " not in line and " warning " not in line for line in lines)


def test_using_a_request_language_overrides_chiso_lang(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHISO_LANG", "vi")
    with using("en-US,en;q=0.9"):
        assert (language(), _("warning")) == ("en", "warning")
        with using("xx"):  # unknown: unchanged
            assert language() == "en"
    assert (language(), _("warning")) == ("vi", "cảnh báo")


def _check(locale_dir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "scripts/check_catalogue.py"), "--locale-dir", str(locale_dir)],
        capture_output=True,
        text=True,
        check=False,
    )


def _copy(to: Path) -> Path:
    shutil.copytree(ROOT / "src/chiso/locale", to)
    return to


def test_the_lint_check_passes_on_the_shipped_catalogue() -> None:
    result = _check(ROOT / "src/chiso/locale")
    assert result.returncode == 0, result.stderr


def test_the_lint_check_fails_on_a_missing_translation(tmp_path: Path) -> None:
    locale = _copy(tmp_path / "locale")
    po = locale / PO
    text = po.read_text(encoding="utf-8")
    blanked = text.replace('msgstr "cảnh báo"', 'msgstr ""')
    assert blanked != text
    po.write_text(blanked, encoding="utf-8")
    result = _check(locale)
    assert result.returncode == 1
    assert "no Vietnamese translation of 'warning'" in result.stderr
    assert "not compiled from chiso.po" in result.stderr


def test_the_lint_check_fails_on_a_stale_or_fuzzy_catalogue(tmp_path: Path) -> None:
    locale = _copy(tmp_path / "locale")
    po = locale / PO
    text = po.read_text(encoding="utf-8")
    stale = text.replace('msgid "unreadable class"\nmsgstr "không đọc được xếp loại"\n', "")
    stale = stale.replace('msgid "fees"\n', '#, fuzzy\nmsgid "fees"\n')
    assert stale.count("msgid") == text.count("msgid") - 1
    po.write_text(stale, encoding="utf-8")
    result = _check(locale)
    assert result.returncode == 1
    assert "stale, missing 'unreadable class'" in result.stderr
    assert "fuzzy translation of 'fees'" in result.stderr


_UNTRANSLATED = '''\
import logging
import warnings

import click

from chiso.errors import UserError
from chiso.i18n import _

log = logging.getLogger(__name__)
HEADERS = ("Ngày hẹn trả", "Hạn xử lý")  # data: the headers of a Vietnamese file


def fail(path, n):
    """Docstrings may be Vietnamese: “tệp hỏng”."""
    if n:
        raise UserError(f"{path}: tệp hỏng", hint="kiểm tra lại tệp")
    click.echo(f"Đã ghi {n} dòng")
    log.warning("không đọc được %s", path)
    warnings.warn("đã cũ", stacklevel=2)
    raise UserError(_("{path}: damaged").format(path=path), hint=_("check the file"))
'''


def test_the_lint_check_names_each_vietnamese_literal_shown_without_the_catalogue(
    tmp_path: Path,
) -> None:
    source = tmp_path / "chiso"
    (source / "cli").mkdir(parents=True)
    (source / "cli" / "bad.py").write_text(_UNTRANSLATED, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts/check_catalogue.py"), "--source-dir", str(source)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    found = {line.split(": Vietnamese literal")[0] for line in result.stderr.splitlines()}
    assert found == {
        "chiso/cli/bad.py:16",  # the message of a UserError (an f-string), and its hint=
        "chiso/cli/bad.py:17",  # click.echo
        "chiso/cli/bad.py:18",  # a logger
        "chiso/cli/bad.py:19",  # warnings.warn
    }, result.stderr
    assert "'kiểm tra lại tệp'" in result.stderr
    assert "Ngày hẹn trả" not in result.stderr  # data, not shown as a message


def test_no_vietnamese_literal_reaches_a_person_without_the_catalogue() -> None:
    spec = importlib.util.spec_from_file_location(
        "check_catalogue", ROOT / "scripts/check_catalogue.py"
    )
    assert spec is not None and spec.loader is not None
    check = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(check)
    assert check.untranslated(ROOT / "src" / "chiso") == []
