"""
Benchmark — the whole camera chain against a straightforward NumPy/SciPy implementation
======================================================================================

The baseline, :class:`BaselineCamera`, is the best *straightforward* implementation of
the same physics, written here so that nothing of camsim's machinery is reused except
its parameters and calibration data: the full radiance cube materialised from the
scene (``coefficients @ basis``), zero-padded, cos⁴ and the irradiance factor applied,
one real FFT per wavelength (``scipy.fft.rfft2`` over the whole cube, float32,
``workers`` = all cores), the diffraction-limited OTF of each wavelength, inverse
FFTs, the QE projection (one BLAS product over wavelengths), exact area integration
over the photodiodes with dense overlap matrices (``W_r @ J @ W_cᵀ``, BLAS), the CFA
sites, auto-exposure, ``numpy.random.default_rng`` shot (Poisson) and read (normal)
noise, the full-well and voltage clips, bilinear demosaicking with
``scipy.ndimage.convolve`` (mirror borders, as ISETCam), and the same colour matrix,
exposure normalisation and sRGB curve as :class:`camsim.ISP`. No Python loops over
pixels; float32 throughout.

Cases (each in one process: a warm-up call, then the median of at least ``repeat``
runs, 5 by default and 3 with ``--quick``; cheap cases get up to 25 runs, about a
second's worth, to steady the median on a busy machine):

1. scene → noise-free electrons, 512×512 RGB image (a rank-3 scene from
   :meth:`camsim.Scene.from_image`), default camera (f/4, 2.8 µm): target ≥ 10×.
   Checked first: baseline electrons = camsim electrons to 1e-4 (relative to the peak).
2. image → sRGB through the full chain with sensor noise and the ISP, each preset
   (:meth:`camsim.Camera.preset`) on a 500×375 image (the study's size): target ≥ 4×.
   Checked with noise off: same electrons, and the rendered images agree.
3. image → sRGB, ``camsim.Camera()`` (f/4, 2.8 µm, sensor sized to the 10° field of
   view) on a 512×512 image: warm median ≤ 60 ms; cold = first capture in a fresh
   process (numba cache warm, and in the full run also with an empty cache, i.e.
   including compilation).

   With ``--busy``, the warm case is repeated while a spinning process holds one core
   (issue 16: ≤ 30 ms and ≥ 40× the baseline); ``--camera`` runs only these rows.

Run: ``.venv/bin/python -m benchmarks.bench_chain [--quick] [--busy] [--camera]``
"""

from __future__ import annotations

import contextlib
import dataclasses
import math
import os
import subprocess
import sys
import tempfile
import textwrap

import numpy as np
import scipy.fft as sfft
from scipy import ndimage

import camsim
from benchmarks._harness import Row, busy_core, load_average, median_time, print_rows, random_image
from camsim.colorimetry import chart_xyz, sensor_to_xyz_matrix, xyz_to_linear_srgb_matrix
try:
    from camsim.cfa import cfa_indices
except ImportError:  # camsim before the Bayer layout had one home (for before/after runs)
    from camsim.demosaic import cfa_indices
from camsim.units import wave_bin_width

__all__ = ["BaselineCamera", "rows", "main", "NOTES", "ELECTRON_RTOL"]

ELECTRON_RTOL = 1e-4  # baseline vs camsim noise-free electrons, relative to the peak (issue requirement)
IMAGE_ATOL = 2e-3  # rendered sRGB with noise off (values in [0, 1]): different float32 summation orders
TARGET_ELECTRONS = 10.0  # × faster than the baseline
TARGET_PRESETS = 4.0
TARGET_WARM_S = 0.060
TARGET_BUSY_S = 0.030  # warm Camera() on 512² with a second core busy (issue 16)
TARGET_BUSY_RATIO = 40.0
BUDGET_S = 1.0  # cheap cases are timed more often than `repeat` (up to 25 runs), about this many seconds each
WORKERS = os.cpu_count() or 1
NOTES = (
    "bench_chain baseline: a straightforward NumPy/SciPy implementation of the same physics in "
    "benchmarks/bench_chain.py (radiance cube materialised, per-wavelength float32 rfft2 with all cores, "
    "OTF, cos⁴, QE projection by BLAS, dense overlap-matrix area integration, default_rng noise, "
    "ndimage bilinear demosaic, same colour matrix and sRGB curve).",
)


