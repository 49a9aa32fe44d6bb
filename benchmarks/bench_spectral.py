"""
Benchmark W3 — the spectral optical image of a 1024² photo, 31 wavelengths
==========================================================================

``camsim.Optics(fnumber=4).form_image(scene)`` for a 1024×1024 RGB image made a scene
by :meth:`camsim.Scene.from_image` (rank 3, 31 wavelengths, 10° field of view, 1.2 m),
ISETCam's 1/8 zero padding (1280×1280 padded grid, so the result is a
1280·1280·31·4 B = 203 MB float32 cube), against a straightforward NumPy/SciPy baseline
written here: the radiance cube materialised (``coefficients @ basis``), irradiance
factor and cos⁴ applied, zero-padded, then per wavelength a float32
``scipy.fft.rfft2`` (``workers`` = all cores), the diffraction-limited OTF
(Goodman §7.3, evaluated in float32) and ``irfft2``, into a wavelength-first cube (the
baseline's natural layout; camsim returns channels-last). The two results are checked
to agree (max |difference| / max per wavelength plane ≤ 1e-4) before timing.

Rows: the default (basis) path, warm (the per-wavelength OTF stack cached, as for a
study's same-size images) and its first call; the per-wavelength reference path
(``method='per_wavelength'``); the floor of an exact path (one full inverse real FFT per
wavelength and the write of the channels-last cube — the OTF stack is not low rank over
λ to 1e-4 once the cut-off lies inside the grid's band, as it does here, so the inverse
FFTs stay one per wavelength; pruning the columns past the cut-off trims them a little);
and the peak RSS of the default path in a fresh process
(Linux ``VmHWM``, see :mod:`benchmarks.bench_memory`). Issue 16 targets: ≥ 8× the
baseline, peak RSS ≤ 0.8 GB.

Run: ``.venv/bin/python -m benchmarks.bench_spectral [--quick]`` (``--quick``: 512²).
"""

from __future__ import annotations

import json
import math
import os
import statistics
import subprocess
import sys
import textwrap
import time

import numpy as np
import scipy.fft as sfft

import camsim
from benchmarks._harness import Row, load_average, print_rows, random_image

__all__ = ["baseline_irradiance", "measure_peak", "rows", "main", "NOTES", "TARGET_RATIO", "TARGET_PEAK_BYTES"]

SIZE, QUICK_SIZE = 1024, 512
FNUMBER = 4.0
TARGET_RATIO = 8.0
TARGET_PEAK_BYTES = 0.8e9
RTOL = 1e-4  # per wavelength plane, relative to the plane's maximum
WORKERS = os.cpu_count() or 1
TIMEOUT_S = 600
NOTES = (
    "bench_spectral baseline: radiance cube materialised, irradiance factor and cos⁴, zero pad 1/8, per-wavelength "
    "float32 rfft2 (all cores) × diffraction-limited OTF → irfft2, wavelength-first output (benchmarks/bench_spectral.py).",
)


def _scene(size: int) -> camsim.Scene:
    return camsim.Scene.from_image(random_image(size, size, seed=3))


