"""Kernel twins (:mod:`camsim._kernels.twin`): one body, serial and parallel, never confused by numba's cache.

numba's on-disk cache keys a function's entries by signature, CPU and bytecode, not by
``parallel``; a serial and a parallel dispatcher of one function object would share
them. These tests run fresh interpreters on a cache they filled themselves and check,
with ``numba.get_thread_id`` inside the kernel, that the serial variant loaded from the
warm cache really runs on one thread, and that both variants give the same numbers.
"""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numba
import numpy as np
import pytest

import importlib
import pkgutil

import camsim._kernels
from camsim._kernels import demosaic
from camsim._kernels.twin import NS_PER_ITEM, Twin, twin

ROOT = Path(__file__).resolve().parents[2]
NO_JIT = pytest.mark.skipif(numba.config.DISABLE_JIT, reason="numba's cache needs the JIT")

PROBE_MODULE = '''
import numba as nb
import numpy as np

from camsim._kernels.twin import twin


@twin("normalise")
def probe(x, ids, out):
    for i in nb.prange(x.size):
        ids[i] = nb.get_thread_id()
        out[i] = np.sqrt(x[i]) * 3.0 + i
'''

PROBE_RUN = '''
import json, sys
import numba
import numpy as np
import probe_kernels as m

# get_thread_id in code loaded from the cache calls into numba's threading layer, which
# only compiling or launching threads initialises (else: a segfault); this launches them.
numba.get_num_threads()

res = {}
x = np.linspace(0.0, 9.0, 4000)
for variant in sys.argv[1].split(","):
    f = getattr(m.probe, variant)
    ids, out = np.zeros(x.size, np.int64), np.empty(x.size)
    f(x, ids, out)
    res[variant] = {"ids": sorted(set(ids.tolist())), "hits": sum(f.stats.cache_hits.values()),
                    "misses": sum(f.stats.cache_misses.values()), "parallel": bool(f.targetoptions.get("parallel")),
                    "out": out.tolist()}
print(json.dumps(res))
'''


