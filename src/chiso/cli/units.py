"""``chiso units``: list and export a province's unit tree (or the 34 provinces)."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import click

from chiso.api import _, ngettext
from chiso.errors import UserError

__all__ = ["units_command"]

_COLUMNS = [
    "unit_code", "gso_code", "name", "short_name", "kind", "parent_code",
    "valid_from", "valid_to", "successor_code",
]  # fmt: skip


def _day(text: str | None) -> date | None:
    if text is None or text == "all":
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UserError(
            _("--on {text!r}: not a day").format(text=text),
            hint=_("write YYYY-MM-DD, e.g. 2025-06-30, or all"),
        ) from None


def _today() -> date:
    from chiso.api import now

    return now().date()


def _vn(d: date | None) -> str:
    return f"{d:%d/%m/%Y}" if d is not None else ""


def _province_rows() -> tuple[list[str], list[list[str]]]:
    from chiso.api import province_tree, provinces

    header = [_("Code"), _("Province or city"), _("Communes, wards and special zones")]
    rows = []
    for p in provinces():
        kinds = ("xa", "phuong", "dac_khu")
        count = sum(1 for u in province_tree(p).valid_on(_today()) if u.kind.value in kinds)
        rows.append([p.code, p.title[0].upper() + p.title[1:], str(count)])
    return header, rows


@click.command("units")
@click.option(
    "--province",
    default=None,
    help="code (11) or name (Điện Biên) of the province, or all for the 34 provinces "
    "(default: CHISO_PROVINCE, else 11)",
)
@click.option(
    "--on",
    "on",
    default=None,
    help="units valid on this day, YYYY-MM-DD, or all for every date (default: today)",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="write to FILE")
def units_command(province: str | None, on: str | None, fmt: str, out: Path | None) -> None:
    """List or export a province's units with their official codes (CSV as data/units)."""
    from chiso.api import UNIT_KINDS, province_tree

    if province is not None and province.strip().lower() == "all":
        header, rows = _province_rows()
        records = [dict(zip(["code", "name", "communes"], r, strict=True)) for r in rows]
    else:
        tree = province_tree(province)
        day = _day(on) if on is not None else _today()
        units = tree.valid_on(day) if day is not None else list(tree)
        records = [
            {
                "unit_code": u.unit_code, "gso_code": u.gso_code or "", "name": u.name,
                "short_name": u.short_name, "kind": u.kind.value,
                "parent_code": tree.parent_of(u.unit_code, on=day) or "",
                "valid_from": u.valid_from.isoformat(),
                "valid_to": u.valid_to.isoformat() if u.valid_to else "",
                "successor_code": u.successor_code or "",
            }
            for u in units
        ]  # fmt: skip
        header = [
            _("Code"), _("Unit name"), _("Kind"), _("Under"), _("Valid from"), _("To"),
            _("Succeeded by"),
        ]  # fmt: skip
        rows = [
            [u.unit_code, u.name, UNIT_KINDS[u.kind.value], r["parent_code"], _vn(u.valid_from),
             _vn(u.valid_to), u.successor_code or ""]
            for u, r in zip(units, records, strict=True)
        ]  # fmt: skip
    if fmt == "json":
        text = json.dumps(records, ensure_ascii=False, indent=2) + "\n"
    elif fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(records[0]) if records else _COLUMNS)
        writer.writeheader()
        writer.writerows(records)
        text = buffer.getvalue()
    else:
        widths = [max(len(str(c)) for c in col) for col in zip(header, *rows, strict=True)]
        lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
                 for r in (header, *rows)]  # fmt: skip
        text = "\n".join(lines) + "\n"
    if out is None:
        click.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
        click.echo(
            ngettext(
                "Wrote {count} row into {out}.", "Wrote {count} rows into {out}.", len(records)
            ).format(count=len(records), out=out)
        )
