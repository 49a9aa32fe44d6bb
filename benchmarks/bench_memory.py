"""
Benchmark — peak memory of a 12-megapixel capture
=================================================

A 4000×3000 RGB image (31 wavelengths, so a 1.49 GB float32 radiance cube if it were
materialised: 4000·3000·31·4 B) goes through the whole chain of ``camsim.Camera()``
in a fresh process; the process reports its own peak resident set size and the
capture time. The peak is Linux's ``VmHWM`` (``/proc/self/status``), the high-water
mark of the process's resident memory: ``getrusage(...).ru_maxrss`` would do, except
that on Linux a child inherits in it the RSS its parent had when it forked, which
made a capture started from a large parent (one with torch loaded) look as big.
Target: peak RSS ≤ 3 GB. The same capture on the reference per-wavelength path
(``Camera(fast=False)``), which holds the padded spectral cube, is measured too in the
full run (``--quick``: a 2000×1500 image, fast path only).

The image is a 500×375 random-content image tiled to size (uint8, 36 MB), so that
making it adds nothing to the peak; the RSS after imports and image creation is
reported beside the peak.

Run: ``.venv/bin/python -m benchmarks.bench_memory [--quick]``
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

from benchmarks._harness import Row, print_rows

__all__ = ["NOTES", "SHAPE", "QUICK_SHAPE", "N_WAVE", "TARGET_BYTES", "measure", "rows", "main"]

SHAPE = (3000, 4000)  # rows, cols: 12 MP
QUICK_SHAPE = (1500, 2000)
N_WAVE = 31
TARGET_BYTES = 3e9
TIMEOUT_S = 600
NOTES = (
    "memory_capture: peak RSS is the capture process's own VmHWM (Linux), read in that fresh process; "
    "ru_maxrss would include the RSS the parent had when it forked.",
)

_CHILD = textwrap.dedent("""
    import json, sys, time
    import numpy as np
    import camsim
    from benchmarks._harness import random_image

    def hwm_kib():
        # Peak RSS of this address space (Linux VmHWM). Unlike ru_maxrss it starts afresh at
        # exec, so it does not include the parent's RSS at fork time.
        with open("/proc/self/status") as f:
            return int(next(l for l in f if l.startswith("VmHWM")).split()[1])

    rows, cols, fast = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3] == "1"
    tile = random_image(375, 500, seed=7)
    img = np.ascontiguousarray(np.tile(tile, (-(-rows // 375), -(-cols // 500), 1))[:rows, :cols])
    cam = camsim.Camera() if fast else camsim.Camera(fast=False)
    before = hwm_kib()
    t0 = time.perf_counter()
    cap = cam.capture(img, seed=0)
    dt = time.perf_counter() - t0
    print(json.dumps({"peak_kib": hwm_kib(), "before_kib": before, "seconds": dt,
                      "raw_shape": list(cap.raw.electrons.shape), "n_wave": int(cap.scene.n_wave)}))
""")


def measure(shape: tuple[int, int], *, fast: bool = True) -> dict:
    """Run one capture in a fresh process; its peak RSS (KiB), RSS before the capture, time (s)."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = dict(os.environ, PYTHONPATH=root + os.pathsep + os.environ.get("PYTHONPATH", ""))
    res = subprocess.run([sys.executable, "-c", _CHILD, str(shape[0]), str(shape[1]), "1" if fast else "0"],
                         capture_output=True, text=True, env=env, cwd=root, timeout=TIMEOUT_S)
    if res.returncode != 0:
        raise RuntimeError(f"capture process failed ({res.returncode}): {res.stderr.strip().splitlines()[-1:]}")
    return json.loads(res.stdout.strip().splitlines()[-1])


def _has_reference_switch() -> bool:
    import dataclasses

    import camsim

    return any(f.name == "fast" for f in dataclasses.fields(camsim.Camera))


def rows(quick: bool = False) -> list[Row]:
    shape = QUICK_SHAPE if quick else SHAPE
    mp = shape[0] * shape[1] / 1e6
    cube_gb = shape[0] * shape[1] * N_WAVE * 4 / 1e9
    label = f"{shape[1]}x{shape[0]} ({mp:.0f} MP, {N_WAVE} wavelengths)"
    r = measure(shape)
    peak = r["peak_kib"] * 1024
    out = [Row("memory_capture", f"{label}, Camera()", r["seconds"],
               extra=f"peak RSS {peak / 1e9:.2f} GB (after imports + image: {r['before_kib'] * 1024 / 1e9:.2f} GB); "
                     f"raw {r['raw_shape'][1]}x{r['raw_shape'][0]}; a materialised radiance cube alone would be "
                     f"{cube_gb:.2f} GB",
               target="peak RSS ≤ 3 GB" if not quick else "", met=(peak <= TARGET_BYTES) if not quick else None)]
    if not quick and _has_reference_switch():
        try:
            ref = measure(shape, fast=False)
        except (RuntimeError, subprocess.TimeoutExpired) as exc:
            out.append(Row("memory_capture", f"{label}, reference path", float("nan"),
                           extra=f"not measured ({type(exc).__name__}); its padded cube alone is "
                                 f"{cube_gb * 1.25**2:.2f} GB"))
        else:
            out.append(Row("memory_capture", f"{label}, reference path (fast=False)", ref["seconds"],
                           extra=f"peak RSS {ref['peak_kib'] * 1024 / 1e9:.2f} GB (per-wavelength path, padded "
                                 f"cube {cube_gb * 1.25**2:.2f} GB)"))
    return out


def main() -> None:
    print_rows(rows(quick="--quick" in sys.argv[1:]))


if __name__ == "__main__":
    main()
