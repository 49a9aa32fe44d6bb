"""Documentation: every public name is in the API reference; the site builds (warnings as errors) with no
broken internal link.

The API pages (docs/api/*.rst) are written by scripts/gen_api_pages.py from the packages' ``__all__``; rerun it
after adding a public name. The build test needs the ``docs`` extra (``make docs`` installs it) and is skipped
without Sphinx; it takes ~20 s.
"""

from __future__ import annotations

import importlib
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from check_links import broken_links  # noqa: E402
from gen_api_pages import PACKAGES, public_modules  # noqa: E402

API = ROOT / "docs" / "api"


def _autosummary_names(text: str) -> set[str]:
    """Entries of the page's autosummary lists (indented names after ``.. autosummary::``)."""
    names: set[str] = set()
    for block in re.findall(r"\.\. autosummary::\n((?:\n|   .*\n)*)", text):
        names |= {line.strip() for line in block.splitlines() if line.strip() and not line.strip().startswith(":")}
    return names


MODULES = [m for p in PACKAGES for m in public_modules(p)]


@pytest.mark.parametrize("modname", MODULES)
def test_every_public_name_is_in_the_api_reference(modname):
    page = API / f"{modname}.rst"
    assert page.exists(), f"{page} missing: run python scripts/gen_api_pages.py"
    text = page.read_text(encoding="utf-8")
    assert f".. automodule:: {modname}" in text
    public = set(getattr(importlib.import_module(modname), "__all__", []))
    missing = public - _autosummary_names(text)
    assert not missing, f"{sorted(missing)} not in {page.name}: run python scripts/gen_api_pages.py"


def test_every_api_page_is_reachable():
    pages = {p.stem for p in API.glob("*.rst")}
    assert pages == set(MODULES), "stale or missing API pages: run python scripts/gen_api_pages.py"
    index = (ROOT / "docs" / "index.md").read_text(encoding="utf-8")
    assert all(f"api/{p}" in index for p in PACKAGES)


def test_docs_build_without_warnings_or_broken_links(tmp_path):
    pytest.importorskip("sphinx")
    pytest.importorskip("myst_nb")
    pytest.importorskip("pydata_sphinx_theme")
    out = tmp_path / "html"
    run = subprocess.run([sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-E", "-b", "html",
                          "-d", str(tmp_path / "doctrees"), str(ROOT / "docs"), str(out)],
                         capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert run.returncode == 0, run.stderr[-4000:]
    assert broken_links(out) == []
