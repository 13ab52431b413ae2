"""Check the library's message catalogue (run by ``make lint``; docs/adr/0008).

Fails (exit 1, one line per problem) when the messages extracted from ``src/chiso``
differ from the ``vi`` catalogue's ids (stale: run ``make i18n``), when a ``vi`` entry is
empty, fuzzy, not NFC or loses a placeholder, when the compiled ``chiso.mo`` does not
match its ``chiso.po``, or when a Vietnamese string literal reaches a person without the
catalogue: passed to ``UserError(...)`` (or any ``*Error``), a ``hint=``, ``click.echo``,
``console.print``, ``print``, ``warnings.warn`` or a logger in ``src/chiso``.

    python scripts/check_catalogue.py [--locale-dir DIR] [--source-dir DIR]
"""

from __future__ import annotations

import argparse
import ast
import re
import string
import sys
import tempfile
import unicodedata
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("vi",)


def extracted() -> Catalog:
    """The messages of ``src/chiso`` as ``make i18n`` extracts them."""
    with tempfile.TemporaryDirectory() as tmp:
        pot = Path(tmp) / "chiso.pot"
        CommandLineInterface().run(
            ["pybabel", "-q", "extract", "-F", str(ROOT / "babel.cfg"), "--no-location",
             "-o", str(pot), str(ROOT / "src" / "chiso")]
        )  # fmt: skip
        with pot.open("rb") as f:
            return read_po(f)


def _texts(string: str | tuple[str, ...] | list[str]) -> tuple[str, ...]:
    return (string,) if isinstance(string, str) else tuple(string)


def _fields(text: str) -> set[str]:
    """The ``{name}`` placeholders of a ``str.format`` message."""
    return {f for _, f, _, _ in string.Formatter().parse(text) if f is not None}


def unfinished(po_path: Path, message: Message) -> str | None:
    """Why one entry is not a finished Vietnamese translation (fuzzy, empty, not NFC), if
    it is not; also used by ``check_site_messages.py``."""
    texts = _texts(message.string)
    mid = _texts(message.id)[0]
    if message.fuzzy:
        return f"{po_path}: fuzzy translation of {mid!r}"
    if not all(texts):
        return f"{po_path}: no Vietnamese translation of {mid!r}"
    if any(unicodedata.normalize("NFC", t) != t for t in texts):
        return f"{po_path}: translation of {mid!r} is not Unicode NFC"
    return None


#: click's messages about a path whose ``{name}`` is click's English word ("file", "path"),
#: fixed when the commands are defined (chiso.cli.click_words): their Vietnamese may leave
#: it out; no other placeholder may be dropped.
MAY_DROP_NAME = frozenset(
    {
        "{name} {filename!r} does not exist.",
        "{name} {filename!r} is a file.",
        "{name} {filename!r} is a directory.",
        "{name} {filename!r} is not readable.",
        "{name} {filename!r} is not writable.",
        "{name} {filename!r} is not executable.",
    }
)


def _same_fields(message_id: str, translated: str) -> bool:
    wanted, got = _fields(message_id), _fields(translated)
    return got == wanted or (message_id in MAY_DROP_NAME and got == wanted - {"name"})


def _entry(po_path: Path, message: Message) -> str | None:
    """Why one entry is not a finished Vietnamese translation, if it is not."""
    problem = unfinished(po_path, message)
    if problem:
        return problem
    texts = _texts(message.string)
    mid = _texts(message.id)[0]
    if not all(_same_fields(_texts(message.id)[-1], t) for t in texts):
        return f"{po_path}: translation of {mid!r} changes its {{placeholders}}"
    return None


def compiled(po_path: Path, catalog: Catalog) -> str | None:
    """Why the ``.mo`` next to ``po_path`` is not compiled from it, if it is not (by
    content: a fresh clone writes the two files in any order); also used by
    ``check_site_messages.py``."""
    mo_path = po_path.with_suffix(".mo")
    if not mo_path.exists():
        return f"{mo_path}: missing (run make i18n)"
    with mo_path.open("rb") as f:
        compiled = {_texts(m.id): _texts(m.string) for m in read_mo(f) if m.id}
    current = {_texts(m.id): _texts(m.string) for m in catalog if m.id and not m.fuzzy}
    if compiled != current:
        return f"{mo_path}: not compiled from {po_path.name} (run make i18n)"
    return None