# ----------------------------------------------------------------------------- baseline


def _round_half_up(x: float) -> int:
    return int(math.floor(x + 0.5))


def _smooth_pad(n: int, pad: int) -> int:
    """Smallest pad >= ``pad`` with ``n + 2·pad`` a product of 2, 3, 5, 7, 11 (scipy's fast lengths)."""
    while sfft.next_fast_len(n + 2 * pad, real=False) != n + 2 * pad:
        pad += 1
    return pad


def _overlap(n_in: int, spacing: float, n_out: int, pitch: float, aperture: float) -> np.ndarray:
    """Dense (n_out, n_in) overlap lengths (m) of centred apertures with centred cells, float32."""
    cell_lo = (np.arange(n_in) - n_in / 2.0) * spacing
    centre = (np.arange(n_out) + 0.5 - n_out / 2.0) * pitch
    lo, hi = centre - aperture / 2.0, centre + aperture / 2.0
    w = np.minimum(hi[:, None], cell_lo[None, :] + spacing) - np.maximum(lo[:, None], cell_lo[None, :])
    return np.maximum(w, 0.0).astype(np.float32)


class BaselineCamera:
    """
    The chain of a :class:`camsim.Camera` written out with NumPy/SciPy (see the module
    docstring). Supports what the study's presets and the default camera use:
    diffraction-limited optics with cos⁴, zero padding, Bayer sensor with shot, dark
    and read noise (no fixed-pattern noise), analog or quantised output, bilinear
    demosaic, fixed or no white balance, ISETCam exposure normalisation.
    """

    def __init__(self, camera: camsim.Camera, *, workers: int = WORKERS):
        s, isp = camera.sensor, camera.isp
        if s.cfa is None or isp.demosaic != "bilinear" or not (isp.white_balance == "none"
                                                              or isinstance(isp.white_balance, tuple)):
            raise ValueError("the baseline covers Bayer sensors, bilinear demosaic and fixed/no white balance")
        if s.dsnu or s.prnu or any(s.column_fpn):
            raise ValueError("the baseline has no fixed-pattern noise")
        self.camera = camera
        self.workers = workers
        wave = s.wave
        # Calibration is computed once, as camsim caches it.
        self.weights = (s.qe * wave_bin_width(wave)[:, None]).astype(np.float32)  # (n_wave, 3), e⁻/photon·nm
        gains = np.ones(3) if isp.white_balance == "none" else np.asarray(isp.white_balance)
        self.colour = (gains[:, None] * isp.matrix(s.qe, wave)).astype(np.float32)
        cal = isp.calibration_illuminant
        cal = cal if isinstance(cal, str) else np.asarray(cal)
        self.to_srgb = xyz_to_linear_srgb_matrix(chart_xyz(wave, illuminant=cal)).astype(np.float32)
        masks = np.zeros((3, 2, 2), np.float32)
        for (r, c), ch in np.ndenumerate(cfa_indices(s.cfa)):
            masks[ch, r, c] = 1.0
        self.cfa_masks = masks  # (3, 2, 2): 1 where a site carries channel c
        self._fitted: dict = {}

    # -- optics + QE + pixels ------------------------------------------------------
    def noise_free_electrons(self, scene: camsim.Scene) -> tuple[np.ndarray, float]:
        """Mean photo-electrons per pixel (rows, cols) float32 and the exposure time (s)."""
        cam, optics, sensor = self.camera, self.camera.optics, self.camera.sensor
        rows, cols, n_wave = scene.shape
        wave = scene.wave
        # Thin-lens geometry and irradiance factor (Goodman; ISETCam oiCalculateIrradiance).
        d_i = 1.0 / (1.0 / optics.focal_length - 1.0 / scene.distance)
        mag = d_i / scene.distance
        dx = 2.0 * d_i * math.tan(math.radians(scene.fov) / 2.0) / cols
        gain = (np.pi * optics.transmittance_at(wave) / (1.0 + 4.0 * optics.fnumber**2 * (1.0 + mag) ** 2))
        y = (np.arange(rows) + 0.5 - rows / 2.0) * dx
        x = (np.arange(cols) + 0.5 - cols / 2.0) * dx
        c2 = d_i**2 / (d_i**2 + y[:, None] ** 2 + x[None, :] ** 2)
        cos4 = (c2 * c2).astype(np.float32) if optics.relative_illumination else np.ones((rows, cols), np.float32)
        pr, pc = _round_half_up(rows * 0.125), _round_half_up(cols * 0.125)
        if getattr(cam, "fast_fft", False):  # pads grown to 2,3,5,7,11-smooth padded lengths, as camsim
            pr, pc = _smooth_pad(rows, pr), _smooth_pad(cols, pc)
        big_r, big_c = rows + 2 * pr, cols + 2 * pc

        # The radiance cube, materialised, wavelength first; irradiance on the padded grid.
        radiance = scene.radiance  # (rows, cols, n_wave) float32
        cube = np.zeros((n_wave, big_r, big_c), np.float32)
        cube[:, pr:pr + rows, pc:pc + cols] = radiance.transpose(2, 0, 1)
        cube[:, pr:pr + rows, pc:pc + cols] *= gain.astype(np.float32)[:, None, None] * cos4
        del radiance

        # Diffraction-limited OTF per wavelength, cut-off 1/(λN) (Goodman §7.3).
        fy = sfft.fftfreq(big_r, dx).astype(np.float32) * np.float32(1e-3)  # cycles/mm
        fx = sfft.rfftfreq(big_c, dx).astype(np.float32) * np.float32(1e-3)
        rho = np.sqrt(fy[:, None] ** 2 + fx[None, :] ** 2)
        spec = sfft.rfft2(cube, axes=(-2, -1), workers=self.workers, overwrite_x=True)
        del cube
        for k, lam in enumerate(wave):
            s = np.minimum(rho * np.float32(lam * 1e-6 * optics.fnumber), np.float32(1.0))
            otf = np.float32(2.0 / np.pi) * (np.arccos(s) - s * np.sqrt(np.float32(1.0) - s * s))
            spec[k] *= otf
        irradiance = sfft.irfft2(spec, s=(big_r, big_c), axes=(-2, -1), workers=self.workers, overwrite_x=True)
        del spec
        np.maximum(irradiance, 0.0, out=irradiance)  # float32 rounding below zero

        # QE projection: J_c = Δλ·Σ_λ E·QE_c, then exact area integration over each photodiode.
        planes = (self.weights.T @ irradiance.reshape(n_wave, -1)).reshape(3, big_r, big_c)
        del irradiance
        pitch = sensor.pixel_pitch
        size = sensor.size
        if size is None:
            size = tuple(max(1, math.floor(n * dx / pitch / 2.0 + 1e-9)) * 2 for n in (rows, cols))  # whole blocks
        w_r = _overlap(big_r, dx, size[0], pitch, sensor.aperture)
        w_c = _overlap(big_c, dx, size[1], pitch, sensor.aperture)
        per_channel = w_r[None] @ planes @ w_c.T[None]  # (3, rows_px, cols_px), e⁻/s
        tile = np.tile(self.cfa_masks, (1, (size[0] + 1) // 2, (size[1] + 1) // 2))[:, :size[0], :size[1]]
        rate = (per_channel * tile).sum(axis=0)
        t = sensor.exposure_time
        if t is None:
            t = sensor.auto_exposure_level * sensor.full_well / float(rate.max())
        t *= 2.0 ** cam.exposure_bias
        return rate * np.float32(t), t

    def _colour_for(self, scene: camsim.Scene) -> tuple[np.ndarray, np.ndarray]:
        """Colour matrix and XYZ → linear sRGB: fitted under the scene's light when the ISP does so
        (``fit_scene_light`` without white balance: absolute XYZ, no adaptation), else the D65 ones."""
        isp, s = self.camera.isp, self.camera.sensor
        if not (isp.fit_scene_light and isp.white_balance == "none" and scene.illuminant is not None):
            return self.colour, self.to_srgb
        light = np.interp(s.wave, scene.wave, scene.illuminant, left=0.0, right=0.0)
        key = light.tobytes()
        if key not in self._fitted:  # a calibration, cached as camsim caches it
            m = sensor_to_xyz_matrix(s.qe, s.wave, illuminant=light, chart=isp.chart, preserve_white=isp.preserve_white)
            self._fitted[key] = (m.astype(np.float32), xyz_to_linear_srgb_matrix(None).astype(np.float32))
        return self._fitted[key]

    # -- the whole chain --------------------------------------------------------------
    def capture(self, image, seed: int = 0, *, noise: bool = True) -> tuple[np.ndarray, np.ndarray]:
        """sRGB image (rows, cols, 3) float32 in [0, 1] and the electrons, from an RGB image array."""
        sensor = self.camera.sensor
        scene = self.camera.scene_from(image)
        mean_e, t = self.noise_free_electrons(scene)
        sw = sensor.noise
        if noise:
            rng = np.random.default_rng(seed)
            dark = sensor.dark_current * t if sw.dark_current else 0.0
            charge = rng.poisson(mean_e + dark) if sw.photon_shot else mean_e + rng.poisson(dark, mean_e.shape)
            electrons = np.minimum(charge, sensor.full_well).astype(np.float32)
            if sw.read and sensor.read_noise > 0:
                electrons += np.float32(sensor.read_noise) * rng.standard_normal(mean_e.shape, dtype=np.float32)
        else:
            electrons = np.minimum(mean_e, np.float32(sensor.full_well))
        volts = np.clip(electrons * np.float32(sensor.conversion_gain * sensor.analog_gain)
                        + np.float32(sensor.analog_offset), 0.0, sensor.voltage_swing)
        if sensor.bit_depth is None:
            data, black, white = volts, sensor.analog_offset, sensor.voltage_swing
        else:
            levels = 2.0**sensor.bit_depth
            data = np.minimum(np.floor(volts / np.float32(sensor.voltage_swing) * np.float32(levels) + 0.5),
                              levels - 1)
            black, white = sensor.analog_offset / sensor.adc_step, levels - 1
        x = np.maximum((data - np.float32(black)) / np.float32(white - black), np.float32(0.0)).astype(np.float32)

        # Bilinear demosaic: masked channels convolved, mirror borders (ISETCam ieBilinear).
        rows, cols = x.shape
        tile = np.tile(self.cfa_masks, (1, (rows + 1) // 2, (cols + 1) // 2))[:, :rows, :cols]
        k_g = np.array([[0, 1, 0], [1, 4, 1], [0, 1, 0]], np.float32) / 4
        k_rb = np.array([[1, 2, 1], [2, 4, 2], [1, 2, 1]], np.float32) / 4
        rgb = np.stack([ndimage.convolve(x * tile[c], k_g if c == 1 else k_rb, mode="mirror") for c in range(3)],
                       axis=-1)

        # Colour: sensor → XYZ (negatives clipped) → linear sRGB, exposure normalisation, sRGB curve.
        colour, to_srgb = self._colour_for(scene)
        xyz = np.maximum(rgb.reshape(-1, 3) @ colour, np.float32(0.0))
        lin = xyz @ to_srgb
        peak = float(lin.max())
        if self.camera.isp.exposure_normalisation == "isetcam" and peak > 0:
            lin *= np.float32((1.0 if sensor.bit_depth is not None else float(x.max())) / peak)
        np.clip(lin, 0.0, 1.0, out=lin)
        srgb = np.where(lin <= np.float32(0.0031308), np.float32(12.92) * lin,
                        np.float32(1.055) * lin ** np.float32(1 / 2.4) - np.float32(0.055))
        return srgb.reshape(rows, cols, 3), electrons


# ----------------------------------------------------------------------------- camsim side


def camsim_noise_free_electrons(camera: camsim.Camera, scene: camsim.Scene) -> np.ndarray:
    """camsim's scene → mean photo-electrons per pixel (the same stages the capture runs)."""
    form = getattr(camera, "form_image", None)  # Camera.form_image: fast path when available
    oi = form(scene) if form is not None else camera.optics.form_image(scene)
    rate = camera.sensor.electron_rate(oi)
    t = camera.sensor.exposure_time
    if t is None:
        t = camera.sensor.auto_exposure_level * camera.sensor.full_well / float(rate.max())
    return (rate * (t * 2.0 ** camera.exposure_bias)).astype(np.float32)


def _rel_diff(a: np.ndarray, b: np.ndarray) -> float:
    """max |a − b| / max |b|."""
    return float(np.abs(a.astype(np.float64) - b).max() / np.abs(b).max())


def _has_fast_switch() -> bool:
    return any(f.name == "fast" for f in dataclasses.fields(camsim.Camera))


# ----------------------------------------------------------------------------- cases


def electrons_rows(*, repeat: int) -> list[Row]:
    image = random_image(512, 512, seed=1)
    camera = camsim.Camera()
    scene = camsim.Scene.from_image(image, wave=camera.sensor.wave)
    base = BaselineCamera(camera)
    ours = camsim_noise_free_electrons(camera, scene)
    theirs, _ = base.noise_free_electrons(scene)
    diff = _rel_diff(ours, theirs)
    ok = diff <= ELECTRON_RTOL
    print(f"  check: noise-free electrons {ours.shape}, camsim vs baseline max|Δ|/max = {diff:.2e} "
          f"(≤ {ELECTRON_RTOL:g}: {'OK' if ok else 'FAILED'})", flush=True)
    t_base = median_time(lambda: base.noise_free_electrons(scene), repeat=repeat, budget_s=BUDGET_S)
    t_ours = median_time(lambda: camsim_noise_free_electrons(camera, scene), repeat=repeat, budget_s=BUDGET_S)
    ratio = t_base / t_ours
    out = [Row("chain_electrons", f"512x512 scene -> {ours.shape[0]}x{ours.shape[1]} e-, f/4 2.8 um", t_ours, t_base,
               "numpy/scipy baseline", extra=f"rel. diff {diff:.1e} {'OK' if ok else 'FAILED'}",
               target=f"≥ {TARGET_ELECTRONS:g}×", met=bool(ok and ratio >= TARGET_ELECTRONS))]
    if _has_fast_switch():
        ref = camera.replace(fast=False)
        d_ref = _rel_diff(camsim_noise_free_electrons(ref, scene), theirs)
        t_ref = median_time(lambda: camsim_noise_free_electrons(ref, scene), repeat=repeat)
        out.append(Row("chain_electrons", "  same, camsim reference path (fast=False)", t_ref, t_base,
                       "numpy/scipy baseline", extra=f"per-wavelength path; rel. diff {d_ref:.1e}"))
    return out


def preset_rows(*, repeat: int, shape: tuple[int, int]) -> list[Row]:
    out = []
    image = random_image(*shape, seed=2)
    for name in camsim.presets.names():
        camera = camsim.Camera.preset(name)
        base = BaselineCamera(camera)
        # Equivalence with every noise term off.
        quiet = camera.replace(noise=False)
        cap = quiet.capture(image, seed=0)
        srgb_b, e_b = BaselineCamera(quiet).capture(image, noise=False)
        d_e = _rel_diff(cap.raw.electrons, e_b)
        d_img = float(np.abs(cap.image - srgb_b).max())
        ok = d_e <= ELECTRON_RTOL and d_img <= IMAGE_ATOL
        print(f"  check {name}: noise off, electrons rel. diff {d_e:.2e}, sRGB max|Δ| {d_img:.2e} "
              f"({'OK' if ok else 'FAILED'})", flush=True)
        seeds = iter(range(10**6))
        t_ours = median_time(lambda: camera.capture(image, seed=next(seeds)), repeat=repeat, budget_s=BUDGET_S)
        t_base = median_time(lambda: base.capture(image, seed=next(seeds)), repeat=repeat, budget_s=BUDGET_S)
        ratio = t_base / t_ours
        out.append(Row("chain_preset", f"{name}: {shape[1]}x{shape[0]} image -> {cap.image.shape[1]}x"
                       f"{cap.image.shape[0]} sRGB", t_ours, t_base, "numpy/scipy baseline",
                       extra=f"full chain with noise + ISP; noise-off check e- {d_e:.1e}, sRGB {d_img:.1e} "
                             f"{'OK' if ok else 'FAILED'}",
                       target=f"≥ {TARGET_PRESETS:g}×", met=bool(ok and ratio >= TARGET_PRESETS)))
    return out


_COLD_SCRIPT = textwrap.dedent("""
    import time, numpy as np
    import camsim
    from benchmarks._harness import random_image
    img = random_image(512, 512, seed=1)
    cam = camsim.Camera()
    t0 = time.perf_counter(); cam.capture(img, seed=0); t1 = time.perf_counter()
    cam.capture(img, seed=1); t2 = time.perf_counter()
    print(f"{t1 - t0:.6f} {t2 - t1:.6f}")
""")


def _cold_capture(env_extra: dict[str, str] | None = None) -> float:
    env = dict(os.environ, **(env_extra or {}))
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env["PYTHONPATH"] = root + os.pathsep + env.get("PYTHONPATH", "")
    res = subprocess.run([sys.executable, "-c", _COLD_SCRIPT], capture_output=True, text=True, env=env, cwd=root,
                         timeout=600, check=True)
    return float(res.stdout.split()[-2])


def default_camera_rows(*, repeat: int, compile_cold: bool, busy: bool = False) -> list[Row]:
    image = random_image(512, 512, seed=1)
    camera = camsim.Camera()
    base = BaselineCamera(camera)
    seeds = iter(range(10**6))
    t_ours = median_time(lambda: camera.capture(image, seed=next(seeds)), repeat=max(repeat, 5), budget_s=BUDGET_S)
    t_base = median_time(lambda: base.capture(image, seed=next(seeds)), repeat=repeat, budget_s=BUDGET_S)
    out_shape = camera.capture(image, seed=0).image.shape
    cold = _cold_capture()
    rows_ = [Row("chain_default_camera", f"512x512 -> {out_shape[1]}x{out_shape[0]}, f/4 2.8 um, warm", t_ours,
                 t_base, "numpy/scipy baseline", extra="full chain with noise + ISP",
                 target=f"≤ {TARGET_WARM_S * 1e3:g} ms", met=t_ours <= TARGET_WARM_S),
             Row("chain_default_camera", "  cold: first capture, fresh process", cold,
                 extra="numba cache warm; imports not included")]
    if busy:
        with busy_core():
            load = load_average()
            t_ours_b = median_time(lambda: camera.capture(image, seed=next(seeds)), repeat=max(repeat, 15),
                                   budget_s=2 * BUDGET_S)
            t_base_b = median_time(lambda: base.capture(image, seed=next(seeds)), repeat=repeat, budget_s=BUDGET_S)
        rows_.append(Row("chain_default_camera", f"512x512 -> {out_shape[1]}x{out_shape[0]}, warm, second core busy",
                         t_ours_b, t_base_b, "numpy/scipy baseline",
                         extra=f"a spinning process holds one core (--busy); load at start {load}",
                         target=f"≤ {TARGET_BUSY_S * 1e3:g} ms, ≥ {TARGET_BUSY_RATIO:g}×",
                         met=t_ours_b <= TARGET_BUSY_S and t_base_b / t_ours_b >= TARGET_BUSY_RATIO))
    if compile_cold:
        with tempfile.TemporaryDirectory(prefix="camsim-numba-cache-") as cache:
            compiled = _cold_capture({"NUMBA_CACHE_DIR": cache})
        rows_.append(Row("chain_default_camera", "  cold: first capture, empty numba cache", compiled,
                         extra="includes compiling every kernel the capture uses"))
    return rows_


def w2_rows(*, repeat: int, busy: bool = False) -> list[Row]:
    """W2 (issue 16): the 512² photo through f/22 and 1 µm pixels (a ~5× larger sensor than W1's),
    warm, against the baseline; idle and, with ``busy``, with a second core held."""
    image = random_image(512, 512, seed=1)
    camera = camsim.Camera(fnumber=22.0, pixel_pitch=1e-6)
    base = BaselineCamera(camera)
    quiet = camera.replace(noise=False)
    d_e = _rel_diff(quiet.capture(image, seed=0).raw.electrons, BaselineCamera(quiet).capture(image, noise=False)[1])
    shape = camera.capture(image, seed=0).raw.data.shape
    seeds = iter(range(10**6))
    out = []
    for held in ([False, True] if busy else [False]):
        with busy_core() if held else contextlib.nullcontext():
            load = load_average()
            t_ours = median_time(lambda: camera.capture(image, seed=next(seeds)), repeat=max(repeat, 9),
                                 budget_s=BUDGET_S)
            t_base = median_time(lambda: base.capture(image, seed=next(seeds)), repeat=repeat, budget_s=BUDGET_S)
        out.append(Row("chain_w2", f"512x512 -> {shape[1]}x{shape[0]} raw, f/22 1 um, warm"
                       + (", second core busy" if held else ""), t_ours, t_base, "numpy/scipy baseline",
                       extra=f"full chain with noise + ISP; noise-off e- rel. diff {d_e:.1e}; load at start {load}",
                       target=f"≥ {TARGET_BUSY_RATIO:g}×" if held else "",
                       met=(t_base / t_ours >= TARGET_BUSY_RATIO) if held else None))
    return out


def rows(quick: bool = False, busy: bool = False) -> list[Row]:
    """All chain cases; ``quick``: 3 timed runs and no compile-from-scratch run (the preset image stays at
    the study's 500×375, the size the ≥ 4× target is stated for)."""
    repeat = 3 if quick else 5
    out = electrons_rows(repeat=repeat)
    out += preset_rows(repeat=repeat, shape=(375, 500))
    out += default_camera_rows(repeat=repeat, compile_cold=not quick, busy=busy)
    out += w2_rows(repeat=repeat, busy=busy)
    return out


def main() -> None:
    quick = "--quick" in sys.argv[1:]
    busy = "--busy" in sys.argv[1:]
    if "--camera" in sys.argv[1:]:  # only the default-camera (W1) rows
        print(f"load average at start: {load_average()}")
        print_rows(default_camera_rows(repeat=3 if quick else 5, compile_cold=False, busy=busy)
                   + w2_rows(repeat=3 if quick else 5, busy=busy))
        return
    print(f"Camera chain vs NumPy/SciPy baseline; scipy.fft workers = {WORKERS}")
    print_rows(rows(quick=quick, busy=busy))


if __name__ == "__main__":
    main()
