"""
Analyze — what a network learned, measured on charts
====================================================

The network was trained on sRGB photos pushed through the task's camera, so the charts
are made as 8-bit sRGB images at HR size (default 128×128) and go through
:meth:`srgan.tasks.Task.pair` exactly like a photo. For each chart we compare the
camera output (the LR), its bicubic upscaling, the model's output (SR) and the chart
itself (HR, the sharp reference):

- **Slanted edge** (:func:`edge_chart`): exact area-integrated edge (in linear light)
  5° from vertical between sRGB levels 0.2 / 0.8. The images are decoded to linear light (IEC 61966-2-1) and
  analysed with :func:`camsim.metrics.sfr` (ISO 12233 e-SFR) on the interior (``scale``
  HR px / 1 LR px border dropped). Frequencies are in **cycles per HR pixel** (LR values
  divided by ``scale``). The reference edge is a unit pixel aperture, MTF ``|sinc f|``,
  MTF50 ≈ 0.603 cy/px.
- **ColorChecker** (:func:`colorchecker_chart`): the 24 patches' sRGB values from
  colour-science (``ColorChecker24 - After November 2014`` xyY, D50, Bradford-adapted to
  sRGB's D65), 8-bit, in a 4 × 6 grid filling the square. Each patch is measured as the
  mean sRGB value of its central half (each side) and compared with the true colour:
  ΔE2000 on sRGB → Lab D65 (:func:`srgan.metrics.delta_e2000`).
- **Dead leaves** (:func:`dead_leaves_chart`, :func:`camsim.charts.dead_leaves`, grey,
  r⁻³ disks): radially averaged power spectrum of BT.601 luma (Hann-windowed, mean
  removed), per-pixel normalised. Above the LR Nyquist frequency ``0.5 / scale`` cy/HR px
  the HR chart has detail that the LR cannot carry: ``high_power`` = band power / HR's
  (≈ 0 nothing restored, ≈ 1 as much as the truth) and ``high_error`` = band power of
  (output − HR) / HR's (1 for an output with no detail there, < 1 detail restored in the
  right place, > 1 detail invented: power present but not the true one).
- **Noise** (:func:`grey_chart`: a uniform 128/255 square on a white surround, so that
  auto-exposure is set by the white and the grey lands mid-scale, as a grey card in a
  photo — a chart that is grey everywhere would be exposed to near-white): std of the
  pixel values on the central quarter of the grey (mean over R, G, B; 8 LR pixels from
  its edges) of the camera output, its bicubic upscaling and SR;
  ``sr / bicubic`` < 1 means the network smooths noise away, > 1 amplifies it. (The
  ``sr`` task has no noise: std < :data:`NOISE_FLOOR` and the ratio is NaN.)

Outputs: ``analyze_<task>.md`` (tables), ``analyze_<task>.json`` and
``analyze_<task>.png`` (four panels), all written atomically.

References
----------
- ISO 12233:2017 (e-SFR); ISO 19567-2:2019 and Cao, Guichard, Hornung (2010) "Dead
  leaves model for measuring texture quality on a digital camera", Proc. SPIE 7537.
- X-Rite ColorChecker Classic (2014 formulation), colour-science ``CCS_COLOURCHECKERS``.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from torch import nn

from . import metrics
from ._files import atomic_savefig, atomic_write_text, output_dir
from .evaluate import run_model
from .resample import bicubic_image
from .tasks import Task, check_run_args

__all__ = [
    "EDGE_ANGLE",
    "EDGE_LEVELS",
    "GREY_LEVEL",
    "COLORCHECKER",
    "METHODS",
    "EdgeResult",
    "ColorResult",
    "SpectrumResult",
    "NoiseResult",
    "AnalysisResult",
    "edge_chart",
    "colorchecker_srgb",
    "colorchecker_chart",
    "patch_means",
    "dead_leaves_chart",
    "grey_chart",
    "radial_power_spectrum",
    "analyze",
]

EDGE_ANGLE: float = 5.0  # degrees from vertical
EDGE_LEVELS: tuple[float, float] = (0.2, 0.8)  # sRGB-encoded dark / light
GREY_LEVEL: float = 128 / 255  # "50 %" grey, an 8-bit code
COLORCHECKER: str = "ColorChecker24 - After November 2014"
METHODS: tuple[str, ...] = ("camera", "bicubic", "sr", "reference")
NOISE_FLOOR: float = 0.01 / 255  # std below this is float rounding, not noise


def _size(size: int) -> int:
    if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or not 32 <= size <= 4096:
        raise ValueError(f"`size` must be an integer in [32, 4096] pixels; got {size!r}")
    return int(size)


def _quantise(img: NDArray) -> NDArray[np.float32]:
    return (np.round(np.clip(img, 0, 1) * 255) / 255).astype(np.float32)


def edge_chart(size: int = 128, *, angle: float = EDGE_ANGLE, levels: tuple[float, float] = EDGE_LEVELS) -> NDArray:
    """Slanted edge, dark left / light right, ``angle`` (``|angle|`` in [2, 10]) degrees from vertical, 8-bit sRGB."""
    from camsim.charts import edge_coverage

    n = _size(size)
    if not (np.isfinite(angle) and 2 <= abs(angle) <= 10):
        raise ValueError(f"`angle` must be in [2, 10] degrees (ISO 12233 range) in magnitude; got {angle!r}")
    lo, hi = (float(v) for v in levels)
    if not 0 <= lo < hi <= 1:
        raise ValueError(f"`levels` must be (dark, light) with 0 <= dark < light <= 1; got {levels!r}")
    cov = edge_coverage(n, n, angle)  # exact area coverage: mix the two levels in linear light
    a, b = _linear(np.array(lo)), _linear(np.array(hi))
    return _quantise(np.repeat(_encode(a + (b - a) * cov)[:, :, None], 3, axis=2))


def colorchecker_srgb() -> NDArray[np.float64]:
    """The 24 ColorChecker patches as 8-bit sRGB values in [0, 1], row-major, shape (24, 3)."""
    import colour
    from colour.utilities import domain_range_scale

    cc = colour.CCS_COLOURCHECKERS[COLORCHECKER]
    xyy = np.array(list(cc.data.values()), dtype=np.float64)
    with domain_range_scale("reference"):
        rgb = colour.XYZ_to_sRGB(colour.xyY_to_XYZ(xyy), illuminant=cc.illuminant,
                                 chromatic_adaptation_transform="Bradford")
    return np.round(np.clip(rgb, 0, 1) * 255) / 255


def _patch_boxes(rows: int, cols: int) -> list[tuple[float, float, float, float]]:
    return [(i * rows / 4, (i + 1) * rows / 4, j * cols / 6, (j + 1) * cols / 6) for i in range(4) for j in range(6)]


def colorchecker_chart(size: int = 128) -> NDArray:
    """The 24 patches in a 4 × 6 grid filling a ``size`` square (8-bit sRGB), patch ``k`` = row-major."""
    n = _size(size)
    img = np.zeros((n, n, 3), np.float32)
    rgb = colorchecker_srgb()
    for k, (r0, r1, c0, c1) in enumerate(_patch_boxes(n, n)):
        img[round(r0):round(r1), round(c0):round(c1)] = rgb[k]
    return img


def patch_means(image: NDArray, *, inner: float = 0.5) -> NDArray[np.float64]:
    """Mean colour of the central ``inner`` fraction (each side, in (0, 1]) of the 24 patches, (24, 3)."""
    img = np.asarray(image, dtype=np.float64)
    if img.ndim != 3 or img.shape[2] != 3 or min(img.shape[:2]) < 8:
        raise ValueError(f"`image` must be (rows, cols, 3) with sides >= 8; got shape {img.shape}")
    if not 0 < inner <= 1:
        raise ValueError(f"`inner` must be in (0, 1]; got {inner!r}")
    out = []
    for r0, r1, c0, c1 in _patch_boxes(*img.shape[:2]):
        qr, qc = (r1 - r0) * (1 - inner) / 2, (c1 - c0) * (1 - inner) / 2
        a, b = math.ceil(r0 + qr - 1e-9), max(math.floor(r1 - qr + 1e-9), math.ceil(r0 + qr - 1e-9) + 1)
        c, d = math.ceil(c0 + qc - 1e-9), max(math.floor(c1 - qc + 1e-9), math.ceil(c0 + qc - 1e-9) + 1)
        out.append(img[a:b, c:d].reshape(-1, 3).mean(axis=0))
    return np.array(out)


def dead_leaves_chart(size: int = 128, *, seed: int = 0) -> NDArray:
    """Grey dead-leaves texture (camsim's chart, radii 1 … size/4 px), reflectance as 8-bit sRGB."""
    from camsim.charts import dead_leaves

    n = _size(size)
    scene = dead_leaves(size=n, r_min=1.0, r_max=n / 4, seed=seed, mean_luminance=None)
    refl = scene.coefficients[:, :, 0]  # rank 1: reflectance × illuminant, reflectance in [0.05, 0.95]
    return _quantise(np.repeat(refl[:, :, None], 3, axis=2))


def grey_chart(size: int = 128, *, level: float = GREY_LEVEL) -> NDArray:
    """
    A uniform grey square at sRGB ``level`` in [0, 1] (8-bit) covering the central
    ``3/4`` of the chart, on a white (1.0) surround ``size/8`` wide.
    """
    n = _size(size)
    if not 0 <= level <= 1:
        raise ValueError(f"`level` must be in [0, 1]; got {level!r}")
    img = np.ones((n, n, 3))
    b = n // 8
    img[b:n - b, b:n - b] = level
    return _quantise(img)


def radial_power_spectrum(image: NDArray) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """
    ``(frequency, power)``: radially averaged power spectrum of a square image's BT.601
    luma (or of a grey ``(n, n)`` image), mean removed, 2-D Hann window, normalised per
    pixel (white noise of variance σ² gives σ² at every frequency). Bins of width 1/n
    cycles/pixel centred on k/n, k = 1 … n/2.
    """
    a = np.asarray(image, dtype=np.float64)
    if a.ndim == 3 and a.shape[2] == 3:
        a = a @ np.array([0.299, 0.587, 0.114])
    if a.ndim != 2 or a.shape[0] != a.shape[1] or a.shape[0] < 8:
        raise ValueError(f"`image` must be square (n, n) or (n, n, 3) with n >= 8; got shape {np.shape(image)}")
    n = a.shape[0]
    w1 = np.hanning(n)
    w = np.outer(w1, w1)
    x = (a - a.mean()) * w
    p = np.abs(np.fft.fft2(x)) ** 2 / (w ** 2).sum()
    f = np.fft.fftfreq(n)
    r = np.hypot(f[:, None], f[None, :])
    k = np.rint(r * n).astype(int)
    nb = n // 2
    sums = np.bincount(k.ravel(), weights=p.ravel(), minlength=nb + 1)[1:nb + 1]
    counts = np.bincount(k.ravel(), minlength=nb + 1)[1:nb + 1]
    return np.arange(1, nb + 1) / n, sums / counts


@dataclass(frozen=True, eq=False)
class EdgeResult:
    """MTF50 (cycles per HR pixel) and SFR curves per method (:data:`METHODS`)."""

    mtf50: dict[str, float]
    frequency: dict[str, NDArray[np.float64]]
    mtf: dict[str, NDArray[np.float64]]


@dataclass(frozen=True, eq=False)
class ColorResult:
    """Per-patch ΔE2000 against the true sRGB colours, and their mean, for camera, bicubic, sr."""

    patches: tuple[str, ...]
    true_srgb: NDArray[np.float64]
    measured: dict[str, NDArray[np.float64]]
    delta_e: dict[str, NDArray[np.float64]]
    mean: dict[str, float]


@dataclass(frozen=True, eq=False)
class SpectrumResult:
    """Dead-leaves radial spectra (HR grid) and the above-LR-Nyquist band ratios (see module doc)."""

    frequency: NDArray[np.float64]
    power: dict[str, NDArray[np.float64]]
    lr_nyquist: float
    high_power: dict[str, float]
    high_error: dict[str, float]


@dataclass(frozen=True)
class NoiseResult:
    """Pixel std on the grey card (0..1 scale) for camera, bicubic, sr; mean level; ratio sr / bicubic."""

    std: dict[str, float]
    mean: dict[str, float]
    ratio: float


@dataclass(frozen=True, eq=False)
class AnalysisResult:
    """Outcome of :func:`analyze` for one task and model."""

    task: str
    model_name: str
    scale: int
    size: int
    seed: int
    edge: EdgeResult
    color: ColorResult
    spectrum: SpectrumResult
    noise: NoiseResult
    outputs: tuple[Path, ...] = ()

    def to_markdown(self) -> str:
        """The task's table: MTF50, ColorChecker ΔE, spectrum ratios, noise; then per-patch ΔE."""
        fv = metrics.format_value
        e, c, s, n = self.edge.mtf50, self.color.mean, self.spectrum, self.noise
        lines = [
            f"# What {self.model_name} learned — task {self.task} (×{self.scale}, charts {self.size}² HR, 8-bit sRGB)",
            "",
            "| quantity | camera (LR) | bicubic | SR | reference (HR) |",
            "|---|---:|---:|---:|---:|",
            f"| slanted-edge MTF50 (cycles / HR px) | {fv(e['camera'], 3)} | {fv(e['bicubic'], 3)} | "
            f"{fv(e['sr'], 3)} | {fv(e['reference'], 3)} |",
            f"| ColorChecker mean ΔE2000 | {fv(c['camera'])} | {fv(c['bicubic'])} | {fv(c['sr'])} | 0 |",
            f"| dead leaves: power above {fv(s.lr_nyquist, 3)} cy/px ÷ HR's | — | {fv(s.high_power['bicubic'], 3)} | "
            f"{fv(s.high_power['sr'], 3)} | 1 |",
            f"| dead leaves: error power there ÷ HR's (<1 restored, >1 invented) | — | "
            f"{fv(s.high_error['bicubic'], 3)} | {fv(s.high_error['sr'], 3)} | 0 |",
            f"| grey card {GREY_LEVEL * 255:.0f}/255 on white: pixel std (×255) | {fv(255 * n.std['camera'])} | {fv(255 * n.std['bicubic'])} | "
            f"{fv(255 * n.std['sr'])} | 0 |",
            f"| grey card: mean level (×255) | {fv(255 * n.mean['camera'])} | "
            f"{fv(255 * n.mean['bicubic'])} | {fv(255 * n.mean['sr'])} | {GREY_LEVEL * 255:.0f} |",
            "",
            f"Noise ratio SR / bicubic: {fv(n.ratio, 3)} (< 1: smoothed, > 1: amplified).",
            "",
            "ColorChecker ΔE2000 per patch:",
            "",
            "| patch | camera | bicubic | SR |",
            "|---|---:|---:|---:|",
        ]
        for k, name in enumerate(self.color.patches):
            lines.append(f"| {name} | {fv(self.color.delta_e['camera'][k])} | {fv(self.color.delta_e['bicubic'][k])} "
                         f"| {fv(self.color.delta_e['sr'][k])} |")
        return "\n".join(lines) + "\n"

    def to_json(self) -> str:
        """JSON of all numbers and curves (NaN / inf as strings)."""
        def clean(v):
            if isinstance(v, np.ndarray):
                return clean(v.tolist())
            if isinstance(v, (float, np.floating)):
                return float(v) if np.isfinite(v) else metrics.format_value(v)
            if isinstance(v, dict):
                return {k: clean(x) for k, x in v.items()}
            if isinstance(v, (list, tuple)):
                return [clean(x) for x in v]
            return str(v) if isinstance(v, Path) else v

        d = {f: getattr(self, f) for f in self.__dataclass_fields__}
        d = {k: (asdict(v) if hasattr(v, "__dataclass_fields__") else v) for k, v in d.items()}
        return json.dumps(clean(d), indent=1, ensure_ascii=False) + "\n"


def _linear(img: NDArray) -> NDArray[np.float64]:
    """IEC 61966-2-1 sRGB decoding."""
    v = np.clip(np.asarray(img, dtype=np.float64), 0, 1)
    return np.where(v <= 0.04045, v / 12.92, ((v + 0.055) / 1.055) ** 2.4)


def _encode(lin: NDArray) -> NDArray[np.float64]:
    """IEC 61966-2-1 sRGB encoding."""
    v = np.clip(np.asarray(lin, dtype=np.float64), 0, 1)
    return np.where(v <= 0.0031308, 12.92 * v, 1.055 * v ** (1 / 2.4) - 0.055)


def _edge(imgs: dict[str, NDArray], scale: int) -> EdgeResult:
    from camsim.metrics import sfr

    m50, freq, mtf = {}, {}, {}
    for name in METHODS:
        img = imgs[name]
        b = 1 if name == "camera" else scale
        r = sfr(_linear(img[b:-b, b:-b]))
        f = r.frequency / (scale if name == "camera" else 1)
        keep = f <= 0.5 + 1e-12 if name != "camera" else f <= 0.5 / scale + 1e-12
        m50[name] = r.mtf50 / (scale if name == "camera" else 1)
        freq[name], mtf[name] = f[keep], r.mtf[keep]
    return EdgeResult(m50, freq, mtf)


def _color(imgs: dict[str, NDArray]) -> ColorResult:
    import colour

    true = colorchecker_srgb()
    measured, de, mean = {}, {}, {}
    for name in ("camera", "bicubic", "sr"):
        measured[name] = np.clip(patch_means(imgs[name]), 0, 1)
        de[name] = metrics.delta_e2000(true, measured[name])
        mean[name] = float(de[name].mean())
    names = tuple(colour.CCS_COLOURCHECKERS[COLORCHECKER].data.keys())
    return ColorResult(names, true, measured, de, mean)


def _spectrum(imgs: dict[str, NDArray], scale: int) -> SpectrumResult:
    f, p_hr = radial_power_spectrum(imgs["reference"])
    power = {"reference": p_hr}
    nyq = 0.5 / scale
    hi = f > nyq + 1e-12
    high_power, high_error = {}, {}
    for name in ("bicubic", "sr"):
        power[name] = radial_power_spectrum(imgs[name])[1]
        err = radial_power_spectrum(np.asarray(imgs[name], np.float64) - np.asarray(imgs["reference"], np.float64))[1]
        # band totals weighted by ring size (~ f) so they are 2-D powers, not means of rings
        high_power[name] = float((power[name][hi] * f[hi]).sum() / (p_hr[hi] * f[hi]).sum())
        high_error[name] = float((err[hi] * f[hi]).sum() / (p_hr[hi] * f[hi]).sum())
    return SpectrumResult(f, power, nyq, high_power, high_error)


def _noise(imgs: dict[str, NDArray], scale: int) -> NoiseResult:
    std, mean = {}, {}
    for name in ("camera", "bicubic", "sr"):
        img = np.asarray(imgs[name], np.float64)
        m = img.shape[0]
        core = img[3 * m // 8:5 * m // 8, 3 * m // 8:5 * m // 8]  # the grey's central quarter
        std[name] = float(core.std(axis=(0, 1)).mean())
        mean[name] = float(core.mean())
    # below 0.01 of an 8-bit code there is no noise to speak of (float rounding only)
    ratio = std["sr"] / std["bicubic"] if std["bicubic"] > NOISE_FLOOR else math.nan
    return NoiseResult(std, mean, ratio)


def analyze(model: nn.Module, task: Task | str, *, seed: int = 0, model_name: str = "model",
            out_dir: str | os.PathLike | None = None) -> AnalysisResult:
    """
    Push the four charts through ``task`` and ``model`` and measure them (module docstring).

    Parameters
    ----------
    model
        Generator for ``task.scale`` (put in eval mode here).
    task
        :class:`srgan.tasks.Task` (or a task name, at ×4); the charts are ``task.hr_size`` square.
    seed
        Camera-noise seed (integer >= 0); the dead-leaves layout uses it too.
    model_name
        Label for tables and the figure.
    out_dir
        Folder for ``analyze_<task>.{md,json,png}``; None writes nothing.
    """
    task = check_run_args(model, task, seed)
    if not isinstance(model_name, str) or not model_name:
        raise ValueError(f"`model_name` must be a non-empty string; got {model_name!r}")
    out = output_dir(out_dir) if out_dir is not None else None
    model.eval()
    n = task.hr_size
    charts = {"edge": edge_chart(n), "color": colorchecker_chart(n), "leaves": dead_leaves_chart(n, seed=seed),
              "grey": grey_chart(n)}
    imgs: dict[str, dict[str, NDArray]] = {}
    for k, chart in charts.items():
        lr, hr = task.pair(chart, seed=int(seed))
        sr = run_model(model, lr)
        if sr.shape != hr.shape:
            raise ValueError(f"`model` maps {lr.shape[:2]} to {sr.shape[:2]}; task {task.name} needs {hr.shape[:2]}")
        imgs[k] = {"camera": lr, "bicubic": bicubic_image(lr, hr.shape[:2]), "sr": sr, "reference": hr}
    result = AnalysisResult(task.name, model_name, task.scale, n, int(seed), _edge(imgs["edge"], task.scale),
                            _color(imgs["color"]), _spectrum(imgs["leaves"], task.scale),
                            _noise(imgs["grey"], task.scale))
    if out is None:
        return result
    stem = out / f"analyze_{task.name}"
    files = (Path(f"{stem}.md"), Path(f"{stem}.json"), Path(f"{stem}.png"))
    result = AnalysisResult(**{**{f: getattr(result, f) for f in result.__dataclass_fields__}, "outputs": files})
    atomic_write_text(files[0], result.to_markdown())
    atomic_write_text(files[1], result.to_json())
    _figure(result, files[2])
    return result


def _figure(r: AnalysisResult, path: Path) -> Path:
    """Four panels: SFR curves, ColorChecker ΔE per patch, dead-leaves spectra, noise std."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(2, 2, figsize=(11, 8), constrained_layout=True)
    labels = {"camera": "camera (LR)", "bicubic": "bicubic", "sr": r.model_name, "reference": "reference (HR)"}
    a = ax[0, 0]
    for m in METHODS:
        a.plot(r.edge.frequency[m], r.edge.mtf[m], label=f"{labels[m]}: MTF50 {metrics.format_value(r.edge.mtf50[m], 3)}")
    a.axvline(0.5 / r.scale, color="grey", ls=":", lw=1)
    a.axhline(0.5, color="grey", ls=":", lw=1)
    a.set(xlabel="cycles / HR pixel", ylabel="SFR", title="slanted edge", xlim=(0, 0.5))
    a.legend(fontsize=8)
    a = ax[0, 1]
    x = np.arange(24)
    for i, m in enumerate(("camera", "sr")):
        a.bar(x + (i - 0.5) * 0.4, r.color.delta_e[m], 0.4, label=f"{labels[m]} (mean {r.color.mean[m]:.1f})")
    a.set_xticks(x, [p[:12] for p in r.color.patches], rotation=90, fontsize=7)
    a.set(ylabel="ΔE2000 vs true sRGB", title="ColorChecker")
    a.legend(fontsize=8)
    a = ax[1, 0]
    for m in ("reference", "bicubic", "sr"):
        a.loglog(r.spectrum.frequency, r.spectrum.power[m], label=labels[m])
    a.axvline(r.spectrum.lr_nyquist, color="grey", ls=":", lw=1, label="LR Nyquist")
    a.set(xlabel="cycles / HR pixel", ylabel="power (luma²)", title="dead leaves: radial power spectrum")
    a.legend(fontsize=8)
    a = ax[1, 1]
    ms = ("camera", "bicubic", "sr")
    a.bar([labels[m] for m in ms], [255 * r.noise.std[m] for m in ms], color=["C0", "C1", "C2"])
    a.set(ylabel="pixel std (8-bit codes)",
          title=f"grey card: noise (SR / bicubic = {metrics.format_value(r.noise.ratio, 2)})")
    fig.suptitle(f"{r.model_name} · task {r.task} (×{r.scale})")
    return atomic_savefig(fig, path, dpi=80)
