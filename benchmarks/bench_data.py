"""
Benchmark — ``srgan prepare``: the study's pair data set
========================================================

- ``camera tasks``: ``sr_color``, ``sr_pixel``, ``sr_deblur`` in ``whole`` mode on
  distinct 500×375 PNG photos-like images (:func:`benchmarks._harness.random_image`),
  ``--workers 2``; timed on a subset and extrapolated linearly to the study's
  1,800 images × 3 tasks (worker start-up counted once per task). Start-up (spawning the workers, imports, numba cache loading, the first image) is
  timed separately on 2 images and counted once per task. Target ≤ 3 min.
- ``sr``: the bicubic task, pairs/s (file reading + hashing + bicubic + shard writes).
  Target ≥ 500 pairs/s.
- ``reuse``: a second ``prepare`` with the same configuration (hashing the sources,
  finding the shards). Target ≤ 5 s for 1,800 sources (extrapolated from the subset).
- ``memory``: peak resident memory of the whole process tree (parent + 2 workers,
  sampled from /proc every 50 ms) during a camera-task ``prepare``. Target ≤ 2 GB.

Run: ``.venv/bin/python -m benchmarks data`` (``--quick`` for a smoke run).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

try:
    from ._harness import Row, load_average, random_image
except ImportError:  # run as a script
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from benchmarks._harness import Row, load_average, random_image

SHAPE = (375, 500)
N_STUDY = 1800
NOTES = ("data: camera tasks timed on a subset of distinct 500x375 images and extrapolated linearly to 1,800 x 3; "
         "the machine is shared (load average given in the rows).",)


def _write_images(folder: Path, n: int, seed0: int = 5000) -> None:
    import imageio.v3 as iio

    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        iio.imwrite(folder / f"im{i:04d}.png", random_image(*SHAPE, seed=seed0 + i))


def _tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and its descendants."""
    kids = {pid}
    procs = {}
    for d in Path("/proc").glob("[0-9]*"):
        try:
            stat = (d / "stat").read_text()
            procs[int(d.name)] = (int(stat.rsplit(")", 1)[1].split()[1]), int(stat.rsplit(")", 1)[1].split()[21]))
        except (OSError, ValueError, IndexError):
            continue
    changed = True
    while changed:
        changed = False
        for p, (ppid, _) in procs.items():
            if ppid in kids and p not in kids:
                kids.add(p)
                changed = True
    page = os.sysconf("SC_PAGE_SIZE")
    return sum(procs[p][1] * page for p in kids if p in procs)


def rows(quick: bool = False, full: bool = False) -> list[Row]:
    from srgan.data import prepare

    n_cam = 8 if quick else (N_STUDY if full else 40)
    n_sr = 100 if quick else 600
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        _write_images(tmp / "sr_imgs", n_sr)
        cam_dir = tmp / "cam_imgs"
        cam_dir.mkdir()
        for f in sorted((tmp / "sr_imgs").iterdir())[:n_cam]:
            os.link(f, cam_dir / f.name)
        if n_cam > n_sr:
            _write_images(cam_dir, n_cam - n_sr, seed0=9000)
        small = tmp / "cam2"
        small.mkdir()
        for f in sorted(cam_dir.iterdir())[:2]:
            os.link(f, small / f.name)
        total_est, parts = 0.0, []
        for task in ("sr_color", "sr_pixel", "sr_deblur"):
            t0 = time.perf_counter()  # start-up (spawn, imports, first calls) + one image per worker
            prepare(task, tmp / f"c2_{task}", images=[small], workers=2, progress=False)
            t_small = time.perf_counter() - t0
            t0 = time.perf_counter()
            prepare(task, tmp / f"c_{task}", images=[cam_dir], workers=2, progress=False)
            dt = time.perf_counter() - t0
            per_image = max(dt - t_small, 0.0) / (n_cam - 2)
            total_est += dt if full else t_small + per_image * (N_STUDY - 2)
            parts.append(f"{task} {1 / per_image:.1f} pairs/s after a {t_small:.1f} s start")
        out.append(Row("data", f"camera tasks, {N_STUDY} x 3 whole-mode pairs, 2 workers"
                       + ("" if full else f" (extrapolated from {n_cam} x 3)"), total_est,
                       extra="; ".join(parts) + f"; load {load_average()}", target="≤ 3 min", met=total_est <= 180))
        t0 = time.perf_counter()
        prepare("sr", tmp / "c_sr", images=[tmp / "sr_imgs"], workers=1, progress=False)
        dt = time.perf_counter() - t0
        out.append(Row("data", f"sr task, {n_sr} pairs, 1 process", dt, extra=f"{n_sr / dt:.0f} pairs/s",
                       target="≥ 500 pairs/s", met=n_sr / dt >= 500))
        t0 = time.perf_counter()
        s2 = prepare("sr", tmp / "c_sr", images=[tmp / "sr_imgs"], workers=1, progress=False)
        dt2 = time.perf_counter() - t0
        est = dt2 * N_STUDY / n_sr
        out.append(Row("data", f"second prepare, same config ({N_STUDY} sources, extrapolated from {n_sr})", est,
                       extra=f"{n_sr} sources in {dt2:.2f} s; {s2.captures} captures", target="≤ 5 s", met=est <= 5))
        code = ("import sys; from srgan.data import prepare; "
                "prepare('sr_deblur', sys.argv[1], images=[sys.argv[2]], workers=2, progress=False)")
        env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1]))
        p = subprocess.Popen([sys.executable, "-c", code, str(tmp / "c_mem"), str(cam_dir)], env=env)
        peak = 0
        t0 = time.perf_counter()
        while p.poll() is None:
            peak = max(peak, _tree_rss(p.pid))
            time.sleep(0.05)
        out.append(Row("data", "peak RSS, prepare sr_deblur, parent + 2 workers", time.perf_counter() - t0,
                       extra=f"{peak / 2**30:.2f} GiB peak (process tree)", target="≤ 2 GB", met=peak <= 2e9))
    return out


if __name__ == "__main__":
    from benchmarks._harness import print_rows

    print_rows(rows(quick="--quick" in sys.argv, full="--full" in sys.argv))
