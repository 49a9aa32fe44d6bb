"""
Benchmark — start-up: first capture in a fresh process
======================================================

Wall time of ``python -c "import camsim, numpy as np;
camsim.Camera().capture(np.zeros((64, 64, 3), np.uint8) + 128)"`` in a fresh process,
numba's on-disk cache warm (the command runs once untimed first), median of
``REPEATS``; target ≤ 3 s including imports. Baseline, timed the same way:
``python -c "import numpy, scipy"``. Also: ``import camsim`` alone, and where the
import time goes (``python -X importtime``, the largest top-level packages by
cumulative time).

Run: ``.venv/bin/python -m benchmarks.bench_startup [--quick]``
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import time

from benchmarks._harness import Row, print_rows

__all__ = ["NOTES", "REPEATS", "QUICK_REPEATS", "TARGET_S", "FIRST_CAPTURE", "wall", "import_breakdown", "rows", "main"]

REPEATS = 5
QUICK_REPEATS = 3
TARGET_S = 3.0
FIRST_CAPTURE = "import camsim, numpy as np; camsim.Camera().capture(np.zeros((64,64,3),np.uint8)+128)"
BASELINE = "import numpy, scipy"
IMPORT_ONLY = "import camsim"
_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NOTES = (
    "startup: most of `import camsim` is colour-science (imported by camsim.metrics and camsim.spectra), which "
    "itself always imports colour.plotting and so matplotlib.pyplot; the first capture adds numba's cache loading.",
)


def _env() -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=_ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))


def wall(code: str, *, repeat: int, warmup: int = 1) -> float:
    """Median wall time (s) of ``python -c code`` in fresh processes, after ``warmup`` untimed runs."""
    cmd = [sys.executable, "-c", code]
    for _ in range(warmup):
        subprocess.run(cmd, check=True, capture_output=True, env=_env(), cwd=_ROOT)
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, env=_env(), cwd=_ROOT)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def import_breakdown(top: int = 6) -> list[tuple[str, float]]:
    """Largest cumulative import times (s) under ``import camsim`` (``-X importtime``), package level."""
    res = subprocess.run([sys.executable, "-X", "importtime", "-c", "import camsim"], capture_output=True,
                         text=True, env=_env(), cwd=_ROOT, check=True)
    first_level: dict[str, float] = {}
    for line in res.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+)\s+\|\s+(\d+)\s+\|( *)(\S+)", line)
        if not m:
            continue
        cumulative, depth, name = int(m.group(2)) / 1e6, len(m.group(3)), m.group(4)
        root = name.split(".")[0]
        if root == "camsim":
            continue  # attribute time to the third-party packages camsim pulls in
        # The outermost import of each third-party package carries its whole cost.
        if depth <= 2 + 2 * 8 and cumulative > first_level.get(root, 0.0):
            first_level[root] = cumulative
    return sorted(first_level.items(), key=lambda kv: -kv[1])[:top]


def rows(quick: bool = False) -> list[Row]:
    repeat = QUICK_REPEATS if quick else REPEATS
    t_first = wall(FIRST_CAPTURE, repeat=repeat)
    t_base = wall(BASELINE, repeat=repeat)
    t_import = wall(IMPORT_ONLY, repeat=repeat)
    parts = ", ".join(f"{name} {t:.2f} s" for name, t in import_breakdown())
    return [
        Row("startup", "first Camera().capture(64x64) incl. imports", t_first, t_base, "import numpy, scipy",
            extra="fresh process, numba cache warm", target=f"≤ {TARGET_S:g} s", met=t_first <= TARGET_S),
        Row("startup", "import camsim", t_import, t_base, "import numpy, scipy",
            extra=f"largest imports (cumulative, -X importtime): {parts}"),
    ]


def main() -> None:
    print_rows(rows(quick="--quick" in sys.argv[1:]))


if __name__ == "__main__":
    main()
