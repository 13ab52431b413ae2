"""A new site (no account, no data) says in Vietnamese what to do instead of an error."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from chiso_web.server import first_steps


@pytest.fixture
def empty_data(settings: Any, tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    settings.CHISO = {**settings.CHISO, "CHISO_DATA": str(folder)}
    return folder


@pytest.mark.parametrize("path", ["/xep-hang/", "/sap-qua-han/", "/bao-cao/", "/"])
def test_pages_of_an_empty_site_say_how_to_import_data_or_start_the_demo(
    empty_data: Path, client_as: Callable[[str], Client], path: str
) -> None:
    response = client_as("admin").get(path, follow=True)
    text = response.content.decode()
    assert response.status_code == 200
    assert "Chưa có dữ liệu hồ sơ" in text and "make demo" in text
    assert f"chiso import dossiers TỆP --into {empty_data}" in text


def test_the_json_twin_of_an_empty_site_is_an_error_with_the_same_sentence(
    empty_data: Path, client_as: Callable[[str], Client]
) -> None:
    response = client_as("admin").get("/xep-hang.json")
    assert response.status_code == 400
    assert response.json()["error"].startswith("Chưa có dữ liệu hồ sơ")


@pytest.mark.django_db
def test_the_sign_in_page_of_a_site_without_accounts_says_how_to_create_one() -> None:
    text = Client().get("/dang-nhap/").content.decode()
    assert "Trang chưa có tài khoản nào" in text and "createsuperuser" in text


def test_serve_prints_the_first_steps_of_a_new_site(cast: Any, empty_data: Path) -> None:
    lines = first_steps(str(empty_data))
    assert len(lines) == 1 and lines[0].startswith("Chưa có dữ liệu hồ sơ")


@pytest.mark.django_db
def test_serve_prints_nothing_for_a_site_with_accounts_and_data(cast: Any, web_data: Path) -> None:
    assert first_steps(str(web_data)) == []
