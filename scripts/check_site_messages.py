"""Check the site's message catalogue (run by ``make lint``; docs/web.md, "Languages").

The site's texts (templates and ``chiso_web``'s Python) go through Django's gettext with
English ids; ``src/chiso_web/locale/vi/LC_MESSAGES/django.po`` holds the Vietnamese and
``django.mo`` its compilation, both committed.  Fails (exit 1, one line per problem) when
Django's ``makemessages``, run on a copy of the site in a temporary folder, finds other
ids than the catalogue's (stale, both ways), when an entry is untranslated, fuzzy or not
NFC, when ``msgfmt --check`` refuses the catalogue (placeholders, header), when the
``.mo`` is missing or not the compilation of the ``.po`` (by content: a fresh clone
writes the two files in any order), or when a template writes Vietnamese outside
``{% translate %}``, ``{% blocktranslate %}``, variables and comments, or when the
site's Python writes Vietnamese directly in an error, a hint or a flash message.
``--update`` runs ``makemessages`` and ``compilemessages`` on the site itself (``make
i18n``) and lists what is left to translate without failing.

    python scripts/check_site_messages.py [--update]

Needs GNU gettext (the Debian package ``gettext``: xgettext, msgmerge, msgfmt).
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import io
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import django
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management import call_command

sys.path.insert(0, str(Path(__file__).resolve().parent))
from check_catalogue import compiled, unfinished  # the library's check, shared

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "src" / "chiso_web"
LANGUAGES = ["vi"]
IGNORED = ["static", "locale", "__pycache__"]  # no text of the django domain in them
#: A letter only Vietnamese writes (a, e, o, u, i, y with a tone or a hat, đ, ă, ơ, ư).
VIETNAMESE = re.compile(
    r"[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]", re.IGNORECASE
)
#: What a template may hold in Vietnamese: comments, tags (a translated id may name a
#: place: "ví dụ: Sín Thầu"), blocktranslate bodies and variables.
TAGGED = re.compile(
    r"\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}|\{#.*?#\}"
    r"|\{%\s*blocktranslate\b.*?\{%\s*endblocktranslate\s*%\}|\{%.*?%\}|\{\{.*?\}\}",
    re.DOTALL,
)


def _setup(locale_dir: Path) -> None:
    """Django with the settings ``makemessages`` needs and no more (no CHISO_* read)."""
    if not settings.configured:
        settings.configure(USE_I18N=True, LOCALE_PATHS=[str(locale_dir)], INSTALLED_APPS=[])
        django.setup()
    settings.LOCALE_PATHS = [str(locale_dir)]


def _makemessages(site: Path) -> None:
    _setup(site / "locale")
    with contextlib.chdir(site):
        call_command(
            "makemessages", locale=LANGUAGES, no_location=True, no_obsolete=True,
            ignore_patterns=["static/*"], verbosity=0,
        )  # fmt: skip


def update() -> None:
    """Extract the site's ids into its catalogue (new ones empty), then compile it."""
    _makemessages(SITE)
    with contextlib.chdir(SITE):
        call_command("compilemessages", locale=LANGUAGES, verbosity=0)


def extracted() -> set[tuple[str, ...]]:
    """The ids ``makemessages`` finds in the site's code, from a copy of it."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "chiso_web"
        shutil.copytree(SITE, copy, ignore=shutil.ignore_patterns(*IGNORED))
        (copy / "locale").mkdir()
        _makemessages(copy)
        with contextlib.redirect_stdout(io.StringIO()):  # Babel's warnings on the two
            # empty plural forms a fresh catalogue has (its header says one)
            return _ids(_read(copy / "locale" / LANGUAGES[0] / "LC_MESSAGES" / "django.po"))


def untranslated_lines(template: str) -> list[int]:
    """The lines of a template with Vietnamese outside comments, tags and variables: text
    written directly instead of through ``{% translate %}``."""
    kept = TAGGED.sub(lambda m: "\n" * m.group(0).count("\n"), template)
    return [n for n, line in enumerate(kept.splitlines(), start=1) if VIETNAMESE.search(line)]


def written_directly(site: Path) -> list[str]:
    """Every template line of ``site`` (``.html``, ``.txt``) whose Vietnamese bypasses the
    catalogue."""
    out = []
    for path in sorted(p for p in site.rglob("*") if p.suffix in (".html", ".txt")):
        for n in untranslated_lines(path.read_text(encoding="utf-8")):
            out.append(f"{path}:{n}: Vietnamese written directly; use {{% translate %}}")
    return out


#: Calls whose text a person reads: the sentence (first argument) and ``hint=`` must come
#: from ``gettext``, not be Vietnamese written in the call.  A management command's
#: ``CommandError``, its ``self.stdout``/``self.stderr.write`` lines and its arguments'
#: ``help=`` too, and a class's ``help = …`` (the command's ``--help``).
READ_CALLS = {"UserError", "Http404", "PermissionDenied", "ValidationError", "CommandError"}
MESSAGES = {"debug", "info", "success", "warning", "error"}
STREAMS = {"stdout", "stderr"}


def _literal_text(node: ast.expr | None) -> str:
    """The literal text of a string or f-string argument ("" for anything else)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(_literal_text(v) for v in node.values)
    if isinstance(node, ast.BinOp):  # "…" + "…", "…" % {…}
        return _literal_text(node.left) + _literal_text(node.right)
    return ""


