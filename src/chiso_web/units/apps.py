"""Django app config."""

from __future__ import annotations

from django.apps import AppConfig


class UnitsConfig(AppConfig):
    """Đơn vị và phân quyền."""

    name = "chiso_web.units"
    label = "units"
    verbose_name = "Đơn vị và phân quyền"
