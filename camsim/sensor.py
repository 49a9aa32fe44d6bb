"""
Sensor — pixel array, spectral QE, exposure, noise and ADC
==========================================================

Defines :class:`Sensor` (the parameters of a pixel array, ISETCam ``sensor`` +
``pixel``), :class:`Noise` (per-term noise switches) and :meth:`Sensor.expose`, which turns
an :class:`camsim.OpticalImage` — or a :class:`camsim._channel.ChannelImage`,
already projected onto this sensor's channels — into a :class:`camsim.Raw`
(:meth:`Sensor.expose_rate` starts from a precomputed electron rate). Array work happens in
the private numba kernels :mod:`camsim._kernels.noise` and
:mod:`camsim._kernels.resample`.

Signal chain of one exposure (all SI units; e⁻ = electrons, DN = digital numbers)

1. Spectral projection per colour channel c on the optical-image grid:
   ``J_c(x, y) = Δλ · Σ_λ E(x, y, λ) · QE_c(λ)`` in e⁻/(s·m²) (a ChannelImage holds
   ``J_c`` already).
2. Spatial integration: each pixel integrates ``J_c`` of the channel its CFA site
   carries over its photosensitive aperture (a square of side ``pitch·√fill_factor``
   centred in the pixel) by exact area-weighted resampling. For uniform irradiance
   this is ``T · pitch² · FF · Δλ · Σ_λ E·QE_c``.
3. Charge: PRNU (per-pixel QE factor) on the mean, then Poisson photon + dark shot
   noise, then the well clips at ``full_well``.
4. Read-out, referred to electrons: column gain, DSNU + column offset, Gaussian
   read noise → :attr:`Raw.electrons`.
5. Volts ``V = analog_gain · conversion_gain · e + analog_offset`` clipped to
   ``[0, voltage_swing]`` → :attr:`Raw.volts`.
6. ADC (``bit_depth`` set): ``DN = min(round_half_up(V / Δ_ADC), 2**bits − 1)`` with
   ``Δ_ADC = voltage_swing / 2**bits`` → :attr:`Raw.digital`.

Differences from ISETCam, on purpose
------------------------------------
- **Analog gain multiplies**: ``V_out = analog_gain · V + analog_offset`` (the usual
  camera convention). ISETCam divides: ``V_out = (V + ao) / ag``. To reproduce an
  ISETCam sensor with gain ``ag`` and offset ``ao`` use ``analog_gain = 1/ag`` and
  ``analog_offset = ao/ag``.
- **Box integration, not point sampling**: ISETCam blurs the optical image with a
  small Gaussian and bilinearly samples it at the pixel centres; we integrate the
  (piecewise-constant) irradiance over the photodiode exactly.
- **Exact Poisson shot noise** at every mean (ISETCam: Gaussian above 25 e⁻).
- **ADC** clips at ``2**bits − 1`` (ISETCam can return ``2**bits`` for ``V = V_swing``);
  the step is ISETCam's ``voltage_swing / 2**bits``, rounding half up.
- **Noise parameters in electrons**: DSNU, read noise and column offset are in e⁻ rms
  (ISETCam: volts); PRNU multiplies the expected photo-electrons before shot noise
  (ISETCam: the noisy signal, dark charge included). Fixed patterns come from the
  sensor's ``pattern_seed`` and are identical in every frame.
- **Auto-exposure** uses the brightest pixel of the whole sensor (ISETCam method
  ``'full'``); ISETCam's default uses the single brightest-illuminance optical-image
  sample spread over a small sensor. Dark current is excluded, as in ISETCam.

References
----------
- EMVA Standard 1288, *Standard for Characterization of Image Sensors and Cameras*,
  Release 4.0 (2021) — linear camera model, photon transfer, DSNU/PRNU.
- Hörmann, W. (1993). The transformed rejection method for generating Poisson
  random variables. *Insurance: Mathematics and Economics* 12(1), 39–45.
- ISETCam ``sensorCreate``, ``sensorCompute``, ``spatialIntegration``,
  ``sensorAddNoise``, ``analog2digital``, ``autoExposure``, ``sensorSetSizeToFOV``.
- Darrodi, M. M. et al. (2015). Reference data set for camera spectral sensitivity
  estimation. *JOSA A* 32(3), 381–391 (Nikon 5100 NPL sensitivities, via
  colour-science).
"""

from __future__ import annotations

import dataclasses
import warnings
import math
from dataclasses import dataclass, field
import functools
from functools import lru_cache, partial

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _validate as _check
from . import cfa as _cfa
from . import spectra
from ._kernels import noise as _noise
from ._kernels import resample as _resample
from ._channel import ChannelImage
from .optical_image import OpticalImage
from .raw import Raw
from .units import check_wave, wave_bin_width

__all__ = [
    "DEFAULT_PEAK_QE",
    "DEFAULT_CAMERA",
    "SIZE_RULES",
    "ISETCAM_SHAPE",
    "Noise",
    "Sensor",
]

