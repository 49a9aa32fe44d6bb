"""Sphinx configuration: pydata-sphinx-theme, MyST-NB (notebooks rendered, never executed), autodoc + napoleon.

Build: ``make docs`` (warnings are errors). Offline: no intersphinx, no remote images.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import types
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
sys.path.insert(0, str(ROOT))

project = "camsim + srgan"
author = "camsim contributors"
copyright = "camsim contributors; ISETCam data tables © Farrell & Wandell (MIT)"
release = version = "0.1.0"

extensions = [
    "myst_nb",
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.napoleon",
    "sphinx.ext.mathjax",
]

# Notebooks: rendered as stored (the stored copies carry no outputs; `make docs-notebooks`
# executes them into docs/examples/ first, so the site shows the figures).
nb_execution_mode = "off"
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence"]
myst_heading_anchors = 3
source_suffix = {".rst": "restructuredtext", ".md": "myst-nb", ".ipynb": "myst-nb"}
exclude_patterns = ["_build", "README.md", "make_figures.py", "Thumbs.db", ".DS_Store", "**.ipynb_checkpoints",
                    "jupyter_execute"]

autosummary_generate = False
autodoc_member_order = "bysource"
autodoc_typehints = "none"          # signatures keep their annotations; no duplicated type fields
autodoc_default_options = {"show-inheritance": False}
napoleon_numpy_docstring = True
napoleon_google_docstring = False
napoleon_use_ivar = True            # "Attributes" sections as fields, not duplicate attribute entries
napoleon_use_rtype = False
suppress_warnings = ["myst.header"]  # docs pages written for GitHub may start below level 1

html_theme = "pydata_sphinx_theme"
html_title = "camsim + srgan"
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "use_edit_page_button": False,
}
html_static_path: list[str] = []

_TITLE_UNDERLINE = re.compile(r"^\s*([=\-~^\"'`#*+])\1{2,}\s*$")


def _section_titles_to_rubrics(app, what, name, obj, options, lines):
    """Module docstrings open with a reST title and may hold sub-titles, which are not allowed
    inside an autodoc directive: drop the opening title (the page has its own) and turn the
    rest into rubrics. Runs after napoleon, so its known sections are already converted."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if line.strip() and _TITLE_UNDERLINE.match(nxt) and len(nxt.strip()) >= len(line.strip()) - 2:
            if what == "module" and not any(x.strip() for x in out):
                i += 2
                continue
            indent = line[: len(line) - len(line.lstrip())]
            out += [f"{indent}.. rubric:: {line.strip()}", ""]
            i += 2
            continue
        out.append(line)
        i += 1
    lines[:] = out


_MD_RULE = re.compile(r"^\s*\|(\s*:?-{3,}:?\s*\|)+\s*$")


def _markdown_tables_to_list_tables(app, what, name, obj, options, lines):
    """Some docstrings hold Markdown pipe tables (readable in help()): render them as list-tables."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        if lines[i].lstrip().startswith("|") and i + 1 < len(lines) and _MD_RULE.match(lines[i + 1]):
            indent = lines[i][: len(lines[i]) - len(lines[i].lstrip())]
            rows = [lines[i]]
            i += 2
            while i < len(lines) and lines[i].lstrip().startswith("|"):
                rows.append(lines[i])
                i += 1
            out += [f"{indent}.. list-table::", f"{indent}   :header-rows: 1", ""]
            for row in rows:
                cells = [c.strip() for c in row.strip().strip("|").split("|")]
                out.append(f"{indent}   * - {cells[0]}")
                out += [f"{indent}     - {c}" for c in cells[1:]]
            out.append("")
            continue
        out.append(lines[i])
        i += 1
    lines[:] = out


def _no_builtin_docstrings(app, what, name, obj, options, lines):
    """A constant (dict, tuple, …) has no docstring of its own: do not show its type's."""
    if what in ("data", "attribute") and isinstance(obj, (dict, tuple, list, set, frozenset, str, int, float,
                                                          bytes, types.MappingProxyType)):
        if "\n".join(lines).strip() == (type(obj).__doc__ or "").strip() or not lines or any(
                "**kwargs" in x or "iterable" in x for x in lines):
            lines[:] = []


def _copy_notebooks(app):
    """The notebooks live in examples/ (where users run them); the site reads copies in docs/examples/.
    A copy that `make docs` executed (outputs included) is newer than its source and is kept. Otherwise
    the unexecuted notebook is copied, dated just before its source so that make still executes it."""
    dest = DOCS / "examples"
    dest.mkdir(exist_ok=True)
    for nb in sorted((ROOT / "examples").glob("*.ipynb")):
        target = dest / nb.name
        src_mtime = nb.stat().st_mtime
        if not target.exists() or target.stat().st_mtime <= src_mtime:
            shutil.copyfile(nb, target)
            os.utime(target, (src_mtime - 1, src_mtime - 1))


def setup(app):
    app.connect("autodoc-process-docstring", _no_builtin_docstrings, priority=100)
    app.connect("autodoc-process-docstring", _section_titles_to_rubrics, priority=600)
    app.connect("autodoc-process-docstring", _markdown_tables_to_list_tables, priority=610)
    app.connect("builder-inited", _copy_notebooks)
