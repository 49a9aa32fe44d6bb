"""
Threads — one knob for every thread pool camsim uses
====================================================

camsim runs multi-threaded in two places: the numba kernels (``parallel=True``:
spectral projection, demosaic, noise) and the FFTs of the optics
(:func:`scipy.fft.rfft2` ``workers=``). :func:`set_threads` sets both, so that N worker
processes on N cores each run one thread instead of N (N² threads fighting for the
cores). The default (None) is numba's default and ``os.cpu_count()`` FFT workers.
"""

from __future__ import annotations

import numbers
import os

__all__ = ["set_threads", "get_threads", "fft_workers"]

_THREADS: int | None = None


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


def fft_workers() -> int:
    """Threads for :mod:`scipy.fft` calls: the :func:`set_threads` value, else ``os.cpu_count()``."""
    return _THREADS if _THREADS is not None else (os.cpu_count() or 1)