DEFAULT_PEAK_QE: float = 0.6  # e⁻/photon at the most sensitive wavelength of the default QE
DEFAULT_CAMERA: str = "Nikon 5100 (NPL)"  # colour-science camera sensitivities used for the default QE
SIZE_RULES: tuple[str, ...] = ("scene", "isetcam")  # Sensor.size_rule values
ISETCAM_SHAPE: tuple[int, int] = (72, 88)  # rows, cols of ISETCam's default sensor ("qqcif"), kept by size_rule="isetcam"
_CHUNK = 1 << 16  # optical-image samples projected per BLAS call (bounds float64 scratch memory)


# --------------------------------------------------------------------------- validation


def _frame_seed(seed) -> int:
    """64-bit frame seed from None (fresh OS entropy), an int, or a numpy Generator."""
    if seed is None:
        return int(np.random.SeedSequence().generate_state(1, dtype=np.uint64)[0])
    if isinstance(seed, np.random.Generator):
        return int(seed.integers(0, _check.SEED_LIMIT, dtype=np.uint64))
    return _check.seed("seed", seed)


# Sensor fields checked as numbers: (name, unit) > 0, and >= 0.
_OPEN_POSITIVE = (("conversion_gain", "V/e⁻"), ("voltage_swing", "V"), ("analog_gain", ""))
_NON_NEGATIVE = (("dark_current", "e⁻/s"), ("read_noise", "e⁻ rms"), ("dsnu", "e⁻ rms"), ("prnu", "% rms"))


def _check_size(size) -> tuple[int, int]:
    """``(rows, cols)`` in pixels, each an integer >= 1."""
    try:
        r, c = size
    except (TypeError, ValueError):
        raise ValueError(f"`size` must be (rows, cols) or None; got {size!r}") from None
    return (_check.integer("size rows", r, low=1, unit="pixels"), _check.integer("size cols", c, low=1, unit="pixels"))


def _check_qe(qe, wave: NDArray[np.float64], cfa: str | None) -> NDArray[np.float64]:
    """QE ``(n_wave, n_channels)`` on ``wave``: finite, >= 0 e⁻/photon."""
    n_ch = 1 if cfa is None else 3
    q = np.array(qe, dtype=np.float64)
    if q.ndim == 1 and n_ch == 1:
        q = q[:, None]
    if q.shape != (wave.size, n_ch):
        raise ValueError(
            f"`qe` must have shape (n_wave, n_channels) = ({wave.size}, {n_ch}) for "
            f"cfa={cfa!r} on `wave`; got {q.shape} (pass qe=None for the default)")
    if not np.all(np.isfinite(q)) or np.any(q < 0):
        raise ValueError("`qe` must be finite and >= 0 e⁻/photon")
    return q


# --------------------------------------------------------------------------- noise switches


@dataclass(frozen=True)
class Noise:
    """
    Which noise terms :meth:`Sensor.expose` simulates (all on by default).

    Parameters
    ----------
    photon_shot
        Poisson noise of the photo-electrons. Off: the charge is its expected value.
    dark_current
        Dark charge (mean ``dark_current · T``) with its Poisson noise. Off: no dark charge.
    read
        Gaussian read noise.
    dsnu
        Dark-signal non-uniformity (fixed per-pixel offset).
    prnu
        Photo-response non-uniformity (fixed per-pixel gain).
    column_fpn
        Column fixed-pattern noise (per-column offset and gain).

    With every switch off the output is the noise-free signal, still clipped and
    quantised (ISETCam noise flag 0, except that dark current is a switch of its own).
    """

    photon_shot: bool = True
    dark_current: bool = True
    read: bool = True
    dsnu: bool = True
    prnu: bool = True
    column_fpn: bool = True

    def __post_init__(self):
        for f in dataclasses.fields(self):
            v = getattr(self, f.name)
            if not isinstance(v, (bool, np.bool_)):
                raise ValueError(f"`Noise.{f.name}` must be True or False; got {v!r}")
            object.__setattr__(self, f.name, bool(v))

    @classmethod
    def off(cls) -> "Noise":
        """Every term off: the noise-free signal."""
        return cls(**{f.name: False for f in dataclasses.fields(cls)})

    @classmethod
    def only(cls, *terms: str) -> "Noise":
        """Only the named terms on, e.g. ``Noise.only("photon_shot", "read")``."""
        names = [f.name for f in dataclasses.fields(cls)]
        for t in terms:
            if t not in names:
                raise ValueError(f"noise term must be one of {names}; got {t!r}")
        return cls(**{n: n in terms for n in names})


# --------------------------------------------------------------------------- fixed patterns


@lru_cache(maxsize=32)
def _pattern(seed: int, stream: int, rows: int, cols: int) -> NDArray[np.float64]:
    """Standard-normal fixed pattern for (sensor pattern seed, stream); cached, read-only."""
    out = _noise.normal_field(np.uint64(seed), stream, rows, cols)
    out.flags.writeable = False
    return out


