"""Shared helpers for the benchmark scripts: median of N runs after a warm-up, results as
rows (what, ours, baseline, ratio, target) printed and collected by ``python -m benchmarks``,
a description of the machine and the package versions, test images, and the atomic
writer of ``benchmarks/RESULTS.md``."""

from __future__ import annotations

import datetime
import importlib.metadata
import os
import platform
import statistics
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from camsim._io import atomic_path

__all__ = ["Row", "median_time", "time_runs", "print_rows", "fmt_s", "machine_info", "load_average",
           "random_image", "write_results", "RESULTS_PATH"]

RESULTS_PATH = Path(__file__).parent / "RESULTS.md"


@dataclass(frozen=True)
class Row:
    """
    One measured figure. Times in seconds; ``baseline_s`` is measured in the same process.

    ``target`` says what the issue asks for (e.g. ``"≥ 10×"``, ``"≤ 60 ms"``) and
    ``met`` whether this measurement meets it (None: no target, or not decidable).
    """

    benchmark: str
    case: str
    ours_s: float
    baseline_s: float | None = None
    baseline: str = ""
    extra: str = ""  # e.g. throughput, memory, equivalence check
    target: str = ""
    met: bool | None = None

    @property
    def ratio(self) -> float | None:
        return None if self.baseline_s is None or not self.ours_s > 0 else self.baseline_s / self.ours_s


def time_runs(fn: Callable[[], object], *, repeat: int = 5, warmup: int = 1, budget_s: float | None = None,
              max_repeat: int = 25) -> list[float]:
    """
    Wall times of the timed runs of ``fn()`` in seconds, after ``warmup`` untimed runs.

    ``repeat`` runs, or with ``budget_s`` as many as fit in about that many seconds
    (judged from the last warm-up run), between ``repeat`` and ``max_repeat``: cheap
    cases get more runs, which steadies their median on a busy machine.
    """
    estimate = None
    for _ in range(warmup):
        t0 = time.perf_counter()
        fn()
        estimate = time.perf_counter() - t0
    if budget_s is not None and estimate:
        repeat = max(repeat, min(max_repeat, int(budget_s / estimate)))
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return times


def median_time(fn: Callable[[], object], *, repeat: int = 5, warmup: int = 1, budget_s: float | None = None) -> float:
    """Median wall time of ``fn()`` in seconds over ``repeat`` runs (see :func:`time_runs`) after ``warmup`` runs."""
    return statistics.median(time_runs(fn, repeat=repeat, warmup=warmup, budget_s=budget_s))


def fmt_s(s: float | None) -> str:
    """Seconds as ``12.34 ms`` below one second, else ``1.234 s``; ``—`` for None."""
    if s is None:
        return "—"
    return f"{s * 1e3:.2f} ms" if s < 1 else f"{s:.3f} s"


def _verdict(r: Row) -> str:
    if not r.target:
        return ""
    return {True: "meets", False: "MISSES", None: "?"}[r.met] + f" {r.target}"


def print_rows(rows: list[Row]) -> None:
    for r in rows:
        ratio = "" if r.ratio is None else f"  ×{r.ratio:.1f} vs {r.baseline} ({fmt_s(r.baseline_s)})"
        target = f"  <{_verdict(r)}>" if r.target else ""
        extra = f"  [{r.extra}]" if r.extra else ""
        print(f"{r.benchmark:<22} {r.case:<40} {fmt_s(r.ours_s):>10}{ratio}{target}{extra}", flush=True)


# ----------------------------------------------------------------------------- machine


def _version(dist: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def cpu_model() -> str:
    """CPU model name from /proc/cpuinfo (Linux) with its SIMD extensions, else :func:`platform.processor`."""
    model, flags = "", set()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                key = line.split(":", 1)[0].strip().lower()
                if key == "model name" and not model:
                    model = line.split(":", 1)[1].strip()
                elif key == "flags" and not flags:
                    flags = set(line.split(":", 1)[1].split())
    except OSError:
        pass
    simd = [f for f in ("avx2", "fma", "avx512f") if f in flags]
    model = model or platform.processor() or platform.machine()
    return model + (f" ({', '.join(simd)})" if simd else "")


def machine_info() -> dict[str, str]:
    """CPU, cores, memory, OS and the versions that matter (read from package metadata, so
    that torch is not imported)."""
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        usable = os.cpu_count() or 1
    try:
        with open("/proc/meminfo", encoding="utf-8") as f:
            mem_kb = int(next(line for line in f if line.startswith("MemTotal")).split()[1])
        memory = f"{mem_kb / 2**20:.1f} GiB"
    except (OSError, StopIteration, ValueError):
        memory = "unknown"
    import numba

    return {
        "CPU": cpu_model(),
        "cores": f"{os.cpu_count()} logical ({usable} usable by this process); numba threads {numba.get_num_threads()}",
        "memory": memory,
        "OS": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": _version("scipy"),
        "numba": numba.__version__,
        "torch": _version("torch"),
        "colour-science": _version("colour-science"),
        "camsim": _camsim_version(),
    }


def load_average() -> str:
    """The 1-, 5- and 15-minute load averages (runnable processes), or "unknown"."""
    try:
        return " / ".join(f"{x:.2f}" for x in os.getloadavg())
    except (AttributeError, OSError):
        return "unknown"


def _camsim_version() -> str:
    import camsim

    version = camsim.__version__
    try:
        import subprocess

        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, timeout=5,
                              cwd=Path(__file__).parent).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], capture_output=True,
                               text=True, timeout=5, cwd=Path(__file__).parent).stdout.strip()
        if head:
            version += f" (git {head}{', uncommitted changes' if dirty else ''})"
    except (OSError, subprocess.SubprocessError):
        pass
    return version


