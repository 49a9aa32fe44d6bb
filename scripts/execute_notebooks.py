"""Execute the example notebooks (full size) into a folder, outputs kept: the docs site renders those copies.

    python scripts/execute_notebooks.py examples docs/examples [NAME ...]

The notebooks in examples/ stay without outputs (tests/test_examples.py checks that).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient


def main(argv: list[str]) -> int:
    src, dest, *names = argv
    dest_dir = Path(dest)
    dest_dir.mkdir(parents=True, exist_ok=True)
    for path in sorted(Path(src).glob("*.ipynb")):
        if names and path.stem not in names and path.name not in names:
            continue
        nb = nbformat.read(path, as_version=4)
        t0 = time.perf_counter()
        NotebookClient(nb, timeout=900, kernel_name="python3", resources={"metadata": {"path": str(dest_dir)}}).execute()
        nbformat.write(nb, dest_dir / path.name)
        print(f"{path.name}: {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
