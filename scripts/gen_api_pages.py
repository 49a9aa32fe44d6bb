"""Write the API reference pages docs/api/<module>.rst from the packages' ``__all__``.

Run after adding or removing a public name: ``python scripts/gen_api_pages.py``.
tests/test_docs_api.py fails when a public name is missing from these pages.
Public modules: every module of camsim and srgan whose dotted name has no component
starting with an underscore (``__main__`` excluded).
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
API = ROOT / "docs" / "api"
PACKAGES = ("camsim", "srgan")


def public_modules(package: str) -> list[str]:
    pkg = importlib.import_module(package)
    names = [package]
    for info in pkgutil.walk_packages(pkg.__path__, prefix=package + "."):
        if any(part.startswith("_") for part in info.name.split(".")[1:]):
            continue
        names.append(info.name)
    return sorted(names)


def page(modname: str) -> str:
    mod = importlib.import_module(modname)
    names = list(getattr(mod, "__all__", []))
    title = f"``{modname}``"
    lines = [title, "=" * len(title), ""]
    lines += [f".. currentmodule:: {modname}", ""]
    if names:
        lines += [".. autosummary::", ""] + [f"   {n}" for n in names] + [""]
    if hasattr(mod, "__path__"):
        # A package re-exports names documented on its modules' pages: its own docstring only.
        lines += [f".. automodule:: {modname}", "   :no-members:", ""]
        subs = [m for m in public_modules(modname.split(".")[0])
                if m.startswith(modname + ".") and m.count(".") == modname.count(".") + 1]
        lines += ["Modules", "-------", "", ".. toctree::", "   :maxdepth: 1", ""] + [f"   {m}" for m in subs] + [""]
    else:
        lines += [f".. automodule:: {modname}", "   :members:", ""]
    return "\n".join(lines)


def main() -> None:
    API.mkdir(parents=True, exist_ok=True)
    for old in API.glob("*.rst"):
        old.unlink()
    for package in PACKAGES:
        for modname in public_modules(package):
            (API / f"{modname}.rst").write_text(page(modname), encoding="utf-8")


if __name__ == "__main__":
    main()