def _default_qe(cfa: str | None, wave: NDArray[np.float64]) -> NDArray[np.float64]:
    s = spectra.camera_sensitivities(DEFAULT_CAMERA, wave)
    if cfa is None:
        s = s.sum(axis=1, keepdims=True)  # luminance-like single channel: R + G + B
    peak = s.max()
    if not peak > 0:
        raise ValueError(f"the default QE ({DEFAULT_CAMERA}) is zero on `wave` "
                         f"({wave[0]:g}–{wave[-1]:g} nm); pass `qe` explicitly")
    return s * (DEFAULT_PEAK_QE / peak)


# --------------------------------------------------------------------------- sensor


@dataclass(frozen=True, eq=False)
class Sensor:
    """
    Pixel array parameters (ISETCam ``sensorCreate`` + ``pixelCreate``), SI units.

    Parameters
    ----------
    pixel_pitch
        Pixel centre spacing (square pixels, no gaps), m; > 0. Default 2.8 µm.
    fill_factor
        Photodiode area / pixel area, in (0, 1]. The photodiode is a centred square
        of side ``pixel_pitch · √fill_factor`` (:attr:`aperture`). Default 0.75.
    size
        ``(rows, cols)`` in pixels, or None to size the array to the optical image's
        scene area at exposure time (:meth:`size_for`).
    size_rule
        How ``size=None`` sizes the array (:data:`SIZE_RULES`): ``"scene"`` (default)
        covers the scene area, rows following the scene's aspect ratio;
        ``"isetcam"`` matches the scene's width and keeps ISETCam's default 72:88
        rows:cols shape (``sensorSetSizeToFOV`` on ``sensorCreate``'s 72×88 array).
    cfa
        Bayer layout ``"rggb"``, ``"grbg"`` (default, as ISETCam), ``"gbrg"``,
        ``"bggr"`` (letters = 2×2 sites row by row, :mod:`camsim.cfa`), or None for
        monochrome.
    qe
        Spectral quantum efficiency, e⁻/photon, ``(n_wave, n_channels)`` on ``wave``;
        columns (r, g, b) for a Bayer sensor, one column for monochrome. Includes
        colour filter and photodiode, not the fill factor. None: the Nikon 5100
        (NPL) sensitivities from colour-science, scaled so the largest value is
        :data:`DEFAULT_PEAK_QE`; for monochrome, the sum of the three NPL channels
        scaled the same way.
    wave
        Wavelength grid of ``qe``, nm. Default :data:`camsim.spectra.DEFAULT_WAVE`.
    conversion_gain
        V/e⁻ at the pixel output; > 0. Default 1e-4.
    voltage_swing
        Largest pixel output, V; > 0. Default 1. Full well = swing / conversion gain.
    dark_current
        Mean dark charge rate, e⁻/s; ≥ 0. Default 10.
    read_noise
        Temporal read noise, e⁻ rms; ≥ 0. Default 10.
    dsnu
        Dark-signal non-uniformity, e⁻ rms (fixed per-pixel offset); ≥ 0. Default 0.
    prnu
        Photo-response non-uniformity, % rms of the photo signal; ≥ 0. Default 0.
    column_fpn
        ``(offset e⁻ rms, gain fraction rms)`` of the per-column fixed pattern; ≥ 0.
    analog_gain
        Multiplies the pixel voltage before the offset and ADC (dimensionless, > 0).
        **Multiplies**, unlike ISETCam, which divides; see the module notes.
    analog_offset
        Added after the gain, V. Default 0.
    bit_depth
        ADC resolution in bits, integer 1…16, or None for an analog output (volts only).
    exposure_time
        Integration time, s (> 0), or None for auto-exposure.
    auto_exposure_level
        Auto-exposure target: brightest pixel's noise-free charge as a fraction of the
        full well, in (0, 1]. Default 0.95.
    noise
        :class:`Noise` switches.
    pattern_seed
        Seed of the fixed patterns (DSNU, PRNU, column FPN), integer in [0, 2**64);
        the temporal noise of each frame has its own seed (:meth:`expose`). ``seed=``
        is a deprecated spelling of it (and :attr:`seed` of reading it).

    Examples
    --------
    >>> s = Sensor(pixel_pitch=25e-6, cfa=None, read_noise=2.0)
    >>> s.full_well, s.n_channels
    (10000.0, 1)
    """

    pixel_pitch: float = 2.8e-6
    fill_factor: float = 0.75
    size: tuple[int, int] | None = None
    size_rule: str = "scene"
    cfa: str | None = "grbg"
    qe: NDArray[np.float64] | None = None
    wave: NDArray[np.float64] = field(default_factory=lambda: spectra.DEFAULT_WAVE.copy())
    conversion_gain: float = 1e-4
    voltage_swing: float = 1.0
    dark_current: float = 10.0
    read_noise: float = 10.0
    dsnu: float = 0.0
    prnu: float = 0.0
    column_fpn: tuple[float, float] = (0.0, 0.0)
    analog_gain: float = 1.0
    analog_offset: float = 0.0
    bit_depth: int | None = None
    exposure_time: float | None = None
    auto_exposure_level: float = 0.95
    noise: Noise = field(default_factory=Noise)
    pattern_seed: int = 0

    def __post_init__(self):
        num, put = _check.number, partial(object.__setattr__, self)
        put("pixel_pitch", num("pixel_pitch", self.pixel_pitch, "m", low=0, low_open=True))
        put("fill_factor", num("fill_factor", self.fill_factor, "", low=0, high=1, low_open=True))
        if self.size is not None:
            put("size", _check_size(self.size))
        _check.one_of("size_rule", self.size_rule, SIZE_RULES)
        put("cfa", _cfa.check_cfa(self.cfa, monochrome=True))
        wave = check_wave(self.wave, "wave").copy()
        wave.flags.writeable = False
        put("wave", wave)
        qe = _default_qe(self.cfa, wave) if self.qe is None else _check_qe(self.qe, wave, self.cfa)
        qe.flags.writeable = False
        put("qe", qe)
        for name, unit in _OPEN_POSITIVE:
            put(name, num(name, getattr(self, name), unit, low=0, low_open=True))
        for name, unit in _NON_NEGATIVE:
            put(name, num(name, getattr(self, name), unit, low=0))
        try:
            off, gain = self.column_fpn
        except (TypeError, ValueError):
            raise ValueError(f"`column_fpn` must be (offset e⁻ rms, gain fraction rms); got {self.column_fpn!r}") from None
        put("column_fpn", (num("column_fpn[0] (offset)", off, "e⁻ rms", low=0),
                           num("column_fpn[1] (gain)", gain, "(fraction rms)", low=0)))
        put("analog_offset", num("analog_offset", self.analog_offset, "V"))
        if self.bit_depth is not None:
            put("bit_depth", _check.integer("bit_depth", self.bit_depth, low=1, high=16, unit="bits (or None, analog)"))
        if self.exposure_time is not None:
            put("exposure_time", num("exposure_time", self.exposure_time, "s", low=0, low_open=True))
        put("auto_exposure_level", num("auto_exposure_level", self.auto_exposure_level,
                                       "(fraction of full well)", low=0, high=1, low_open=True))
        _check.instance("noise", self.noise, Noise, "camsim.Noise")
        put("pattern_seed", _check.seed("pattern_seed", self.pattern_seed))

    # ----------------------------------------------------------------- derived

    @property
    def seed(self) -> int:
        """Deprecated: :attr:`pattern_seed` (the seed of the fixed patterns)."""
        warnings.warn("Sensor.seed is deprecated; use Sensor.pattern_seed (the seed of the fixed patterns)",
                      DeprecationWarning, stacklevel=2)
        return self.pattern_seed

    @property
    def full_well(self) -> float:
        """Well capacity, e⁻: ``voltage_swing / conversion_gain``."""
        return self.voltage_swing / self.conversion_gain

    @property
    def pixel_area(self) -> float:
        """Pixel area ``pixel_pitch²``, m²."""
        return self.pixel_pitch**2

    @property
    def aperture(self) -> float:
        """Side of the square photodiode, m: ``pixel_pitch · √fill_factor``."""
        return self.pixel_pitch * math.sqrt(self.fill_factor)

    @property
    def n_channels(self) -> int:
        """Number of colour channels (columns of :attr:`qe`): 3 for Bayer, 1 for monochrome."""
        return self.qe.shape[1]

    @property
    def cfa_block(self) -> int:
        """Side of the repeating CFA tile in pixels (2 for Bayer, 1 for monochrome)."""
        return 1 if self.cfa is None else 2

    @property
    def adc_step(self) -> float | None:
        """ADC step ``voltage_swing / 2**bit_depth``, V/DN; None for an analog sensor."""
        return None if self.bit_depth is None else self.voltage_swing / 2**self.bit_depth

    @property
    def system_gain(self) -> float:
        """Overall gain K (EMVA 1288): DN/e⁻ if quantised, else V/e⁻."""
        k = self.conversion_gain * self.analog_gain
        return k if self.bit_depth is None else k / self.adc_step

    def qe_on(self, wave: ArrayLike) -> NDArray[np.float64]:
        """QE resampled linearly to ``wave`` (nm), 0 outside :attr:`wave`, ``(n, n_channels)``."""
        w = check_wave(wave)
        if w.shape == self.wave.shape and np.array_equal(w, self.wave):
            return self.qe.copy()
        return spectra.resample(self.qe, self.wave, w, fill=0.0)

    def channel_map(self, size: tuple[int, int] | None = None) -> NDArray[np.int8]:
        """
        Channel index (into :data:`camsim.cfa.CHANNELS`, 0 for monochrome) of every pixel,
        int8 ``(rows, cols)``: :func:`camsim.cfa.channel_map` of this sensor's CFA.
        """
        return _cfa.channel_map(self.cfa, size if size is not None else self._require_size())

    def _require_size(self) -> tuple[int, int]:
        if self.size is None:
            raise ValueError("this sensor has size=None; pass `size` or use Sensor.size_for(optical_image)")
        return self.size

    # ----------------------------------------------------------------- geometry

    def size_for(self, optical_image: OpticalImage | ChannelImage) -> tuple[int, int]:
        """
        ``(rows, cols)`` of the pixel array that exposes ``optical_image`` (an
        :class:`OpticalImage` or a :class:`ChannelImage`): the sensor's ``size`` if set,
        otherwise the array covering the scene area of the optical image (padding
        excluded), by ``size_rule``.

        The scene area is ``(n − 2·pad) · sample_spacing`` along each axis.

        - ``size_rule="scene"`` (default): along each axis the pixel count
          ``extent / pixel_pitch`` is rounded *down* to a whole number of CFA blocks
          (2 for Bayer, 1 for monochrome), so every pixel aperture lies inside the
          scene area and no pixel integrates the optics' padding (a half-lit edge row
          would demosaic into colour stripes); ValueError if not even one block fits.
          Rows therefore follow the *scene's* aspect ratio; the sensor is centred on
          the optical axis, so up to one block less than the scene is trimmed, half
          on each side.
        - ``size_rule="isetcam"``: ISETCam's ``sensorSetSizeToFOV`` on its default
          72×88 sensor: with ``k = width / (88 · pixel_pitch)``,
          ``rows = ceil(round(72·k) / b)·b`` and ``cols = ceil(round(88·k) / b)·b``
          (b the CFA block, MATLAB ``round`` = half away from zero), at least one
          block: the *sensor's* 72:88 shape whatever the scene's (pixels outside the
          optical image receive no light). Unlike ``"scene"`` this rounds *up* on
          purpose, to match ISETCam pixel for pixel: edge pixels may see the padding. ISETCam takes the width from the focal
          length, camsim from the image distance (0.3 % apart at 1.2 m).

        Raises ValueError if the scene area (``size=None``) — or, with ``size`` set,
        the whole optical image — is smaller than one pixel.
        """
        oi = optical_image
        if self.size is not None:
            for name, extent in (("height", oi.height), ("width", oi.width)):
                if extent < self.pixel_pitch * (1 - 1e-9):
                    raise ValueError(
                        f"optical image {name} ({extent:.4g} m) is smaller than one pixel "
                        f"(`pixel_pitch` = {self.pixel_pitch:.4g} m); it must be >= the pixel pitch")
            return self.size
        pad_r, pad_c = oi.pad
        extents = []
        for name, n, pad in (("rows", oi.rows, pad_r), ("cols", oi.cols, pad_c)):
            extent = (n - 2 * pad) * oi.sample_spacing
            if extent < self.pixel_pitch * (1 - 1e-9):
                raise ValueError(
                    f"optical image scene area ({name}: {extent:.4g} m) is smaller than one pixel "
                    f"(`pixel_pitch` = {self.pixel_pitch:.4g} m); it must be >= the pixel pitch")
            extents.append(extent)
        b = self.cfa_block
        if self.size_rule == "isetcam":
            k = extents[1] / (ISETCAM_SHAPE[1] * self.pixel_pitch)
            return tuple(max(1, math.ceil(math.floor(n * k + 0.5) / b)) * b for n in ISETCAM_SHAPE)
        dims = []
        for name, extent in zip(("rows", "cols"), extents):
            # Whole CFA blocks that fit inside the scene area (1e-9: a scene of exactly
            # k blocks keeps k despite floating-point rounding of extent / pitch).
            blocks = math.floor(extent / self.pixel_pitch / b + 1e-9)
            if blocks < 1:
                raise ValueError(
                    f"optical image scene area ({name}: {extent:.4g} m) is smaller than one {b}×{b} CFA block "
                    f"(`pixel_pitch` = {self.pixel_pitch:.4g} m); it must be >= {b} pixel pitches")
            dims.append(blocks * b)
        return dims[0], dims[1]

    # ----------------------------------------------------------------- signal

    def electron_rate(self, optical_image: OpticalImage | ChannelImage) -> NDArray[np.float64]:
        """
        Noise-free photo-electron rate of every pixel, e⁻/s, float64 ``(rows, cols)``.

        ``Δλ · Σ_λ E·QE_c`` integrated exactly over each photodiode aperture (area
        overlap of the aperture with the optical-image samples, treated as uniform
        squares of side ``sample_spacing``), channel c chosen by the CFA. The sensor
        and optical image share the optical axis; pixels outside the optical image
        receive nothing. Dark current is not included. A pixel whose integral is
        negative — the optics keep the band-limit ringing of sharp, dark-next-to-bright
        scenes (−0.5…−1 % of the peak, :meth:`camsim.Optics.form_image`) — gets 0: a
        photodiode cannot give back charge.

        Parameters
        ----------
        optical_image
            :class:`OpticalImage` (spectral irradiance, photons/(s·m²·nm); the QE is
            resampled to its wavelengths and the projection is done here, in float64,
            over the samples the pixels touch), or :class:`ChannelImage` (already
            projected, e⁻/(s·m²)); its ``qe`` must equal this sensor's QE on its
            wavelengths (ValueError otherwise).
        """
        oi = optical_image
        if isinstance(oi, ChannelImage):
            self._check_channel_image(oi)
        elif not isinstance(oi, OpticalImage):
            raise ValueError(f"`optical_image` must be a camsim.OpticalImage or ChannelImage; got {type(oi).__name__}")
        rows, cols = self.size_for(oi)
        r_start, r_w = _resample.overlap_band(oi.rows, oi.sample_spacing, rows, self.pixel_pitch, self.aperture)
        c_start, c_w = _resample.overlap_band(oi.cols, oi.sample_spacing, cols, self.pixel_pitch, self.aperture)
        if isinstance(oi, ChannelImage):
            planes = oi.planes  # (n_ch, R, C), e⁻/(s·m²)
        else:
            # Project only the samples some aperture band touches (not the padding).
            r0, r1 = int(r_start.min()), int(r_start.max()) + r_w.shape[1]
            c0, c1 = int(c_start.min()), int(c_start.max()) + c_w.shape[1]
            weights = self.qe_on(oi.wave) * wave_bin_width(oi.wave)[:, None]  # (n_wave, n_ch), e⁻/photon·nm
            planes = _project(oi.irradiance[r0:r1, c0:c1], weights)  # (n_ch, r1 - r0, c1 - c0), e⁻/(s·m²)
            r_start, c_start = r_start - r0, c_start - c0
        tile = _cfa.cfa_indices(self.cfa) if self.cfa is not None else np.zeros((1, 1), dtype=np.int8)
        rate = _resample.area_resample_cfa(planes, tile, r_start, r_w, c_start, c_w)
        return np.maximum(rate, 0.0, out=rate)

    def _check_channel_image(self, ci: ChannelImage) -> None:
        qe = self.qe_on(ci.wave)
        if qe.shape != ci.qe.shape or not np.allclose(ci.qe, qe, rtol=1e-12, atol=0.0):
            raise ValueError(
                f"the ChannelImage was projected with a QE of shape {ci.qe.shape} that differs from this "
                f"sensor's QE on its {ci.n_wave} wavelengths (shape {qe.shape}); make it with "
                "camsim._channel.form_channel_image(optics, scene, sensor.qe_on(scene.wave)) for this sensor")

    def auto_exposure(self, optical_image: OpticalImage | ChannelImage) -> float:
        """
        Auto-exposure time, s: ``auto_exposure_level · full_well / max(electron_rate)``.

        The brightest pixel's noise-free photo-charge (before analog gain, without
        dark current) lands at the target fraction of the full well — i.e. of the
        voltage swing at the pixel (ISETCam ``autoExposure`` method ``'full'``).
        ``optical_image`` may be an :class:`OpticalImage` or a :class:`ChannelImage`.
        """
        return self.auto_exposure_for_rate(self.electron_rate(optical_image))

    def auto_exposure_for_rate(self, rate: ArrayLike) -> float:
        """:meth:`auto_exposure` from a noise-free electron rate already computed (e⁻/s per pixel)."""
        peak = float(np.max(rate))
        if not peak > 0:
            raise ValueError("auto-exposure needs light on the sensor (the optical image is black "
                             "over the pixel apertures); pass `exposure_time` > 0 s")
        return self.auto_exposure_level * self.full_well / peak

    # ----------------------------------------------------------------- exposure

    def expose(self, optical_image: OpticalImage | ChannelImage, *, exposure_time: float | None = None,
               seed: int | np.random.Generator | None = None) -> Raw:
        """
        One exposure of this sensor to ``optical_image`` (ISETCam ``sensorCompute``).

        Parameters
        ----------
        optical_image
            Irradiance on the sensor plane, photons/(s·m²·nm), sharing the optical axis
            with the pixel array. Its wavelength grid may differ from the sensor's: the
            QE is resampled to it (linear, 0 outside). Or a :class:`ChannelImage` made
            for this sensor's QE (e⁻/(s·m²) per channel). The electron rate
            (:meth:`Sensor.electron_rate`) is computed once and serves auto-exposure too.
        exposure_time
            Integration time, s (> 0). None: ``sensor.exposure_time``, and if that is None
            too, auto-exposure (:meth:`Sensor.auto_exposure`).
        seed
            Seed of this frame's temporal noise (shot, dark shot, read): an integer in
            [0, 2**64), a :class:`numpy.random.Generator` (one 64-bit draw), or None for
            fresh OS entropy. The fixed patterns use ``sensor.pattern_seed`` instead. Results do
            not depend on the number of numba threads.

        Returns
        -------
        Raw
            ``electrons`` (e⁻, after the well clip, read-out noise and offsets; may be
            slightly negative from read noise), ``volts`` (V, in [0, voltage_swing]),
            ``digital`` (DN, uint16, or None if analog), ``mean_electrons`` (noise-free
            photo-electrons, e⁻), black level ``analog_offset`` (V) or
            ``analog_offset / adc_step`` (DN), white level ``voltage_swing`` (V) or
            ``2**bits − 1`` (DN), the exposure time (s), the analog gain, the sensor with
            its size filled in, and the frame seed.

        Examples
        --------
        >>> import numpy as np
        >>> from camsim import Noise, Sensor
        >>> from camsim.optical_image import OpticalImage
        >>> oi = OpticalImage(np.full((8, 8, 1), 1e17, np.float32), [550.0], 2.8e-6)
        >>> raw = Sensor(size=(8, 8), cfa=None, wave=[550.0], qe=[0.5], noise=Noise.off()).expose(
        ...     oi, exposure_time=1e-3)
        >>> float(raw.electrons[0, 0])  # 1e17 · 10 nm · 0.5 · (2.8 µm)² · 0.75 · 1 ms
        2940.0
        """
        return _readout(self, self.electron_rate(optical_image), exposure_time, _frame_seed(seed))

    def expose_rate(self, rate: ArrayLike, *, exposure_time: float | None = None,
                    seed: int | np.random.Generator | None = None) -> Raw:
        """
        One exposure of this sensor given its noise-free photo-electron rate.

        :meth:`expose` is ``self.expose_rate(self.electron_rate(optical_image), ...)``;
        a caller that already has the rate (e.g. to choose the exposure time from it, as
        :meth:`camsim.Camera.capture` does) skips computing it again.

        Parameters
        ----------
        rate
            Noise-free photo-electron rate per pixel, e⁻/s, ``(rows, cols)`` (the sensor's
            ``size`` if set), finite and
            >= 0 (:meth:`Sensor.electron_rate`; dark current excluded).
        exposure_time, seed
            As in :meth:`expose`.

        Returns
        -------
        Raw
            As :meth:`expose`.
        """
        r = np.asarray(rate, dtype=np.float64)
        if r.ndim != 2 or 0 in r.shape:
            raise ValueError(f"`rate` must have shape (rows, cols) in e⁻/s; got {r.shape}")
        if self.size is not None and r.shape != self.size:
            raise ValueError(f"`rate` has shape {r.shape} but the sensor size is {self.size}")
        if not np.all(np.isfinite(r)) or r.min() < 0:
            raise ValueError("`rate` must be finite and >= 0 e⁻/s")
        return _readout(self, r, exposure_time, _frame_seed(seed))

    def __repr__(self) -> str:
        size = "auto" if self.size is None else f"{self.size[0]}×{self.size[1]}"
        adc = "analog" if self.bit_depth is None else f"{self.bit_depth}-bit"
        t = "auto" if self.exposure_time is None else f"{self.exposure_time:.4g} s"
        return (f"Sensor({size}, pitch={self.pixel_pitch * 1e6:.4g} µm, ff={self.fill_factor:g}, "
                f"cfa={self.cfa}, {self.wave.size} λ, full_well={self.full_well:.6g} e⁻, "
                f"read={self.read_noise:g} e⁻, {adc}, exposure={t})")