def _run(tmp_path, script, arg, cache):
    env = dict(os.environ, NUMBA_CACHE_DIR=str(cache), NUMBA_NUM_THREADS="2",
               PYTHONPATH=os.pathsep.join([str(tmp_path), str(ROOT)]))
    env.pop("NUMBA_DISABLE_JIT", None)
    done = subprocess.run([sys.executable, "-c", script, arg], env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@NO_JIT
@pytest.mark.parametrize("first", ["parallel,serial", "serial,parallel"])
def test_serial_twin_from_a_warm_cache_runs_on_one_thread(tmp_path, first):
    (tmp_path / "probe_kernels.py").write_text(textwrap.dedent(PROBE_MODULE))
    cache = tmp_path / "cache"
    cold = _run(tmp_path, PROBE_RUN, first, cache)  # compiles both, in this order, and saves them
    warm = _run(tmp_path, PROBE_RUN, "serial,parallel", cache)  # a fresh process: both from the cache
    for res in (cold, warm):
        assert res["serial"]["ids"] == [0]  # every iteration on the calling thread
        assert res["parallel"]["ids"] == [0, 1]  # two threads shared the prange loop
        assert not res["serial"]["parallel"] and res["parallel"]["parallel"]
        assert res["serial"]["out"] == res["parallel"]["out"]
    assert warm["serial"]["hits"] >= 1 and warm["parallel"]["hits"] >= 1
    assert warm["serial"]["misses"] == warm["parallel"]["misses"] == 0
    indexes = sorted(p.name.split("-")[0] for p in cache.rglob("*.nbi"))
    assert indexes == ["probe_kernels.probe_parallel", "probe_kernels.probe_serial"]  # one index each


READOUT_RUN = '''
import json, sys
import numpy as np
from camsim._kernels import noise

rng = np.random.default_rng(5)
shape = (40, 64)
mean_e = rng.choice([0.0, 3.0, 9.99, 10.0, 800.0], size=shape) * rng.random(shape)
params = noise.ReadoutParams(dark=2.0, shot=True, read=3.0, full_well=1e4, volts_per_e=1e-4, offset=0.0, swing=1.0,
                             levels=4096.0)
res = {}
for variant in ("serial", "parallel"):
    f = getattr(noise._readout, variant)
    e, v, d = np.empty(shape, np.float32), np.empty(shape, np.float32), np.empty(shape, np.uint16)
    f(mean_e, np.ones(shape), np.ones(shape[1]), np.zeros(shape), params, np.uint64(7), e, v, d)
    res[variant] = {"hits": sum(f.stats.cache_hits.values()), "e": e.tolist(), "d": d.tolist()}
print(json.dumps(res))
'''


@NO_JIT
def test_readout_twins_from_a_warm_cache_agree(tmp_path):
    cache = tmp_path / "cache"
    cold = _run(tmp_path, READOUT_RUN, "", cache)
    warm = _run(tmp_path, READOUT_RUN, "", cache)
    assert warm["serial"]["hits"] >= 1 and warm["parallel"]["hits"] >= 1
    for res in (cold, warm):
        assert res["serial"]["e"] == res["parallel"]["e"] and res["serial"]["d"] == res["parallel"]["d"]
    assert cold["serial"]["e"] == warm["serial"]["e"]
    names = {p.name.split("-")[0] for p in cache.rglob("*.nbi")}
    assert {"noise._readout_serial", "noise._readout_parallel"} <= names


def test_every_twin_has_a_cost_and_two_distinct_functions():
    mods = [importlib.import_module(f"camsim._kernels.{m.name}") for m in pkgutil.iter_modules(camsim._kernels.__path__)]
    twins = [v for mod in mods for v in vars(mod).values() if isinstance(v, Twin)]
    # no hand-written serial/parallel pairs left beside the twins
    assert not [f"{mod.__name__}.{n}" for mod in mods for n in vars(mod) if n.endswith(("_parallel", "_serial"))]
    assert {t.cost for t in twins} == set(NS_PER_ITEM)  # the table has no stale entry and misses none
    for t in twins:
        if numba.config.DISABLE_JIT:
            serial, par = t.serial, t.parallel
        else:
            serial, par = t.serial.py_func, t.parallel.py_func
            assert t.parallel.targetoptions.get("parallel") and not t.serial.targetoptions.get("parallel")
        assert serial.__qualname__ != par.__qualname__  # own numba cache index each
        assert serial.__code__.co_code == par.__code__.co_code  # one body


def test_twin_rejects_an_unknown_cost():
    with pytest.raises(ValueError, match="`cost` must be a key of NS_PER_ITEM"):
        twin("no such kernel")(lambda x: x)


def test_demosaic_twins_agree_exactly():
    """Serial and parallel demosaic kernels (on more rows than threads) give the same samples."""
    rng = np.random.default_rng(2)
    m = rng.random((67, 45), dtype=np.float32)
    cfa = np.array([[1, 0], [2, 1]], np.int8)
    pads = []
    for fn in (demosaic._pad.serial, demosaic._pad.parallel):
        out = np.empty((71, 49), np.float32)
        fn(m, 2, out)
        pads.append(out)
    np.testing.assert_array_equal(*pads)
    rgb = rng.random((67, 45, 3), dtype=np.float32)
    mosaics = [np.empty((67, 45), np.float32) for _ in range(2)]
    demosaic._mosaic.serial(rgb, cfa, mosaics[0])
    demosaic._mosaic.parallel(rgb, cfa, mosaics[1])
    np.testing.assert_array_equal(*mosaics)
    for name, p in (("_bilinear", pads[0][1:-1, 1:-1]), ("_malvar", pads[0])):
        outs = []
        for fn in (getattr(demosaic, name).serial, getattr(demosaic, name).parallel):
            out = np.empty((67, 45, 3), np.float32)
            fn(np.ascontiguousarray(p), cfa, out)
            outs.append(out)
        np.testing.assert_array_equal(*outs)