def baseline_irradiance(scene: camsim.Scene, optics: camsim.Optics, *, workers: int = WORKERS) -> np.ndarray:
    """Spectral irradiance, photons/(s·m²·nm), float32 ``(n_wave, rows + 2·pad, cols + 2·pad)``."""
    rows, cols, n_wave = scene.shape
    d_i = 1.0 / (1.0 / optics.focal_length - 1.0 / scene.distance)
    mag = d_i / scene.distance
    dx = 2.0 * d_i * math.tan(math.radians(scene.fov) / 2.0) / cols
    gain = np.pi * optics.transmittance_at(scene.wave) / (1.0 + 4.0 * optics.fnumber ** 2 * (1.0 + mag) ** 2)
    y = (np.arange(rows) + 0.5 - rows / 2.0) * dx
    x = (np.arange(cols) + 0.5 - cols / 2.0) * dx
    c2 = d_i ** 2 / (d_i ** 2 + y[:, None] ** 2 + x[None, :] ** 2)
    cos4 = (c2 * c2).astype(np.float32)
    pr, pc = int(math.floor(rows * 0.125 + 0.5)), int(math.floor(cols * 0.125 + 0.5))
    big = (rows + 2 * pr, cols + 2 * pc)
    radiance = scene.radiance.transpose(2, 0, 1)  # (n_wave, rows, cols) view of the materialised cube
    fy = sfft.fftfreq(big[0], dx).astype(np.float32) * np.float32(1e-3)  # cycles/mm
    fx = sfft.rfftfreq(big[1], dx).astype(np.float32) * np.float32(1e-3)
    rho = np.sqrt(fy[:, None] ** 2 + fx[None, :] ** 2)
    out = np.empty((n_wave,) + big, np.float32)
    plane = np.zeros(big, np.float32)
    for k, lam in enumerate(scene.wave):
        plane[pr:pr + rows, pc:pc + cols] = radiance[k] * cos4 * np.float32(gain[k])
        spec = sfft.rfft2(plane, workers=workers)
        s = np.minimum(rho * np.float32(lam * 1e-6 * optics.fnumber), np.float32(1.0))
        spec *= np.float32(2.0 / np.pi) * (np.arccos(s) - s * np.sqrt(np.float32(1.0) - s * s))
        out[k] = sfft.irfft2(spec, s=big, workers=workers)
    return out


_CHILD = textwrap.dedent("""
    import json, sys, time
    import camsim
    from benchmarks._harness import random_image

    def hwm_kib():
        with open("/proc/self/status") as f:
            return int(next(l for l in f if l.startswith("VmHWM")).split()[1])

    size, fnumber, method = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
    scene = camsim.Scene.from_image(random_image(size, size, seed=3))
    optics = camsim.Optics(fnumber=fnumber)
    before = hwm_kib()
    t0 = time.perf_counter()
    oi = optics.form_image(scene, method=method)
    dt = time.perf_counter() - t0
    print(json.dumps({"peak_kib": hwm_kib(), "before_kib": before, "seconds": dt,
                      "cube_bytes": int(oi.irradiance.nbytes)}))
""")


def measure_peak(size: int, method: str = "auto") -> dict:
    """One ``form_image`` in a fresh process: its peak RSS (KiB), RSS before (KiB), time (s), cube bytes."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = dict(os.environ, PYTHONPATH=root + os.pathsep + os.environ.get("PYTHONPATH", ""))
    res = subprocess.run([sys.executable, "-c", _CHILD, str(size), str(FNUMBER), method],
                         capture_output=True, text=True, env=env, cwd=root, timeout=TIMEOUT_S)
    if res.returncode != 0:
        raise RuntimeError(f"form_image process failed ({res.returncode}): {res.stderr.strip().splitlines()[-1:]}")
    return json.loads(res.stdout.strip().splitlines()[-1])


def _max_plane_rel(ours_last: np.ndarray, ref_first: np.ndarray) -> float:
    worst = 0.0
    for k in range(ref_first.shape[0]):
        ref = ref_first[k]
        worst = max(worst, float(np.abs(ours_last[:, :, k] - ref).max() / np.abs(ref).max()))
    return worst


def _floor(shape: tuple[int, int], n_wave: int, *, workers: int = WORKERS) -> None:
    """About the least an exact path does: one full inverse real FFT per wavelength plane (the OTF
    stack is not low rank over λ once its cut-off lies inside the grid) and the write of the
    channels-last float32 cube."""
    spec = np.ones((8, shape[0], shape[1] // 2 + 1), np.complex64)
    out = np.empty(shape + (n_wave,), np.float32)
    for start in range(0, n_wave, 8):
        k = min(8, n_wave - start)
        out[:, :, start:start + k] = sfft.irfft2(spec[:k], s=shape, workers=workers).transpose(1, 2, 0)


def _interleaved_medians(fns: list, repeat: int) -> list[float]:
    """Median wall time (s) of each function, the runs taken in turn (a warm-up round first), so that a
    change in the machine's load during the measurement affects them alike."""
    times = [[] for _ in fns]
    for i in range(repeat + 1):
        for fn, ts in zip(fns, times):
            t0 = time.perf_counter()
            fn()
            if i:
                ts.append(time.perf_counter() - t0)
    return [statistics.median(ts) for ts in times]