def _project(irradiance: NDArray[np.float32], weights: NDArray[np.float64]) -> NDArray[np.float64]:
    """Σ_λ irradiance·weights in float64, channels first: ``(n_ch, rows, cols)``; ``irradiance`` may be a view."""
    rows, cols, n_wave = irradiance.shape
    out = np.empty((weights.shape[1], rows * cols))
    wt = np.ascontiguousarray(weights.T)
    step = max(1, _CHUNK // cols)  # rows per BLAS call
    for r in range(0, rows, step):
        block = irradiance[r:r + step].reshape(-1, n_wave).astype(np.float64)
        out[:, r * cols:(r + block.shape[0] // cols) * cols] = wt @ block.T
    return out.reshape(weights.shape[1], rows, cols)


def expose(sensor: Sensor, optical_image: OpticalImage | ChannelImage, **kwargs) -> Raw:
    """Deprecated: use :meth:`Sensor.expose`."""
    warnings.warn("camsim.sensor.expose(sensor, ...) is deprecated; use sensor.expose(...)", DeprecationWarning,
                  stacklevel=2)
    return _check.instance("sensor", sensor, Sensor, "camsim.Sensor").expose(optical_image, **kwargs)


def expose_rate(sensor: Sensor, rate: ArrayLike, **kwargs) -> Raw:
    """Deprecated: use :meth:`Sensor.expose_rate`."""
    warnings.warn("camsim.sensor.expose_rate(sensor, ...) is deprecated; use sensor.expose_rate(...)",
                  DeprecationWarning, stacklevel=2)
    return _check.instance("sensor", sensor, Sensor, "camsim.Sensor").expose_rate(rate, **kwargs)


def _fixed_patterns(sensor: Sensor, rows: int,
                    cols: int) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """
    (prnu, col_gain, offset) for :func:`camsim._kernels.noise.readout`: full-size arrays
    only for the terms that are on; otherwise stride-0 views (read without memory
    traffic), and a column offset alone is one row broadcast to the frame.
    """
    sw = sensor.noise
    prnu = np.broadcast_to(1.0, (rows, cols))
    if sw.prnu and sensor.prnu > 0:
        prnu = 1.0 + (sensor.prnu / 100.0) * _pattern(sensor.pattern_seed, _noise.STREAM_PRNU, rows, cols)
    offset = np.broadcast_to(0.0, (rows, cols))
    if sw.dsnu and sensor.dsnu > 0:
        offset = sensor.dsnu * _pattern(sensor.pattern_seed, _noise.STREAM_DSNU, rows, cols)
    col_gain = np.ones(cols)
    col_off, col_g = sensor.column_fpn
    if sw.column_fpn and col_off > 0:
        col = col_off * _pattern(sensor.pattern_seed, _noise.STREAM_COLUMN_OFFSET, 1, cols)
        if offset.strides[0] == 0:  # column offset alone: one row, repeated by a view
            offset = np.broadcast_to(col, (rows, cols))
        else:
            offset = offset + col
    if sw.column_fpn and col_g > 0:
        col_gain = col_gain + col_g * _pattern(sensor.pattern_seed, _noise.STREAM_COLUMN_GAIN, 1, cols)[0]
    return prnu, col_gain, offset


def _readout(sensor: Sensor, rate: NDArray[np.float64], exposure_time: float | None, frame_seed: int) -> Raw:
    """Exposure time, fixed patterns, noise, volts and ADC for a validated electron rate (e⁻/s)."""
    rows, cols = rate.shape
    if exposure_time is None:
        exposure_time = sensor.exposure_time
    if exposure_time is None:
        t = sensor.auto_exposure_for_rate(rate)
    else:
        t = _check.number("exposure_time", exposure_time, "s", low=0, low_open=True)
    mean_e = rate * t

    sw = sensor.noise
    prnu, col_gain, offset = _fixed_patterns(sensor, rows, cols)

    params = _noise.ReadoutParams(
        dark=float(sensor.dark_current * t) if sw.dark_current else 0.0,
        shot=bool(sw.photon_shot),
        read=float(sensor.read_noise) if sw.read else 0.0,
        full_well=float(sensor.full_well),
        volts_per_e=float(sensor.conversion_gain * sensor.analog_gain),
        offset=float(sensor.analog_offset),
        swing=float(sensor.voltage_swing),
        levels=0.0 if sensor.bit_depth is None else float(2**sensor.bit_depth),
    )

    electrons = np.empty((rows, cols), dtype=np.float32)
    volts = np.empty((rows, cols), dtype=np.float32)
    digital = np.zeros((rows, cols) if sensor.bit_depth is not None else (1, 1), dtype=np.uint16)
    _noise.readout(mean_e, prnu, col_gain, offset, params, np.uint64(frame_seed), electrons, volts, digital)

    dark_v = params.dark * params.volts_per_e  # mean dark signal, V
    if sensor.bit_depth is None:
        black, white, digital, dark = sensor.analog_offset, sensor.voltage_swing, None, dark_v
    else:
        black, white = sensor.analog_offset / sensor.adc_step, float(2**sensor.bit_depth - 1)
        dark = dark_v / sensor.adc_step
    used = sensor if sensor.size == (rows, cols) else dataclasses.replace(sensor, size=(rows, cols))
    return Raw(
        electrons=electrons,
        volts=volts,
        digital=digital,
        mean_electrons=mean_e.astype(np.float32),
        cfa=sensor.cfa,
        black_level=float(black),
        white_level=float(white),
        exposure_time=float(t),
        analog_gain=sensor.analog_gain,
        sensor=used,
        seed=frame_seed,
        dark_level=float(dark),
    )


def __getattr__(name: str):
    # The Bayer layout lives in camsim.cfa; the old names here still resolve, deprecated.
    if name == "CHANNELS":
        warnings.warn("camsim.sensor.CHANNELS is deprecated; use camsim.cfa.CHANNELS", DeprecationWarning,
                      stacklevel=2)
        return _cfa.CHANNELS
    if name == "CFA_SITES":
        warnings.warn("camsim.sensor.CFA_SITES is deprecated; use camsim.cfa.cfa_indices(pattern)",
                      DeprecationWarning, stacklevel=2)
        return {p: tuple(map(tuple, _cfa.cfa_indices(p).tolist())) for p in _cfa.CFA_PATTERNS}
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


_dataclass_init = Sensor.__init__


@functools.wraps(_dataclass_init)
def _sensor_init(self, *args, seed=None, **kwargs):
    # `seed=` is the deprecated spelling of `pattern_seed=` (it only ever seeded the fixed patterns).
    if seed is not None:
        warnings.warn("Sensor(seed=...) is deprecated; use Sensor(pattern_seed=...) (the seed of the fixed patterns)",
                      DeprecationWarning, stacklevel=2)
        if kwargs.get("pattern_seed", seed) != seed:
            raise ValueError(f"pass `pattern_seed` only (`seed` is its deprecated name); got seed={seed!r} and "
                             f"pattern_seed={kwargs['pattern_seed']!r}")
        kwargs["pattern_seed"] = seed
    _dataclass_init(self, *args, **kwargs)


Sensor.__init__ = _sensor_init
