"""
Kernel twins — one ``prange`` body compiled serial and parallel, one table of costs
===================================================================================

Every row-parallel kernel of :mod:`camsim._kernels` is written once, as a plain
function whose outer loop is ``numba.prange``, and decorated with :func:`twin`. That
compiles it twice: with ``parallel=True`` (the ``prange`` loop is split between
numba's threads) and without (numba runs ``prange`` as ``range`` on the calling
thread). :meth:`Twin.pick` chooses between them with :func:`camsim.threads.parallel`
from the job size and the kernel's serial cost per item in :data:`NS_PER_ITEM` — the
one table of those costs. Each body writes every output element from the same
operations in the same order whichever loop runs it, so results never depend on the
choice.

On-disk cache. numba's ``cache=True`` names a function's cache index after its
``__qualname__`` and first line, and keys the entries of that index by signature,
CPU and a hash of the bytecode only — not by ``parallel``. Two dispatchers built from
one function object would therefore share one index and load each other's machine
code. So each variant is compiled from its own function object, a copy of the body
renamed ``<name>_serial`` / ``<name>_parallel``: two cache indexes, never shared
(``tests/camsim/test_kernels_twin.py`` checks this in fresh processes).

References
----------
- numba documentation, "Automatic parallelization with @jit" (``prange`` runs as
  ``range`` when ``parallel=False``) and ``numba/core/caching.py`` (``_CacheImpl``,
  ``Cache._index_key``).
"""

from __future__ import annotations

import types

import numba as nb

from ..threads import parallel

__all__ = ["NS_PER_ITEM", "Twin", "twin"]

# Serial cost per item (ns, one thread) of each kernel: what camsim.threads.parallel weighs
# against PARALLEL_MIN_NS. Measured with ``python -m benchmarks.bench_threshold`` and
# ``benchmarks.bench_noise`` (see benchmarks/RESULTS.md); an item is what the kernel's
# wrapper counts (a pixel unless stated).
NS_PER_ITEM = {
    "pad_mirror": 0.3,  # padded-image pixel
    "bilinear": 2.0,
    "malvar": 3.0,
    "menon": 18.0,  # all eight stages
    "mosaic": 1.0,  # 0.6 (float32) to 1.1 (float64)
    "normalise": 1.0,  # raw sample
    "colour_pass": 3.5,
    "finish_pass": 6.0,
    "readout": 27.0,  # exact Poisson + read noise, the noisy case (bench_noise: 25-27 ns/pixel/thread)
    "normal_field": 8.0,
    "area_resample": 0.5,  # multiply-add
    "area_resample_cfa": 0.5,  # multiply-add
    "combine_spectra": 1.0,  # complex multiply-add
    "mix_planes": 0.5,  # multiply-add (pixel × plane × wavelength)
}


def _renamed(body: types.FunctionType, suffix: str) -> types.FunctionType:
    """A copy of ``body`` named ``<name>_<suffix>`` (own qualname, hence own numba cache index)."""
    name = f"{body.__name__}_{suffix}"
    qualname = f"{body.__qualname__}_{suffix}"
    changes = {"co_name": name}
    if hasattr(body.__code__, "co_qualname"):  # Python >= 3.11
        changes["co_qualname"] = qualname
    fn = types.FunctionType(body.__code__.replace(**changes), body.__globals__, name,
                            body.__defaults__, body.__closure__)
    fn.__qualname__ = qualname
    fn.__module__ = body.__module__
    fn.__doc__ = body.__doc__
    fn.__kwdefaults__ = body.__kwdefaults__
    return fn


class Twin:
    """The serial and parallel compilations of one kernel body, and the choice between them."""

    def __init__(self, body: types.FunctionType, cost: str):
        if cost not in NS_PER_ITEM:
            raise ValueError(f"`cost` must be a key of NS_PER_ITEM; got {cost!r}")
        self.__name__ = body.__name__
        self.__doc__ = body.__doc__
        self.cost = cost
        self.serial = nb.njit(cache=True)(_renamed(body, "serial"))
        self.parallel = nb.njit(cache=True, parallel=True)(_renamed(body, "parallel"))

    def pick(self, items: int):
        """The parallel dispatcher if a job of ``items`` items pays for threads, else the serial one."""
        return self.parallel if parallel(items, NS_PER_ITEM[self.cost]) else self.serial

    def __repr__(self) -> str:
        return f"<Twin {self.__name__} ({self.cost}: {NS_PER_ITEM[self.cost]} ns/item)>"


def twin(cost: str):
    """Decorator: compile a ``prange`` kernel body as a :class:`Twin`; ``cost`` keys :data:`NS_PER_ITEM`."""
    return lambda body: Twin(body, cost)
