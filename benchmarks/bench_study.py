"""
Benchmark — generating the study's data set
===========================================

The study degrades 1,800 images of 500×375 pixels with each of the three presets
(5,400 captures) in whole-image mode, as ``camsim simulate --size 32`` does: capture the
whole image, then take the centred square of the output and area-resize it to 32×32
(:func:`camsim.resize.resize_area`). Target: ≤ 5 minutes wall on 2 cores.

By default a representative subset is timed — ``SUBSET`` distinct random-content
500×375 images (:func:`benchmarks._harness.random_image`) × 3 presets, after one
untimed warm-up capture per preset — and the time is extrapolated linearly to 5,400
captures (the row says so). Two ways to use the 2 cores are timed:

* one process, the kernels and FFTs using every core (what ``camsim simulate`` does);
* ``os.cpu_count()`` worker processes with one numba thread each, the images dealt
  round-robin (their import and warm-up time is added once to the extrapolation).

``--full`` captures all 5,400 (1,800 distinct images × 3 presets) in one process
instead. Images are generated in memory; file reading and PNG writing are not timed.

Run: ``.venv/bin/python -m benchmarks.bench_study [--quick] [--full]``
"""

from __future__ import annotations

import multiprocessing as mp
import os
import sys
import time

import numpy as np

from benchmarks._harness import Row, print_rows, random_image

__all__ = ["NOTES", "N_IMAGES", "SHAPE", "LR_SIZE", "SUBSET", "QUICK_SUBSET", "TARGET_S", "degrade", "rows", "main"]

N_IMAGES = 1800  # images in the study
SHAPE = (375, 500)  # rows, cols of each image (500×375 landscape)
LR_SIZE = 32  # low-resolution side
SUBSET = 30  # distinct images timed by default (× 3 presets)
QUICK_SUBSET = 6
TARGET_S = 300.0  # 5 minutes for all 5,400 captures
NOTES = (
    "study_dataset: unless --full, a subset of distinct random-content 500x375 images x 3 presets is timed and "
    "extrapolated linearly to 5,400 captures; images are made in memory (no file reading or PNG writing).",
)


def degrade(camera, image: np.ndarray, seed: int) -> np.ndarray:
    """One study capture: whole image → sRGB → centred square → 32×32 area average (float32 in [0, 1])."""
    from camsim.resize import center_crop_square, resize_area

    out = camera.capture(image, seed=seed).image
    return np.clip(resize_area(center_crop_square(out), (LR_SIZE, LR_SIZE)), 0.0, 1.0)


def _cameras():
    import camsim

    return [camsim.Camera.preset(name) for name in camsim.presets.names()]


def _time_sequential(images: list[np.ndarray]) -> tuple[float, dict[str, float]]:
    """Wall time of every image through every preset in this process, and the time per preset."""
    cameras = _cameras()
    for cam in cameras:
        degrade(cam, images[0], seed=0)  # warm-up: caches, first-call costs
    per_preset = {}
    t_start = time.perf_counter()
    for cam in cameras:
        t0 = time.perf_counter()
        for i, img in enumerate(images):
            degrade(cam, img, seed=i)
        per_preset[cam.name] = time.perf_counter() - t0
    return time.perf_counter() - t_start, per_preset


def _worker(args) -> tuple[float, float, int]:
    """Worker process: (import + warm-up s, loop s, captures) for its share of the images."""
    seeds, n_workers, index = args
    t0 = time.perf_counter()
    import numba

    numba.set_num_threads(1)
    cameras = _cameras()
    images = [random_image(*SHAPE, seed=s) for s in seeds]
    for cam in cameras:
        degrade(cam, images[0], seed=0)
    t1 = time.perf_counter()
    n = 0
    for cam in cameras:
        for i, img in enumerate(images):
            degrade(cam, img, seed=i)
            n += 1
    return t1 - t0, time.perf_counter() - t1, n


def _time_processes(seeds: list[int], n_workers: int) -> tuple[float, float, int]:
    """(start-up s, loop wall s, captures) with ``n_workers`` spawned one-thread processes."""
    shares = [(seeds[k::n_workers], n_workers, k) for k in range(n_workers)]
    env_threads = os.environ.get("NUMBA_NUM_THREADS")
    os.environ["NUMBA_NUM_THREADS"] = "1"  # inherited by the spawned workers
    try:
        with mp.get_context("spawn").Pool(n_workers) as pool:
            results = pool.map(_worker, shares)
    finally:
        if env_threads is None:
            os.environ.pop("NUMBA_NUM_THREADS", None)
        else:
            os.environ["NUMBA_NUM_THREADS"] = env_threads
    startup = max(r[0] for r in results)
    loop = max(r[1] for r in results)  # the workers run concurrently
    return startup, loop, sum(r[2] for r in results)


def rows(quick: bool = False, full: bool = False) -> list[Row]:
    total = N_IMAGES * 3
    out = []
    if full:
        images = [random_image(*SHAPE, seed=1000 + i) for i in range(N_IMAGES)]
        wall, per_preset = _time_sequential(images)
        out.append(Row("study_dataset", f"all {total} captures ({N_IMAGES} x 3 presets), 1 process", wall,
                       extra="measured, not extrapolated; " + ", ".join(
                           f"{k} {v / N_IMAGES * 1e3:.0f} ms/img" for k, v in per_preset.items()),
                       target=f"≤ {TARGET_S / 60:g} min", met=wall <= TARGET_S))
        return out
    n = QUICK_SUBSET if quick else SUBSET
    seeds = [1000 + i for i in range(n)]
    images = [random_image(*SHAPE, seed=s) for s in seeds]
    wall, per_preset = _time_sequential(images)
    est = wall / (3 * n) * total
    out.append(Row("study_dataset", f"{total} captures, 1 process (extrapolated from {n} x 3)", est,
                   extra=f"timed {3 * n} captures in {wall:.1f} s; " + ", ".join(
                       f"{k} {v / n * 1e3:.0f} ms/img" for k, v in per_preset.items()),
                   target=f"≤ {TARGET_S / 60:g} min", met=est <= TARGET_S))
    n_workers = os.cpu_count() or 1
    if n_workers > 1:
        startup, loop, done = _time_processes(seeds, n_workers)
        est_p = startup + loop / done * total
        out.append(Row("study_dataset", f"{total} captures, {n_workers} processes x 1 thread (extrapolated)",
                       est_p, extra=f"timed {done} captures in {loop:.1f} s wall + {startup:.1f} s start-up "
                                    f"(imports, warm-up) counted once",
                       target=f"≤ {TARGET_S / 60:g} min", met=est_p <= TARGET_S))
    return out


def main() -> None:
    args = sys.argv[1:]
    print_rows(rows(quick="--quick" in args, full="--full" in args))


if __name__ == "__main__":
    main()