def _is_read_call(call: ast.Call) -> bool:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id in READ_CALLS
    if isinstance(func, ast.Attribute):
        owner = func.value
        return (
            func.attr in READ_CALLS
            or func.attr == "add_argument"
            or (isinstance(owner, ast.Name) and owner.id == "messages" and func.attr in MESSAGES)
            or (func.attr == "write" and isinstance(owner, ast.Attribute) and owner.attr in STREAMS)
        )
    return False


def _help_assignments(tree: ast.AST) -> list[ast.expr]:
    """The values of ``help = …`` in class bodies (a management command's ``--help``)."""
    return [
        stmt.value
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef)
        for stmt in node.body
        if isinstance(stmt, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == "help" for t in stmt.targets)
    ]


def python_lines(source: str) -> list[int]:
    """The lines of a module where an error, a 404/403, a flash message or a management
    command's help or output is written in Vietnamese instead of through ``gettext``."""
    tree = ast.parse(source)
    out = [t.lineno for t in _help_assignments(tree) if VIETNAMESE.search(_literal_text(t))]
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not _is_read_call(node):
            continue
        texts = [a for a in node.args[:2] if not isinstance(a, ast.Starred)]
        texts += [k.value for k in node.keywords if k.arg in ("message", "hint", "help")]
        out += [t.lineno for t in texts if VIETNAMESE.search(_literal_text(t))]
    return sorted(set(out))


def python_written_directly(site: Path) -> list[str]:
    """Every line of the site's Python (migrations aside) whose error or message is
    Vietnamese written directly."""
    out = []
    for path in sorted(p for p in site.rglob("*.py") if "migrations" not in p.parts):
        for n in python_lines(path.read_text(encoding="utf-8")):
            out.append(f"{path}:{n}: Vietnamese written directly; use gettext")
    return out


def _read(po_path: Path) -> Catalog:
    with po_path.open("rb") as f:
        return read_po(f)


def _texts(string: str | tuple[str, ...] | list[str] | None) -> tuple[str, ...]:
    if string is None:
        return ("",)
    return (string,) if isinstance(string, str) else tuple(string)


def _ids(catalog: Catalog) -> set[tuple[str, ...]]:
    return {_texts(m.id) for m in catalog if m.id}


def _msgfmt(po_path: Path) -> list[str]:
    """What ``msgfmt --check`` (format strings, header) says against the catalogue."""
    command = ["msgfmt", "--check", "-o", "/dev/null", str(po_path)]
    # a fixed command on the repository's file; GNU gettext from the PATH (README)
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    return [] if done.returncode == 0 else [f"{po_path}: msgfmt: {done.stderr.strip()}"]


def problems(locale_dir: Path, wanted: set[tuple[str, ...]]) -> list[str]:
    """Every reason the site's catalogues under ``locale_dir`` are not complete and current."""
    out = []
    for lang in LANGUAGES:
        po_path = locale_dir / lang / "LC_MESSAGES" / "django.po"
        if not po_path.exists():
            out.append(f"{po_path}: missing (run make i18n)")
            continue
        catalog = _read(po_path)
        have = _ids(catalog)
        for mid in sorted(wanted - have):
            out.append(f"{po_path}: stale, missing {mid[0]!r} (run make i18n)")
        for mid in sorted(have - wanted):
            out.append(f"{po_path}: stale, no longer in the site {mid[0]!r} (run make i18n)")
        out += [p for p in (unfinished(po_path, m) for m in catalog if m.id) if p]
        out += _msgfmt(po_path)
        out += [p for p in [compiled(po_path, catalog)] if p]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", action="store_true", help="makemessages + compilemessages")
    parser.add_argument("--locale-dir", type=Path, default=SITE / "locale")
    args = parser.parse_args(argv)
    if args.update:
        update()
    found = (
        written_directly(SITE)
        + python_written_directly(SITE)
        + problems(args.locale_dir, extracted())
    )
    for line in found:
        print(line, file=sys.stderr)  # noqa: T201 - a script
    if not found:
        print("site catalogue: complete and current")  # noqa: T201 - a script
    # --update: the new ids wait for their Vietnamese, then for make i18n again
    return 1 if found and not args.update else 0


if __name__ == "__main__":
    sys.exit(main())