def problems(locale_dir: Path, source: Catalog) -> list[str]:
    """Every reason the catalogues under ``locale_dir`` are not complete and current."""
    wanted = {_texts(m.id) for m in source if m.id}
    out = []
    for lang in LANGUAGES:
        po_path = locale_dir / lang / "LC_MESSAGES" / "chiso.po"
        with po_path.open("rb") as f:
            catalog = read_po(f)
        have = {_texts(m.id) for m in catalog if m.id}
        for mid in sorted(wanted - have):
            out.append(f"{po_path}: stale, missing {mid[0]!r} (run make i18n)")
        for mid in sorted(have - wanted):
            out.append(f"{po_path}: stale, no longer in the code {mid[0]!r} (run make i18n)")
        entries = (_entry(po_path, m) for m in catalog if m.id)
        out += [p for p in entries if p]
        for m, errors in catalog.check():
            out += [f"{po_path}: {m.id!r}: {e}" for e in errors]
        out += [p for p in [compiled(po_path, catalog)] if p]
    return out


#: Lower-case Vietnamese letters that English has not (the check is case-insensitive).
VIETNAMESE = re.compile(
    "[àáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ]", re.IGNORECASE
)
#: Calls whose arguments a person reads: an error (``UserError``, ``BadParameter``…), and
#: what is printed or logged.  ``hint=`` of any call counts too.
_SHOWN_NAMES = frozenset({"print"})
_SHOWN_ATTRIBUTES = frozenset({("click", "echo"), ("click", "secho"), ("warnings", "warn")})
_SHOWN_METHODS = frozenset({"print", "log", "rule"})  # console.print, console.log…
_LOGGERS = frozenset({"log", "logger", "LOG", "_log", "_logger"})
_LOG_METHODS = frozenset({"debug", "info", "warning", "error", "exception", "critical"})
#: The catalogue's own calls: what is inside them is an English id.
_TRANSLATED = frozenset({"_", "N_", "ngettext"})
#: ``file:line`` of a literal that must stay (each with why); none today.
ALLOWED: frozenset[str] = frozenset()


def _name(node: ast.expr) -> str | None:
    return node.id if isinstance(node, ast.Name) else None


def _shown(call: ast.Call) -> bool:
    """Whether ``call``'s positional arguments are read by a person."""
    func = call.func
    if isinstance(func, ast.Name):
        return func.id in _SHOWN_NAMES or func.id.endswith(("Error", "Exception", "Parameter"))
    if isinstance(func, ast.Attribute):
        owner = _name(func.value)
        if (owner, func.attr) in _SHOWN_ATTRIBUTES:
            return True
        if owner in _LOGGERS and func.attr in _LOG_METHODS:
            return True
        if func.attr.endswith(("Error", "Exception", "Parameter")):
            return True  # click.BadParameter, errors.UserError
        return func.attr in _SHOWN_METHODS and owner is not None and "console" in owner.lower()
    return False


def _vietnamese_literals(node: ast.AST) -> list[ast.Constant]:
    """The Vietnamese string constants within ``node``, not inside ``_()``/``ngettext()``."""
    if isinstance(node, ast.Call) and _name(node.func) in _TRANSLATED:
        return []
    if isinstance(node, ast.Constant):
        text = node.value
        return [node] if isinstance(text, str) and VIETNAMESE.search(text) else []
    return [c for child in ast.iter_child_nodes(node) for c in _vietnamese_literals(child)]


def untranslated(source_dir: Path) -> list[str]:
    """``file:line`` of each Vietnamese literal a person reads without the catalogue: the
    argument of an error, of a ``hint=``, of what is printed or logged (docs/adr/0008)."""
    out = []
    for path in sorted(source_dir.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
            shown = list(call.args) if _shown(call) else []
            shown += [k.value for k in call.keywords if k.arg == "hint" or _shown(call)]
            for literal in (c for arg in shown for c in _vietnamese_literals(arg)):
                where = f"{path.relative_to(source_dir.parent)}:{literal.lineno}"
                if where not in ALLOWED:
                    out.append(
                        f"{where}: Vietnamese literal {literal.value[:40]!r} shown without "
                        'the catalogue: write _("English id") and translate it (make i18n)'
                    )
    return sorted(set(out))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--locale-dir", type=Path, default=ROOT / "src/chiso/locale")
    parser.add_argument("--source-dir", type=Path, default=ROOT / "src/chiso")
    args = parser.parse_args(argv)
    found = problems(args.locale_dir, extracted()) + untranslated(args.source_dir)
    for line in found:
        print(line, file=sys.stderr)  # noqa: T201 - a script
    if not found:
        print("catalogue: complete and current")  # noqa: T201 - a script
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
