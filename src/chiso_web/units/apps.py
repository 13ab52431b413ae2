"""Django app config."""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class UnitsConfig(AppConfig):
    """Đơn vị và phân quyền."""

    name = "chiso_web.units"
    label = "units"
    verbose_name = gettext_lazy("Units and roles")