def rows(quick: bool = False) -> list[Row]:
    size = QUICK_SIZE if quick else SIZE
    repeat = 3 if quick else 5
    scene = _scene(size)
    optics = camsim.Optics(fnumber=FNUMBER)
    label = f"{size}² photo, {scene.n_wave} λ, f/{FNUMBER:g}"
    t0 = time.perf_counter()
    fast = optics.form_image(scene)  # first call: evaluates and caches the OTF stack
    first = time.perf_counter() - t0
    ref = baseline_irradiance(scene, optics)
    rel = _max_plane_rel(fast.irradiance, ref)
    ref_rel = _max_plane_rel(optics.form_image(scene, method="per_wavelength").irradiance, ref)
    if rel > RTOL or ref_rel > RTOL:
        raise RuntimeError(f"camsim and the baseline disagree: {rel:.2e} (basis), {ref_rel:.2e} (per wavelength)")
    ref_shape = ref.shape[1:]
    del fast, ref
    big = ref_shape
    base_s, ours_s, per_wave_s, floor_s = _interleaved_medians([
        lambda: baseline_irradiance(scene, optics),
        lambda: optics.form_image(scene),
        lambda: optics.form_image(scene, method="per_wavelength"),
        lambda: _floor(big, scene.n_wave),
    ], repeat)
    load = load_average()
    base = "NumPy/SciPy per-λ"
    out = [
        Row("spectral_oi", f"{label}, form_image (basis, warm)", ours_s, base_s, base,
            extra=f"max plane rel diff {rel:.1e}; first call {first:.3f} s; load {load}",
            target=f"≥ {TARGET_RATIO:g}×" if not quick else "",
            met=(base_s / ours_s >= TARGET_RATIO) if not quick else None),
        Row("spectral_oi", f"{label}, per-wavelength reference", per_wave_s, base_s, base,
            extra=f"max plane rel diff {ref_rel:.1e}; load {load}"),
    ]
    out.append(Row("spectral_oi", f"{label}, floor: {scene.n_wave} irfft2 + cube write", floor_s, base_s, base,
                   extra=f"{scene.n_wave} inverse real FFTs of {big[0]}×{big[1]} and the channels-last "
                         f"{big[0] * big[1] * scene.n_wave * 4 / 1e6:.0f} MB float32 cube (the basis path prunes the "
                         f"columns past the cut-off, so it can come a little under this); load {load}"))
    peak = measure_peak(size)
    out.append(Row("spectral_oi", f"{label}, peak RSS (fresh process)", peak["seconds"],
                   extra=f"peak RSS {peak['peak_kib'] * 1024 / 1e9:.3f} GB (after imports + scene "
                         f"{peak['before_kib'] * 1024 / 1e9:.3f} GB; output cube {peak['cube_bytes'] / 1e6:.0f} MB)",
                   target="peak RSS ≤ 0.8 GB" if not quick else "",
                   met=(peak["peak_kib"] * 1024 <= TARGET_PEAK_BYTES) if not quick else None))
    return out


def main() -> None:
    quick = "--quick" in sys.argv[1:]
    print(f"Spectral optical image (W3), median of {3 if quick else 5} interleaved runs after a warm-up; "
          f"FFT workers = {WORKERS}; load {load_average()}")
    print_rows(rows(quick=quick))


if __name__ == "__main__":
    main()
