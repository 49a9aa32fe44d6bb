"""
Profile — where W1 and W2 spend their time with a second core busy
===================================================================

cProfile of 20 warm captures per workload while a spinning process holds one core
(:func:`benchmarks._harness.busy_core`); prints the top entries by own time, per capture.
W1: ``camsim.Camera()`` on a 512² image; W2: the same at f/22 with 1 µm pixels.

Run: ``PYTHONPATH=. python benchmarks/profile_busy.py`` (results in ``benchmarks/RESULTS.md``).
"""

from __future__ import annotations

import cProfile
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import camsim  # noqa: E402
from benchmarks._harness import busy_core, random_image  # noqa: E402

N_CAPTURES = 20


def main() -> None:
    img = random_image(512, 512, seed=1)
    for label, cam in (("W1", camsim.Camera()), ("W2", camsim.Camera(fnumber=22.0, pixel_pitch=1e-6))):
        for _ in range(3):
            cam.capture(img, seed=1)  # warm: numba cache, effective OTF, colour matrix
        with busy_core():
            time.sleep(0.3)
            prof = cProfile.Profile()
            prof.enable()
            t0 = time.perf_counter()
            for i in range(N_CAPTURES):
                cam.capture(img, seed=i)
            dt = (time.perf_counter() - t0) / N_CAPTURES
            prof.disable()
        stats = pstats.Stats(prof).stats
        print(f"--- {label}, second core busy: {dt * 1e3:.1f} ms per capture (profiled); own time per capture:")
        for (path, _, name), (_, _, own, _, _) in sorted(stats.items(), key=lambda kv: -kv[1][2])[:9]:
            print(f"   {own / N_CAPTURES * 1e3:6.2f} ms  {path.split('/')[-1]}:{name}")


if __name__ == "__main__":
    main()
