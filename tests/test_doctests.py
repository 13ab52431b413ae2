"""Every docstring example of the library runs (conventions §2.14: examples are doctests)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import chiso

MODULES = sorted(m.name for m in pkgutil.walk_packages(chiso.__path__, "chiso."))


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


def test_the_library_has_examples() -> None:
    attempted = sum(
        doctest.testmod(importlib.import_module(n), optionflags=doctest.ELLIPSIS).attempted
        for n in MODULES
    )
    assert attempted >= 100
