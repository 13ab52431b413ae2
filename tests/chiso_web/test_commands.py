"""The site's management commands speak the site's language (docs/web.md, "Languages"):
their ``--help``, the lines they print and the errors they raise, Vietnamese by default
and English with ``CHISO_LANG=en``."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import CommandError, call_command, load_command_class
from django.utils import translation

pytestmark = pytest.mark.django_db
COMMANDS = {
    "create_api_token": "chiso_web.api",
    "flush_pushed": "chiso_web.api",
    "send_digest": "chiso_web.digest",
    "worker": "chiso_web.reports",
}
#: Words of Django's and argparse's own help that must not remain in Vietnamese help.
ENGLISH = re.compile(
    r"\b(usage|options|Show|help message|Verbosity|stack trace|[Cc]olori[sz]e|Skip|"
    r"Python path to|dossiers|token|waiting|unit code|NAME|UNIT|INTERVAL|SETTINGS)\b"
)


def _help(name: str) -> str:
    command = load_command_class(COMMANDS[name], name)
    return command.create_parser("__main__.py", name).format_help()


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_help_is_vietnamese(name: str) -> None:
    text = _help(name)
    assert text.startswith(f"cách dùng: python -m chiso_web {name} [-h]")
    assert "\ntùy chọn:\n" in text and "Hiện hướng dẫn này rồi thoát." in text
    assert "Mức chi tiết khi in" in text and "[--settings MÔ_ĐUN]" in text.replace("\n", " ")
    assert not ENGLISH.search(text), ENGLISH.findall(text)


def test_each_commands_own_help_is_vietnamese() -> None:
    assert "Tạo mã truy cập API" in _help("create_api_token")
    assert "--name TÊN" in _help("create_api_token")
    assert "Gộp các hồ sơ nhận qua API" in _help("flush_pushed")
    assert "mã đơn vị (mặc định: mọi đơn vị)" in _help("send_digest")
    assert "--interval SỐ_GIÂY" in _help("worker")


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_help_is_english_with_chiso_lang_en(name: str) -> None:
    with translation.override("en"):
        text = _help(name)
    assert text.startswith(f"usage: python -m chiso_web {name}") and "\noptions:\n" in text
    assert "Show this help message and exit." in text


def _run(*args: str, **options: object) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def test_printed_lines_are_vietnamese() -> None:
    assert _run("flush_pushed")[0] == "xong: 0 hồ sơ; còn chờ 0\n"
    assert _run("send_digest")[0].startswith("Không gửi thư nào: mọi cán bộ có địa chỉ thư")
    assert _run("worker", once=True)[0] == (
        "Không có yêu cầu báo cáo hay lần nhập dữ liệu nào đang chờ.\n"
    )
    assert "(cả tỉnh); mã chỉ in một lần:" in _run("create_api_token", "--name", "Một cửa")[1]


def test_printed_lines_and_errors_are_english_with_chiso_lang_en() -> None:
    with translation.override("en"):
        assert _run("flush_pushed")[0] == "done: 0 dossiers; 0 still waiting\n"
        assert _run("worker", once=True)[0] == ("No report request or data import is waiting.\n")
        err = _run("create_api_token", "--name", "Push")[1]
        assert "(the whole province); it is printed only once:" in err
        with pytest.raises(CommandError) as refused:
            call_command("create_api_token", "--name", "x", "--unit", "99999")
    assert not re.search("[ăâđêôơư]", str(refused.value)), refused.value


def test_argparse_errors_are_in_the_sites_language() -> None:
    with pytest.raises(CommandError) as missing:
        call_command("create_api_token")
    assert str(missing.value) == "Lỗi: cần ghi các tùy chọn: --name"
    with pytest.raises(CommandError) as bad:
        call_command("worker", "--interval", "abc")
    assert str(bad.value) == "Lỗi: tùy chọn --interval: 'abc' không phải giá trị hợp lệ"
    with pytest.raises(CommandError) as choice:
        call_command("worker", "--verbosity", "7")
    assert str(choice.value) == "Lỗi: tùy chọn -v/--verbosity: 7 không thuộc 0, 1, 2, 3"
    with translation.override("en"), pytest.raises(CommandError) as english:
        call_command("create_api_token")
    assert str(english.value) == "Error: these options are required: --name"


def test_argparse_errors_on_the_command_line_say_the_usage_in_vietnamese(
    capsys: pytest.CaptureFixture[str],
) -> None:
    command = load_command_class(COMMANDS["send_digest"], "send_digest")
    command._called_from_command_line = True  # as run_from_argv does
    parser = command.create_parser("__main__.py", "send_digest")
    with pytest.raises(SystemExit) as exited:
        parser.parse_args(["--unit"])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("cách dùng: python -m chiso_web send_digest")
    assert err.endswith("python -m chiso_web send_digest: lỗi: tùy chọn --unit cần một giá trị\n")
