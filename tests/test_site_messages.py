"""``scripts/check_site_messages.py`` (``make lint``): the site's catalogue is complete and
current, and each way it can go wrong is named (docs/web.md, "Languages")."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "src/chiso_web/locale"
PO = Path("vi/LC_MESSAGES/django.po")
SCRIPT = ROOT / "scripts/check_site_messages.py"

pytestmark = pytest.mark.skipif(
    shutil.which("msgfmt") is None or shutil.which("xgettext") is None,
    reason="GNU gettext (Debian's gettext) is not installed",
)


def _check(locale_dir: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, str(SCRIPT), "--locale-dir", str(locale_dir)]
    return subprocess.run(command, capture_output=True, text=True, check=False)


def _changed(tmp_path: Path, old: str, new: str) -> subprocess.CompletedProcess[str]:
    locale = tmp_path / "locale"
    shutil.copytree(LOCALE, locale)
    po = locale / PO
    text = po.read_text(encoding="utf-8")
    assert old in text
    po.write_text(text.replace(old, new, 1), encoding="utf-8")
    return _check(locale)


def test_the_shipped_site_catalogue_passes() -> None:
    result = _check(LOCALE)
    assert result.returncode == 0, result.stderr
    assert "site catalogue: complete and current" in result.stdout


def test_an_untranslated_entry_and_an_outdated_mo_fail(tmp_path: Path) -> None:
    result = _changed(tmp_path, 'msgstr "Mật khẩu"', 'msgstr ""')
    assert result.returncode == 1
    assert "no Vietnamese translation of 'Password'" in result.stderr
    assert "django.mo: not compiled from django.po" in result.stderr


def test_a_stale_catalogue_fails_both_ways(tmp_path: Path) -> None:
    result = _changed(tmp_path, 'msgid "Password"\nmsgstr "Mật khẩu"', 'msgid "Pass"\nmsgstr "Mã"')
    assert result.returncode == 1
    assert "stale, missing 'Password'" in result.stderr
    assert "stale, no longer in the site 'Pass'" in result.stderr


def test_a_fuzzy_entry_and_a_lost_placeholder_fail(tmp_path: Path) -> None:
    fuzzy = _changed(tmp_path / "a", 'msgid "Password"', '#, fuzzy\nmsgid "Password"')
    assert "fuzzy translation of 'Password'" in fuzzy.stderr
    lost = _changed(tmp_path / "b", 'msgstr "Xếp hạng %(period)s"', 'msgstr "Xếp hạng"')
    assert lost.returncode == 1 and "msgfmt" in lost.stderr


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("check_site_messages", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_vietnamese_written_directly_in_a_template_is_found() -> None:
    template = (
        "{% load i18n %}{% comment %}Bảng xếp hạng{% endcomment %}\n"
        '<h1>{% translate "Ranking" %}</h1><p title="{{ unit.name }}">{% blocktranslate %}'
        "Hint: {{ hint }}{% endblocktranslate %}</p>\n"
        '<input placeholder="{% translate "for example: Sín Thầu" %}">\n'
        "<p>Chưa có dữ liệu</p>\n"
    )
    assert _script().untranslated_lines(template) == [4]


def test_vietnamese_written_directly_in_a_views_error_or_message_is_found() -> None:
    source = (
        '"""Trang: docstrings and comments may be Vietnamese."""\n'
        "def view(request, n):\n"
        '    raise UserError(gettext("No file chosen."), hint=gettext("choose one"))\n'
        '    raise UserError("not Vietnamese: an English id is fine", hint="x")\n'
        '    raise UserError(f"Tối đa {n} tệp mỗi lần.")\n'
        '    raise UserError(gettext("At most"), hint="chia thành nhiều lần nhập")\n'
        '    raise Http404("không có lần nhập này")\n'
        '    messages.success(request, "Đã khóa kỳ.")\n'
        '    raise forms.ValidationError("Kỳ " + PERIOD_HINT)\n'
        '    record(request, "lock", f"Khóa {n}")  # an audit summary, stored as written\n'
    )
    assert _script().python_lines(source) == [5, 6, 7, 8, 9]


def test_vietnamese_written_directly_in_a_management_command_is_found() -> None:
    source = (
        "class Command(SiteCommand):\n"
        '    help = gettext_noop("Send the digest now.")\n'
        '    other = "Gửi: not --help, a plain attribute"\n'
        "    def add_arguments(self, parser):\n"
        '        parser.add_argument("--unit", help=gettext_noop("unit code"))\n'
        '        parser.add_argument("--once", help="làm một việc rồi thoát")\n'
        "    def handle(self, *args, **options):\n"
        '        self.stdout.write(gettext("Stopped."))\n'
        '        self.stdout.write(f"Đã gửi cho {options}")\n'
        '        raise CommandError("không có đơn vị")\n'
        "class Other(SiteCommand):\n"
        '    help = "Gộp các hồ sơ."\n'
    )
    assert _script().python_lines(source) == [6, 9, 10, 12]
