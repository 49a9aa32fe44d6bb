"""Shared timing helpers for the benchmark scripts: median of N runs after a warm-up,
results as rows (what, ours, baseline, ratio) printed and collected by ``python -m benchmarks``."""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass
from typing import Callable

__all__ = ["Row", "median_time", "print_rows"]


@dataclass(frozen=True)
class Row:
    """One measured figure. Times in seconds; ``baseline_s`` is measured in the same process."""

    benchmark: str
    case: str
    ours_s: float
    baseline_s: float | None = None
    baseline: str = ""
    extra: str = ""  # e.g. throughput, memory

    @property
    def ratio(self) -> float | None:
        return None if self.baseline_s is None else self.baseline_s / self.ours_s


def median_time(fn: Callable[[], object], *, repeat: int = 5, warmup: int = 1) -> float:
    """Median wall time of ``fn()`` in seconds over ``repeat`` runs after ``warmup`` runs."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def _fmt_s(s: float | None) -> str:
    if s is None:
        return "—"
    return f"{s * 1e3:.2f} ms" if s < 1 else f"{s:.3f} s"


def print_rows(rows: list[Row]) -> None:
    for r in rows:
        ratio = "" if r.ratio is None else f"  ×{r.ratio:.1f} vs {r.baseline} ({_fmt_s(r.baseline_s)})"
        extra = f"  [{r.extra}]" if r.extra else ""
        print(f"{r.benchmark:<22} {r.case:<40} {_fmt_s(r.ours_s):>10}{ratio}{extra}", flush=True)
