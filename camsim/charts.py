"""
Charts — test scenes with known content
=======================================

Each function returns a :class:`camsim.Scene` whose radiance is reflectance ×
illuminant (photons/(s·sr·m²·nm)), scaled to a mean luminance (default 100 cd/m²,
as ISETCam ``sceneCreate``). Grey charts are stored at spectral rank 1 (one
coefficient plane × the illuminant), colour dead leaves at rank 3.

Keyword arguments shared by the charts: ``illuminant``, a name for
:func:`camsim.spectra.illuminant` or a spectrum in photons/(s·sr·m²·nm) on ``wave``;
``wave``, the wavelength grid in nm (default 400:10:700); ``fov``, the horizontal
field of view in degrees; ``distance``, the scene distance in m; ``mean_luminance``,
the mean luminance in cd/m² (None keeps reflectance × illuminant unscaled). Sizes and
spacings are in scene samples.

References
----------
- ISETCam ``sceneCreate`` ('macbeth', 'slanted edge', 'sweep frequency',
  'point array', 'grid lines', 'uniform').
- ISO 12233:2017 (slanted edge); ISO 19567-2:2019 and Cao, Guichard & Hornung (2010)
  (dead leaves); Lee, Mumford & Huang (2001) (dead leaves r⁻³ size law).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _validate as _check
from . import spectra
from .scene import Scene
from .units import check_wave

__all__ = [
    "macbeth",
    "slanted_edge",
    "sweep_frequency",
    "point_array",
    "grid_lines",
    "uniform",
    "dead_leaves",
    "edge_coverage",
]


def _grey_scene(image: NDArray, illuminant, wave, fov, distance, mean_luminance, name) -> Scene:
    w = spectra.DEFAULT_WAVE if wave is None else check_wave(wave)
    il = _check.illuminant_photons(illuminant, w, nonzero=False, flatten=True)
    scene = Scene(image.astype(np.float32)[:, :, None], il[None, :], w, fov, distance, il, name)
    return scene if mean_luminance is None else scene.with_mean_luminance(_check.positive("mean_luminance", mean_luminance, "cd/m²"))


def macbeth(*, illuminant: str | ArrayLike = "D65", patch_size: int = 16, reflectances: str = "BabelColor Average",
            wave: ArrayLike | None = None, fov: float = 10.0, distance: float = 1.2,
            mean_luminance: float | None = 100.0) -> Scene:
    """
    ColorChecker (Macbeth) chart, 4 × 6 patches of ``patch_size`` pixels (ISETCam
    'macbeth'). Patch order is row-major: row 0 holds dark skin … bluish green, row 3
    white … black. ``reflectances`` names a measured set (:func:`camsim.spectra.colorchecker`).
    """
    ps = _check.integer("patch_size", patch_size, low=1)
    w = spectra.DEFAULT_WAVE if wave is None else check_wave(wave)
    if reflectances not in spectra.colorchecker_names():
        raise ValueError(f"`reflectances` must be one of {spectra.colorchecker_names()}; got {reflectances!r}")
    refl, _ = spectra.colorchecker(reflectances, w)
    il = _check.illuminant_photons(illuminant, w, nonzero=False, flatten=True)
    patches = (refl * il[None, :]).reshape(4, 6, w.size)
    cube = np.repeat(np.repeat(patches, ps, axis=0), ps, axis=1).astype(np.float32)
    name = f"macbeth {illuminant}" if isinstance(illuminant, str) else "macbeth"
    scene = Scene(cube, None, w, fov, distance, il, name)
    return scene if mean_luminance is None else scene.with_mean_luminance(_check.positive("mean_luminance", mean_luminance, "cd/m²"))


def _ramp_integral(t: NDArray) -> NDArray:
    """Antiderivative of clip(t, 0, 1)."""
    return np.where(t <= 0, 0.0, np.where(t >= 1, t - 0.5, 0.5 * t * t))


def edge_coverage(rows: int, cols: int, angle: float, offset: float = 0.0) -> NDArray[np.float64]:
    """
    Exact fraction of each unit pixel lying right of a straight edge (area integration).

    The edge passes through the image centre shifted by ``offset`` pixels along x
    and is tilted ``angle`` degrees clockwise from vertical (``|angle| < 45°``). Pixel
    (i, j) spans x ∈ [j, j+1], y ∈ [i, i+1]. The coverage integral of a clipped ramp
    is evaluated in closed form, so the result is exact to rounding.
    """
    rows, cols = _check.integer("rows", rows, low=1), _check.integer("cols", cols, low=1)
    if not (np.isfinite(angle) and abs(angle) < 45):
        raise ValueError(f"`angle` must be in (-45, 45) degrees; got {angle!r}")
    if not np.isfinite(offset):
        raise ValueError(f"`offset` must be a finite number of pixels; got {offset!r}")
    slope = np.tan(np.radians(angle))  # x_edge(y) = xc + slope·(y − yc)
    xc, yc = cols / 2 + offset, rows / 2
    y0 = np.arange(rows, dtype=np.float64)[:, None]
    x0 = np.arange(cols, dtype=np.float64)[None, :]
    # fraction of row segment [x0, x0+1] right of x_edge(y): clip(x0 + 1 − x_edge(y), 0, 1) = clip(a − slope·y)
    a = x0 + 1 - xc + slope * yc
    if abs(slope) < 1e-12:
        return np.broadcast_to(np.clip(a - slope * (y0 + 0.5), 0, 1), (rows, cols)).copy()
    cov = (_ramp_integral(a - slope * y0) - _ramp_integral(a - slope * (y0 + 1))) / slope
    return np.clip(cov, 0.0, 1.0)  # rounding only


def slanted_edge(*, size: int = 256, angle: float = 5.0, contrast: float = 0.8, illuminant: str | ArrayLike = "equal_photons",
                 wave: ArrayLike | None = None, fov: float = 2.0, distance: float = 1.2,
                 mean_luminance: float | None = 100.0) -> Scene:
    """
    Slanted edge (ISO 12233 e-SFR target), ``size × size`` samples, dark left and
    bright right, tilted ``angle`` degrees from vertical, rendered by exact area
    integration. Reflectances: bright 0.9 and dark 0.9·(1 − contrast)/(1 + contrast),
    so ``contrast`` is the Michelson contrast (bright − dark)/(bright + dark).
    """
    n = _check.integer("size", size, low=8)
    if not (0 < contrast <= 1):
        raise ValueError(f"`contrast` must be in (0, 1] (Michelson); got {contrast!r}")
    bright = 0.9
    dark = bright * (1 - contrast) / (1 + contrast)
    img = dark + (bright - dark) * edge_coverage(n, n, angle)
    return _grey_scene(img, illuminant, wave, fov, distance, mean_luminance, f"slanted edge {angle:g}°")


def sweep_frequency(*, size: int = 128, max_frequency: float | None = None, illuminant: str | ArrayLike = "equal_photons",
                    wave: ArrayLike | None = None, fov: float = 10.0, distance: float = 1.2,
                    mean_luminance: float | None = 100.0) -> Scene:
    """
    Sweep-frequency chart (ISETCam 'sweep frequency'): a horizontal chirp whose local
    frequency rises linearly from 0 at the left to ``max_frequency`` cycles per image
    width at the right (default size/4, i.e. 0.25 cycles/sample; at most size/2), with
    contrast falling linearly from 1 at the top row to 0 at the bottom.
    Reflectance = 0.5·(1 + contrast·cos(phase)), in [0, 1].
    """
    n = _check.integer("size", size, low=4)
    fmax = n / 4 if max_frequency is None else _check.positive("max_frequency", max_frequency, "cycles/image", upper=n / 2 + 1e-9)
    x = np.arange(n) / n  # image widths
    phase = 2 * np.pi * fmax * x ** 2 / 2  # d(phase)/dx = 2π·fmax·x
    contrast = np.linspace(1.0, 0.0, n)[:, None]
    img = 0.5 * (1 + contrast * np.cos(phase)[None, :])
    return _grey_scene(img, illuminant, wave, fov, distance, mean_luminance, "sweep frequency")


def point_array(*, size: int = 128, spacing: int = 16, illuminant: str | ArrayLike = "equal_photons",
                wave: ArrayLike | None = None, fov: float = 10.0, distance: float = 1.2,
                mean_luminance: float | None = None) -> Scene:
    """Single-sample points every ``spacing`` samples on a black (1e-8) background (ISETCam 'point array')."""
    n = _check.integer("size", size, low=2)
    s = _check.integer("spacing", spacing, low=1, high=n)
    img = np.full((n, n), 1e-8)
    img[s // 2::s, s // 2::s] = 1.0
    return _grey_scene(img, illuminant, wave, fov, distance, mean_luminance, "point array")


def grid_lines(*, size: int = 128, spacing: int = 16, thickness: int = 1, illuminant: str | ArrayLike = "equal_photons",
               wave: ArrayLike | None = None, fov: float = 10.0, distance: float = 1.2,
               mean_luminance: float | None = None) -> Scene:
    """White grid lines ``thickness`` samples wide every ``spacing`` samples on black (1e-8)."""
    n = _check.integer("size", size, low=2)
    s = _check.integer("spacing", spacing, low=2, high=n)
    t = _check.integer("thickness", thickness, low=1, high=s - 1)
    img = np.full((n, n), 1e-8)
    idx = (np.arange(n) % s) < t
    img[idx, :] = 1.0
    img[:, idx] = 1.0
    return _grey_scene(img, illuminant, wave, fov, distance, mean_luminance, "grid lines")


def uniform(*, size: int | tuple[int, int] = 32, illuminant: str | ArrayLike = "equal_energy", reflectance: float = 1.0,
            wave: ArrayLike | None = None, fov: float = 10.0, distance: float = 1.2,
            mean_luminance: float | None = 100.0) -> Scene:
    """Uniform field of constant ``reflectance`` under ``illuminant`` (ISETCam 'uniform')."""
    r, c = (size, size) if np.isscalar(size) else size
    r, c = _check.integer("size", r, low=1), _check.integer("size", c, low=1)
    if not (0 < reflectance <= 1):
        raise ValueError(f"`reflectance` must be in (0, 1]; got {reflectance!r}")
    img = np.full((r, c), float(reflectance))
    return _grey_scene(img, illuminant, wave, fov, distance, mean_luminance, "uniform")


def _colour_basis(wave: NDArray) -> NDArray[np.float64]:
    """Three smooth reflectance bases (blue, green, red bumps) that sum to 1 at every λ."""
    g = np.exp(-0.5 * ((wave[None, :] - np.array([[450.0], [540.0], [620.0]])) / 45.0) ** 2)
    return g / g.sum(axis=0, keepdims=True)


def dead_leaves(*, size: int = 256, r_min: float = 1.0, r_max: float = 64.0, color: bool = False, seed: int | None = 0,
                illuminant: str | ArrayLike = "D65", wave: ArrayLike | None = None, fov: float = 10.0,
                distance: float = 1.2, mean_luminance: float | None = 100.0, max_disks: int = 2_000_000) -> Scene:
    """
    Dead-leaves chart (ISO 19567-2 style): occluding disks whose radii follow a
    density ∝ r⁻³ on [``r_min``, ``r_max``] (pixels), centres uniform, dropped until
    the image is covered. Its power spectrum falls as ~f⁻², like natural images.

    Grey leaves have reflectance uniform in [0.05, 0.95] (rank-1 scene); colour
    leaves mix three smooth reflectance bases with random weights (rank 3).
    Disks are generated front to back: each new disk only fills pixels not yet
    covered, which is the same image as dropping them back to front. ``seed`` seeds
    the disks; at most ``max_disks`` (rounded up to a batch of 4096) are drawn.
    """
    n = _check.integer("size", size, low=8)
    _check.integer("max_disks", max_disks, low=1)
    rmin = _check.positive("r_min", r_min, "pixels")
    rmax = _check.positive("r_max", r_max, "pixels")
    if rmax <= rmin:
        raise ValueError(f"`r_max` ({rmax}) must be > `r_min` ({rmin}) pixels")
    if seed is not None and (isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (int, np.integer))
                             or not 0 <= seed < 2**64):
        raise ValueError(f"`seed` must be an integer in [0, 2**64) or None; got {seed!r}")
    rng = np.random.default_rng(seed)
    k = 3 if color else 1
    img = np.zeros((n, n, k))
    covered = np.zeros((n, n), dtype=bool)
    remaining = n * n
    a, b = rmin ** -2, rmax ** -2
    yy, xx = np.arange(n), np.arange(n)
    drawn = 0
    batch = 4096
    while remaining > 0 and drawn < max_disks:
        u = rng.random(batch)
        radii = (a - u * (a - b)) ** -0.5  # inverse CDF of p(r) ∝ r⁻³
        centres = rng.uniform(-rmax, n + rmax, size=(batch, 2))
        values = rng.uniform(0.05, 0.95, size=(batch, k))
        for r, (cy, cx), v in zip(radii, centres, values):
            y0, y1 = max(int(cy - r), 0), min(int(cy + r) + 1, n)
            x0, x1 = max(int(cx - r), 0), min(int(cx + r) + 1, n)
            if y0 >= y1 or x0 >= x1:
                continue
            inside = ((yy[y0:y1, None] + 0.5 - cy) ** 2 + (xx[None, x0:x1] + 0.5 - cx) ** 2) <= r * r
            new = inside & ~covered[y0:y1, x0:x1]
            cnt = int(new.sum())
            if cnt:
                img[y0:y1, x0:x1][new] = v
                covered[y0:y1, x0:x1] |= new
                remaining -= cnt
                if remaining == 0:
                    break
        drawn += batch
    if remaining:
        raise ValueError(f"`max_disks` ({max_disks}) too small to cover the image; raise it or `r_min`")
    w = spectra.DEFAULT_WAVE if wave is None else check_wave(wave)
    if not color:
        return _grey_scene(img[:, :, 0], illuminant, w, fov, distance, mean_luminance, "dead leaves")
    il = _check.illuminant_photons(illuminant, w, nonzero=False, flatten=True)
    basis = _colour_basis(w) * il[None, :]
    scene = Scene(img.astype(np.float32), basis, w, fov, distance, il, "dead leaves (colour)")
    return scene if mean_luminance is None else scene.with_mean_luminance(_check.positive("mean_luminance", mean_luminance, "cd/m²"))
