"""The report request form: unit (within the user's access), period, index set, formats."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, cast

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_lazy

from chiso.api import Period, PeriodKind, UnitTree, parse_period
from chiso.errors import UserError
from chiso_web import data
from chiso_web.reports.models import FORMAT_LABELS
from chiso_web.units.access import Access

KINDS = (PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.HALF, PeriodKind.YEAR)
LETTER_FIELDS = ("number", "date", "signer_name", "signer_title")
PERIOD_HINT = gettext_lazy(
    "Write the period as 2026-09 (month), 2026-Q3 (quarter), 2026-H1 (half-year) or 2026 (year)."
)


def previous_month() -> str:
    """The last closed month on the site's clock, e.g. ``2026-09`` on 29/10/2026."""
    first = data.now().date().replace(day=1)
    return (first - timedelta(days=1)).strftime("%Y-%m")


def unit_choices(tree: UnitTree, access: Access) -> list[tuple[str, str]]:
    """Units the user may report on, valid today: the province first, then by level and name."""
    today = data.now().date()
    visible = access.visible_codes(tree)
    units = [u for u in tree.valid_on(today) if visible is None or u.unit_code in visible]
    depth = {u.unit_code: len(tree.ancestors(u.unit_code, on=today)) for u in units}
    units.sort(key=lambda u: (depth[u.unit_code], u.name))
    return [(u.unit_code, u.name) for u in units]  # names only, as the other unit lists


def default_unit(choices: list[tuple[str, str]], access: Access) -> str:
    """The officer's own unit, else the first (highest) unit in the list."""
    codes = [code for code, _ in choices]
    if access.unit_code in codes:
        return access.unit_code
    return codes[0] if codes else ""


class ReportForm(forms.Form):
    """What to report on; the choices depend on who asks."""

    unit = forms.ChoiceField(
        label=gettext_lazy("Unit"),
        error_messages={
            "required": gettext_lazy("No unit chosen for the report."),
            "invalid_choice": gettext_lazy(
                "Unit “%(value)s” is not in the list you may report on."
            ),
        },
    )
    period = forms.CharField(
        label=gettext_lazy("Report period"),
        max_length=40,
        error_messages={
            "required": format_lazy("{} {}", gettext_lazy("No report period entered."), PERIOD_HINT)
        },
    )
    index_set = forms.ChoiceField(
        label=gettext_lazy("Index set"),
        error_messages={
            "invalid_choice": gettext_lazy("No index set “%(value)s”; choose one in the list.")
        },
    )
    formats = forms.MultipleChoiceField(
        label=gettext_lazy("Formats"),
        choices=list(FORMAT_LABELS.items()),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": gettext_lazy("Choose at least one format: DOCX, XLSX or PDF."),
            "invalid_choice": gettext_lazy(
                "Format “%(value)s” is not supported; choose DOCX, XLSX or PDF."
            ),
        },
    )

    number = forms.CharField(
        label=gettext_lazy("Letter number"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("125 or 125/BC-UBND")}),
    )
    date = forms.DateField(
        label=gettext_lazy("Date signed"),
        required=False,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        # a text field: a date input would follow the browser's locale (mm/dd/yyyy)
        widget=forms.DateInput(
            format="%d/%m/%Y",
            attrs={"placeholder": "31/10/2026", "inputmode": "numeric", "size": 10},
        ),
        error_messages={
            "invalid": gettext_lazy(
                "The date signed is not valid; write it as 31/10/2026 or 2026-10-31."
            )
        },
    )
    signer_name = forms.CharField(label=gettext_lazy("Signed by"), max_length=100, required=False)
    signer_title = forms.CharField(
        label=gettext_lazy("Signer's title (one line per line)"),
        max_length=200,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 28}),
    )

    anomalies = forms.BooleanField(
        label=gettext_lazy(
            "With the annex “Dossiers to review” (anomalous data; no points deducted)"
        ),
        required=False,
    )

    def __init__(self, *args: Any, units: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["unit"]).choices = units
        index_sets = cast(forms.ChoiceField, self.fields["index_set"])
        index_sets.choices = data.index_set_choices()
        self.period_value: Period | None = None

    def clean_period(self) -> str:
        """A month, quarter, half or year that has started; normalised to its code."""
        text = self.cleaned_data["period"].strip()
        try:
            period = parse_period(text, now=data.now())
        except UserError:
            raise forms.ValidationError(
                gettext("Report period “%(text)s” is not valid. %(hint)s")
                % {"text": text, "hint": PERIOD_HINT}
            ) from None
        if period.kind not in KINDS:
            raise forms.ValidationError(
                gettext(
                    "Report period “%(text)s” must be a month, a quarter, a half-year or a "
                    "year. %(hint)s"
                )
                % {"text": text, "hint": PERIOD_HINT}
            )
        if period.start > data.now():
            raise forms.ValidationError(
                gettext(
                    "Report period “%(text)s” has not started; choose a past one, such as "
                    "%(example)s."
                )
                % {"text": text, "example": previous_month()}
            )
        self.period_value = period
        return period.code

    def letter(self) -> dict[str, str]:
        """The filled-in letter fields, as stored on the job (empty ones left out)."""
        values = {k: self.cleaned_data.get(k) for k in LETTER_FIELDS}
        values["date"] = values["date"].isoformat() if values["date"] else ""
        return {k: str(v).strip() for k, v in values.items() if v and str(v).strip()}

    def options(self) -> dict[str, str]:
        """What the job keeps: the letter fields and ``anomalies`` when the annex of
        findings is asked for."""
        return {**self.letter(), **({"anomalies": "1"} if self.cleaned_data["anomalies"] else {})}