# ----------------------------------------------------------------------------- inputs


def random_image(rows: int, cols: int, seed: int = 0) -> np.ndarray:
    """
    A deterministic natural-looking uint8 RGB test image ``(rows, cols, 3)``: a smooth
    colour gradient under ~60 random opaque discs and rectangles of random colour
    (dead-leaves-like edges at every scale), with mild pixel noise.
    """
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:rows, 0:cols].astype(np.float32)
    yy /= max(rows - 1, 1)
    xx /= max(cols - 1, 1)
    c0, c1, c2 = rng.uniform(0.1, 0.9, (3, 3)).astype(np.float32)
    img = c0 + xx[..., None] * (c1 - c0) + yy[..., None] * (c2 - c0)
    n = min(rows, cols)
    for _ in range(60):
        colour = rng.uniform(0.02, 0.98, 3).astype(np.float32)
        r0, c0_ = rng.uniform(0, rows), rng.uniform(0, cols)
        size = n * rng.uniform(0.03, 0.3)
        r_lo, r_hi = int(max(r0 - size, 0)), int(min(r0 + size, rows))
        c_lo, c_hi = int(max(c0_ - size, 0)), int(min(c0_ + size, cols))
        if r_hi <= r_lo or c_hi <= c_lo:
            continue
        if rng.random() < 0.5:
            img[r_lo:r_hi, c_lo:c_hi] = colour
        else:
            dy = np.arange(r_lo, r_hi)[:, None] - r0
            dx = np.arange(c_lo, c_hi)[None, :] - c0_
            img[r_lo:r_hi, c_lo:c_hi][dy * dy + dx * dx <= size * size] = colour
    img += rng.normal(0.0, 0.01, img.shape).astype(np.float32)
    return np.clip(np.round(img * 255.0), 0, 255).astype(np.uint8)


# ----------------------------------------------------------------------------- RESULTS.md


def _md(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def write_results(path: str | os.PathLike, rows: list[Row], *, info: dict[str, str], command: str,
                  repeats: str, notes: list[str] | None = None, wall_s: float | None = None,
                  load: tuple[str, str] | None = None) -> Path:
    """
    Write the results as Markdown to ``path`` atomically (a temporary file in the same
    folder, then :func:`os.replace`), so an interrupted run never leaves half a file.
    """
    path = Path(path)
    now = datetime.datetime.now().astimezone()
    lines = [
        "# camsim benchmark results",
        "",
        "Written by `python -m benchmarks` (do not edit by hand; rerun it).",
        "",
        f"- **Command:** `{command}`",
        f"- **Date:** {now.strftime('%Y-%m-%d %H:%M %Z')}",
        f"- **Method:** {repeats}; every baseline runs in the same process as the code it is "
        "compared with; ratio = baseline time / camsim time (> 1: camsim is faster).",
    ]
    if wall_s is not None:
        lines.append(f"- **Total wall time of the run:** {wall_s:.0f} s")
    if load is not None:
        lines.append(f"- **Load average (1 / 5 / 15 min):** {load[0]} at the start, {load[1]} at the end "
                     f"(other processes on the machine compete for its cores: above the core count, timings, "
                     f"and above all numba's parallel regions, are slowed)")
    lines += ["", "## Machine", "", "| | |", "|---|---|"]
    lines += [f"| {_md(k)} | {_md(v)} |" for k, v in info.items()]
    lines += ["", "## Results", "",
              "| benchmark | case | camsim | baseline | ratio | target | notes |",
              "|---|---|---:|---:|---:|---|---|"]
    for r in rows:
        base = "—" if r.baseline_s is None else f"{fmt_s(r.baseline_s)} ({_md(r.baseline)})"
        ratio = "—" if r.ratio is None else f"×{r.ratio:.2f}"
        lines.append(f"| {_md(r.benchmark)} | {_md(r.case)} | {fmt_s(r.ours_s)} | {base} | {ratio} | "
                     f"{_md(_verdict(r))} | {_md(r.extra)} |")
    if notes:
        lines += ["", "## Notes", ""] + [f"- {_md(n)}" for n in notes]
    text = "\n".join(lines) + "\n"
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return path


def _spin(stop) -> None:  # pragma: no cover - runs in the spinner process
    x = 0
    while not stop.is_set():
        for _ in range(100_000):
            x += 1


class busy_core:
    """
    Context manager: one process spinning on a core for the duration (``--busy``), to time
    camsim as users see it when another job holds a core (a numba parallel region then
    waits milliseconds for its second thread).
    """

    def __enter__(self):
        import multiprocessing as mp

        ctx = mp.get_context("fork")
        self._stop = ctx.Event()
        self._proc = ctx.Process(target=_spin, args=(self._stop,), daemon=True)
        self._proc.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._proc.join(timeout=5)
        if self._proc.is_alive():
            self._proc.terminate()
        return False
