"""
Threads — one knob for every thread pool camsim uses
====================================================

camsim runs multi-threaded in two places: the numba kernels (``parallel=True``:
spectral projection, demosaic, noise) and the FFTs of the optics
(:func:`scipy.fft.rfft2` ``workers=``). :func:`set_threads` sets both, so that N worker
processes on N cores each run one thread instead of N (N² threads fighting for the
cores). The default (None) is numba's default and ``os.cpu_count()`` FFT workers.

Parallel only where it pays: every numba kernel and FFT asks :func:`parallel` with the
size of its job and its measured serial cost per item (ns; for the kernels, the one table
``camsim._kernels.twin.NS_PER_ITEM``), and runs on the calling
thread when the estimated serial time is below :data:`PARALLEL_MIN_NS`, or whenever one
thread is set. A parallel region costs tens of microseconds on an idle machine but
4–16 ms (whole scheduler ticks) when another process holds a core: the region waits
for a worker thread that is not scheduled. Measured with
``python -m benchmarks.bench_threshold`` (see ``benchmarks/RESULTS.md``): with one core
busy, parallel broke even for jobs of ~20 ms serial work and lost below, so a job must
carry at least that much work to be split. Results never depend on the choice.
"""

from __future__ import annotations

import numbers
import os

__all__ = ["set_threads", "get_threads", "fft_workers", "parallel", "PARALLEL_MIN_NS"]

_THREADS: int | None = None

PARALLEL_MIN_NS = 20e6  # estimated serial work (ns) below which a job runs on the calling thread (module docstring)
FFT_NS_PER_ELEMENT = 2.5  # scipy.fft rfft2/irfft2, one thread, per real element (measured, 640² planes)


def set_threads(n: int | None) -> None:
    """
    Use ``n`` threads (>= 1) for camsim's numba kernels and FFTs in this process; None
    restores the defaults (all cores).
    """
    import numba

    global _THREADS
    if n is None:
        _THREADS = None
        numba.set_num_threads(numba.config.NUMBA_DEFAULT_NUM_THREADS)
        return
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or not 1 <= n <= 4096:
        raise ValueError(f"`n` must be an integer in [1, 4096] threads or None; got {n!r}")
    n = min(int(n), numba.config.NUMBA_DEFAULT_NUM_THREADS)
    numba.set_num_threads(n)
    _THREADS = n


def get_threads() -> int | None:
    """The value set by :func:`set_threads` (None: defaults)."""
    return _THREADS


def parallel(items: int, ns_per_item: float) -> bool:
    """
    Whether a job of ``items`` items costing ``ns_per_item`` each on one thread should
    use numba's threads: at least :data:`PARALLEL_MIN_NS` of work and more than one thread.
    """
    if items * ns_per_item < PARALLEL_MIN_NS:
        return False
    import numba

    return numba.get_num_threads() > 1


def fft_workers(work: int | None = None) -> int:
    """
    Threads for :mod:`scipy.fft` calls: the :func:`set_threads` value, else
    ``os.cpu_count()``; 1 for a transform of ``work`` real elements whose estimated
    time is below :data:`PARALLEL_MIN_NS`.
    """
    if work is not None and work * FFT_NS_PER_ELEMENT < PARALLEL_MIN_NS:
        return 1
    return _THREADS if _THREADS is not None else (os.cpu_count() or 1)
