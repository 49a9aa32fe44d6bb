"""
Camera — optics, sensor and image processor composed into one capture
=====================================================================

:class:`Camera` runs the whole ISETCam chain (``cameraCompute``): scene → optical
image (:class:`camsim.Optics`) → raw (:class:`camsim.Sensor`) → rendered image
(:class:`camsim.ISP`). Keyword shortcuts make the common cases one line::

    camsim.Camera(fnumber=22).capture("photo.jpg").save("out.png")

By default (``fast=True``) the optics and the sensor's spectral projection run
together on the scene's spectral basis (:func:`camsim._channel.form_channel_image`, a
camera-level computation: it needs the sensor's QE): the same electrons as the
per-wavelength reference path to float32 rounding, without the spectral cube, several
times faster. :attr:`Capture.spectral_image` gives the spectral image on first access.

References
----------
- ISETCam ``cameraCreate``, ``cameraCompute`` (sensor sized to the scene field of view).
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import InitVar, dataclass, field
from functools import cached_property, partial

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _channel
from . import _validate as _check
from . import spectra
from ._channel import ChannelImage
from ._io import write_image
from .isp import ISP, Rendering
from .optical_image import OpticalImage
from ._focal_plane import PAD_VALUES, check_pad
from .optics import Optics
from .raw import Raw
from .scene import Scene
from .sensor import Noise, Sensor

__all__ = ["Camera", "Capture", "FULL_CUBE_RTOL"]

# Scene.low_rank tolerance for full-cube scenes on the fast path: relative Frobenius
# error of the compressed radiance (the channel signals, being smooth spectral
# projections of it, come out far closer than that).
FULL_CUBE_RTOL: float = 1e-5


@dataclass(frozen=True, eq=False)
class Capture:
    """
    Everything one capture produced.

    Attributes
    ----------
    image
        sRGB-encoded output, float32 ``(rows, cols, 3)`` in [0, 1].
    linear
        Linear sRGB output, float32 ``(rows, cols, 3)`` in [0, 1].
    raw
        :class:`camsim.Raw` (electrons, volts, DN, noise-free mean electrons).
    optical_image
        Irradiance on the sensor plane: a :class:`camsim.OpticalImage` (spectral) from
        the reference path, or a :class:`camsim._channel.ChannelImage` (already
        projected onto the sensor's channels) from the fast path; the spectral image
        is then :attr:`spectral_image`.
    scene
        The :class:`camsim.Scene` that was captured (after any relighting).
    rendering
        The full :class:`camsim.Rendering` (XYZ, sensor RGB, colour matrix, gains).
    pad, pad_value, fast_fft
        The optics' pad settings the capture used (:meth:`camsim.Optics.form_image`),
        reused by :attr:`spectral_image`.
    """

    image: NDArray[np.float32]
    linear: NDArray[np.float32]
    raw: Raw
    optical_image: OpticalImage | ChannelImage
    scene: Scene
    rendering: Rendering
    pad: float | str = 0.125
    pad_value: str = "zero"
    fast_fft: bool = False

    def save(self, path: str | os.PathLike, *, bit_depth: int = 8, linear: bool = False,
             quality: int | None = None) -> os.PathLike:
        """
        Write the sRGB image (or the linear one) atomically, in the format of the suffix:
        ``.png``/``.tif``/``.tiff`` (8 or 16 bits), ``.jpg``/``.jpeg`` (8 bits; ``quality``
        1–100), ``.bmp``, ``.webp`` (8 bits) — see :func:`camsim.io.write_image`.
        """
        if not isinstance(linear, (bool, np.bool_)):
            raise TypeError(f"`linear` must be True or False; got {linear!r}")
        return write_image(path, self.linear if linear else self.image, bit_depth=bit_depth, quality=quality)

    def __repr__(self) -> str:
        r = self.raw
        t = getattr(r, "exposure_time", None)
        exposure = f", exposure {t:.4g} s" if isinstance(t, (int, float)) else ""
        return (f"Capture(image {self.image.shape[0]}×{self.image.shape[1]}×{self.image.shape[2]} {self.image.dtype}, "
                f"raw {r.data.shape[0]}×{r.data.shape[1]}{exposure}, scene {self.scene.name!r} "
                f"{self.scene.rows}×{self.scene.cols} at {self.scene.fov:g}°, {self.scene.distance:g} m)")

    @cached_property
    def spectral_image(self) -> OpticalImage:
        """
        The spectral :class:`camsim.OpticalImage` of this capture, photons/(s·m²·nm); lazy.

        :attr:`optical_image` itself after a reference-path capture. After a fast-path
        capture (which never forms the spectral cube) it is computed on first access,
        by ``optics.form_image(scene)`` with the capture's :attr:`pad` and
        :attr:`pad_value`, and kept: later accesses return the same object. It holds
        the whole ``(rows, cols, n_wave)`` float32 cube (e.g. 203 MB for a 1024² scene
        with 1/8 padding and 31 wavelengths).
        """
        if isinstance(self.optical_image, OpticalImage):
            return self.optical_image
        return self.optical_image.optics.form_image(self.scene, pad=self.pad, pad_value=self.pad_value,
                                                    fast_fft=self.fast_fft)

    def spectral_optical_image(self) -> OpticalImage:
        """The spectral optical image, :attr:`spectral_image` (computed once, on first use)."""
        return self.spectral_image


def _plain(x):
    """``x`` as JSON types: dataclasses → dicts (public fields, declared order), arrays → lists."""
    if dataclasses.is_dataclass(x) and not isinstance(x, type):
        return {f.name: _plain(getattr(x, f.name)) for f in dataclasses.fields(x) if not f.name.startswith("_")}
    if isinstance(x, np.ndarray):
        return _plain(x.tolist())
    if isinstance(x, (list, tuple)):
        return [_plain(v) for v in x]
    if isinstance(x, dict):
        return {str(k): _plain(v) for k, v in x.items()}
    if isinstance(x, (bool, np.bool_)):
        return bool(x)
    if isinstance(x, (int, np.integer)):
        return int(x)
    if isinstance(x, (float, np.floating)):
        return float(x)
    if x is None or isinstance(x, str):
        return x
    raise TypeError(f"cannot express {type(x).__name__} in a camera config")


def _sensor_from(sensor: Sensor, pixel_pitch, exposure_time, noise) -> Sensor:
    """``sensor`` with the Camera's shortcut arguments applied (None: unchanged)."""
    if pixel_pitch is not None:
        sensor = dataclasses.replace(sensor, pixel_pitch=pixel_pitch)
    if isinstance(exposure_time, str):
        if exposure_time != "auto":
            raise ValueError(f"`exposure_time` must be > 0 seconds or 'auto'; got {exposure_time!r}")
        sensor = dataclasses.replace(sensor, exposure_time=None)
    elif exposure_time is not None:
        sensor = dataclasses.replace(sensor, exposure_time=exposure_time)
    if noise is not None:
        sensor = dataclasses.replace(sensor, noise=Noise() if _check.flag("noise", noise) else Noise.off())
    return sensor


def _optics_from(base: Optics, fnumber, aperture_diameter, focal_length) -> Optics:
    given = {k: v for k, v in (("fnumber", fnumber), ("aperture_diameter", aperture_diameter),
                               ("focal_length", focal_length)) if v is not None}
    if not given:
        return base
    if len(given) == 1:
        # Keep the base focal length unless the focal length is what changes.
        if "focal_length" in given:
            given["fnumber"] = base.fnumber
        else:
            given["focal_length"] = base.focal_length
    return Optics(**given, transmittance=base.transmittance, relative_illumination=base.relative_illumination)


@dataclass(frozen=True, eq=False)
class Camera:
    """
    A camera: :class:`Optics` + :class:`Sensor` + :class:`ISP`.

    Parameters
    ----------
    optics, sensor, isp
        The stages (defaults: ISETCam's f/4, 3.8628 mm lens; 2.8 µm Bayer sensor sized
        to the scene; bilinear demosaic, ColorChecker-fitted colour matrix).
    exposure_bias
        Exposure relative to auto-exposure (or to the sensor's fixed exposure time),
        in stops: the exposure time is multiplied by 2**bias.
    seed
        Frame-noise seed used when :meth:`capture` gets none (None: fresh entropy).
    scene_light
        If set, scenes are relit with this illuminant (a :func:`camsim.spectra.illuminant`
        name) before capture, keeping their mean luminance — e.g. ``"A"`` for warm
        tungsten light that the processor does not correct.
    name
        Label.
    fast
        True (default): form the image on the scene's spectral basis, already
        projected onto the sensor channels (:func:`camsim._channel.form_channel_image`)
        for low-rank scenes (images, grey charts), and for full-cube scenes whose
        :meth:`camsim.Scene.low_rank` compression at ``rtol`` = :data:`FULL_CUBE_RTOL`
        has rank < n_wave / 2; other full cubes take the reference path. False: always
        the per-wavelength reference path (:meth:`camsim.Optics.form_image`, then the
        sensor's spectral projection; ``method='per_wavelength'``). Both give the same electrons to ~1e-6 relative
        (float32 rounding; plus the compression error for compressed full cubes).
    pad_value
        What the optics see beyond the scene's edges (:meth:`camsim.Optics.form_image`):
        ``'zero'`` (default, ISETCam's: the blur darkens a border band one PSF radius
        wide), ``'mean'``, ``'border'`` or ``'reflect'`` (the scene mirrored: no
        darkened frame, for training data).
    pad
        Padding around the scene (:meth:`camsim.Optics.form_image`): a fraction of the
        scene size on each side (default 1/8, ISETCam's), or ``'psf'`` (the radius that
        holds all but 1e-4 of the polychromatic PSF energy).
    fast_fft
        True (default): each pad grows by the samples that make the padded size a
        fast FFT length (1.6 % more on average) (:meth:`camsim.Optics.form_image` ``fast_fft``): more padding,
        so never less accurate, and several times faster FFTs for sizes with a large
        prime factor (a 500×375 image: 626 = 2·313 columns → 630). False: ISETCam's grid
        exactly (the ``isetcam`` preset).
    fnumber, aperture_diameter, focal_length
        Shortcuts (dimensionless, m, m) replacing those of ``optics``; give any two, or
        one (the focal length, or else the f-number, of ``optics`` is kept).
    pixel_pitch
        Shortcut for ``sensor.pixel_pitch`` (m).
    exposure_time
        Shortcut for ``sensor.exposure_time``: seconds, or ``"auto"``.
    noise
        Shortcut: False switches every sensor noise term off.
    """

    optics: Optics = field(default_factory=Optics)
    sensor: Sensor = field(default_factory=Sensor)
    isp: ISP = field(default_factory=ISP)
    exposure_bias: float = 0.0
    seed: int | None = None
    scene_light: str | None = None
    name: str = "camera"
    fast: bool = True
    pad_value: str = "zero"
    pad: float | str = 0.125
    fast_fft: bool = True
    fnumber: InitVar[float | None] = None
    aperture_diameter: InitVar[float | None] = None
    focal_length: InitVar[float | None] = None
    pixel_pitch: InitVar[float | None] = None
    exposure_time: InitVar[float | str | None] = None
    noise: InitVar[bool | None] = None

    def __post_init__(self, fnumber, aperture_diameter, focal_length, pixel_pitch, exposure_time, noise):
        for nm, v, cls in (("optics", self.optics, Optics), ("sensor", self.sensor, Sensor), ("isp", self.isp, ISP)):
            _check.instance(nm, v, cls, f"camsim.{cls.__name__}")
        put = partial(object.__setattr__, self)
        put("optics", _optics_from(self.optics, fnumber, aperture_diameter, focal_length))
        put("sensor", _sensor_from(self.sensor, pixel_pitch, exposure_time, noise))
        put("exposure_bias", _check.number("exposure_bias", self.exposure_bias, "stops", low=-20, high=20))
        put("fast", _check.flag("fast", self.fast))
        _check.one_of("pad_value", self.pad_value, PAD_VALUES)
        put("pad", check_pad(self.pad))
        put("fast_fft", _check.flag("fast_fft", self.fast_fft))
        if self.seed is not None:
            _check.seed("seed", self.seed)
        if self.scene_light is not None:
            _check.illuminant_name("scene_light", self.scene_light)

    # ------------------------------------------------------------------ constructors
    @classmethod
    def preset(cls, name: str, **changes) -> "Camera":
        """One of the study's camera settings, or ``"isetcam"`` (see :mod:`camsim.presets`), optionally changed."""
        if name == "isetcam":
            cam = _isetcam_camera()
        elif name in STUDY_PRESETS:
            cam = _study_camera(name, **STUDY_PRESETS[name])
        else:
            raise ValueError(f"`name` must be one of {list(STUDY_PRESETS) + ['isetcam']}; got {name!r}")
        return cam.replace(**changes) if changes else cam

    def replace(self, **changes) -> "Camera":
        """A copy with some fields or shortcuts changed (``camera.replace(fnumber=8)``)."""
        fields = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        fields.update(changes)
        return Camera(**fields)

    def config(self) -> dict:
        """
        Everything that determines a capture, as a plain JSON-serialisable dict with a
        stable key order (for cache keys): optics, sensor (QE table, CFA, noise
        switches and parameters, exposure), ISP, exposure bias, scene light, seed, fast
        path, pad value, pad, the default display that turns images into scenes, and the
        camsim version. ``name`` is a label and is left out; so is ``pad`` at its
        default 1/8, so that the configs (and cache keys) made before it existed stay
        the same.
        """
        from . import __version__
        from .display import Display

        out = {"camsim_version": __version__}
        for f in dataclasses.fields(self):
            if f.name != "name" and not (f.name == "pad" and self.pad == 0.125):
                out[f.name] = _plain(getattr(self, f.name))
        out["display"] = _plain(Display.default(self.sensor.wave))
        return out

    # ------------------------------------------------------------------ capture
    def scene_from(self, x: Scene | ArrayLike | str | os.PathLike, *, fov: float | None = None,
                   distance: float | None = None, mean_luminance: float | None = None,
                   display=None) -> Scene:
        """
        The scene this camera would capture from ``x`` (Scene, image array or path);
        images are shown on ``display`` (a :class:`camsim.Display` or name; default
        ISETCam's LCD-Apple, :meth:`camsim.Scene.from_image`).
        """
        if isinstance(x, Scene):
            scene = x
            if fov is not None or distance is not None:
                scene = dataclasses.replace(scene, fov=scene.fov if fov is None else fov,
                                            distance=scene.distance if distance is None else distance)
            if mean_luminance is not None:
                scene = scene.with_mean_luminance(mean_luminance)
        else:
            scene = Scene.from_image(x, fov=10.0 if fov is None else fov, distance=1.2 if distance is None else distance,
                                     mean_luminance=mean_luminance, wave=self.sensor.wave, display=display)
        if self.scene_light is not None:
            scene = scene.with_illuminant(self.scene_light)
        return scene

    def exposure_for(self, optical_image: OpticalImage | ChannelImage) -> float:
        """Exposure time in s: the sensor's (or auto-exposure's) times 2**exposure_bias."""
        return self._exposure_from_rate(self.sensor.electron_rate(optical_image))

    def _exposure_from_rate(self, rate: NDArray[np.float64]) -> float:
        """Exposure time in s for a noise-free electron rate (e⁻/s per pixel) already computed."""
        t = self.sensor.exposure_time
        if t is None:
            t = self.sensor.auto_exposure_for_rate(rate)
        return t * 2.0 ** self.exposure_bias

    def form_image(self, scene: Scene) -> OpticalImage | ChannelImage:
        """
        The image this camera forms of ``scene`` on its sensor plane.

        Parameters
        ----------
        scene
            :class:`camsim.Scene`, radiance in photons/(s·sr·m²·nm).

        Returns
        -------
        ChannelImage or OpticalImage
            On the fast path (``fast=True`` and a low-rank scene, or a full cube that
            :meth:`camsim.Scene.low_rank` at :data:`FULL_CUBE_RTOL` brings below rank
            n_wave / 2) a :class:`camsim._channel.ChannelImage` in e⁻/(s·m²) per
            sensor channel; otherwise the spectral :class:`camsim.OpticalImage`,
            photons/(s·m²·nm). Either is what :meth:`camsim.Sensor.electron_rate` takes.
        """
        if self.fast:
            fast_scene = scene
            if not scene.is_low_rank:
                fast_scene = scene.low_rank(FULL_CUBE_RTOL)
                if not fast_scene.rank < scene.n_wave / 2:
                    fast_scene = None
            if fast_scene is not None:
                return _channel.form_channel_image(self.optics, fast_scene, self.sensor.qe_on(scene.wave),
                                                   pad=self.pad, pad_value=self.pad_value, fast_fft=self.fast_fft)
        return self.optics.form_image(scene, pad=self.pad, pad_value=self.pad_value, method="per_wavelength",
                                      fast_fft=self.fast_fft)

    def capture(self, x: Scene | ArrayLike | str | os.PathLike, *, fov: float | None = None,
                distance: float | None = None, mean_luminance: float | None = None,
                seed: int | None = None, display=None) -> Capture:
        """
        Capture a scene, an image array or an image file.

        Parameters
        ----------
        x
            :class:`camsim.Scene`, an RGB/grey image array (uint8, uint16 or float in
            [0, 1]) or a path to an image file; images become scenes through
            ``display`` (:meth:`camsim.Scene.from_image`).
        fov
            Horizontal field of view in degrees (default: the scene's, or 10° for images).
        distance
            Scene distance in m (default: the scene's, or 1.2 m for images).
        mean_luminance
            Rescale the scene to this mean luminance, cd/m² (default: unchanged).
        seed
            Frame-noise seed (default: the camera's ``seed``).
        display
            For image input: a :class:`camsim.Display` or a name (``"lcd-apple"``,
            ``"srgb"``, ``"apple-studio"``); default ISETCam's LCD-Apple.

        Notes
        -----
        The sensor's electron rate is computed once and gives both the auto-exposure
        time and the exposure (:meth:`camsim.Sensor.expose_rate`).
        """
        scene = self.scene_from(x, fov=fov, distance=distance, mean_luminance=mean_luminance, display=display)
        oi = self.form_image(scene)
        rate = self.sensor.electron_rate(oi)
        t = self._exposure_from_rate(rate)
        s = self.sensor
        if s.noise.dark_current and s.dark_current * t >= s.full_well:
            raise ValueError(f"`exposure_time` ({t:.4g} s) is so long that dark current alone "
                             f"({s.dark_current:g} e⁻/s) fills the {s.full_well:g} e⁻ well (after "
                             f"{s.full_well / s.dark_current:.4g} s); it must be shorter")
        raw = s.expose_rate(rate, exposure_time=t, seed=self.seed if seed is None else seed)
        light = None
        if scene.illuminant is not None:
            light = scene.illuminant
            if not np.array_equal(scene.wave, self.sensor.wave):
                from . import spectra

                light = spectra.resample(light, scene.wave, self.sensor.wave, fill=0.0)
            if not np.any(light > 0):
                light = None
        rendering = self.isp.render(raw, scene_light=light)
        return Capture(rendering.image, rendering.linear, raw, oi, scene, rendering, pad=self.pad,
                       pad_value=self.pad_value, fast_fft=self.fast_fft)

    def __repr__(self) -> str:
        o, s = self.optics, self.sensor
        t = "auto" if s.exposure_time is None else f"{s.exposure_time:.4g} s"
        bias = f"{self.exposure_bias:+g} EV" if self.exposure_bias else "±0 EV"
        light = f", scene light {self.scene_light}" if self.scene_light else ""
        path = "" if self.fast else ", reference path"
        path += "" if self.pad_value == "zero" else f", pad {self.pad_value}"
        path += "" if self.pad == 0.125 else f", pad size {self.pad}"
        path += "" if self.fast_fft else ", exact FFT grid"
        return (f"Camera({self.name!r}: f/{o.fnumber:g}, f={o.focal_length * 1e3:.4g} mm, "
                f"D={o.aperture_diameter * 1e3:.4g} mm, pixel {s.pixel_pitch * 1e6:g} µm, exposure {t} {bias}{light}, "
                f"white balance {self.isp.white_balance}{path})")


# ----------------------------------------------------------------------------- presets
# The study's cameras as Camera arguments; camsim.presets lists and describes them.

COLOR_UNDEREXPOSURE_STOPS = 2.0  # the `color` preset's exposure: 2 stops below auto-exposure

STUDY_PRESETS: dict[str, dict] = {
    "color": dict(fnumber=4.0, aperture_diameter=1e-3, pixel_pitch=1e-6,
                  exposure_bias=-COLOR_UNDEREXPOSURE_STOPS, scene_light="A"),
    "pixel": dict(fnumber=4.0, aperture_diameter=1e-3, pixel_pitch=25e-6, exposure_bias=0.0, scene_light=None),
    "deblur": dict(fnumber=22.0, aperture_diameter=0.176e-3, pixel_pitch=1e-6, exposure_bias=0.0, scene_light=None),
}


def _study_camera(name: str, *, fnumber, aperture_diameter, pixel_pitch, exposure_bias, scene_light) -> Camera:
    # `color` is defined as D65-calibrated (fit_scene_light off): its tungsten cast is the D65 matrix's.
    isp = ISP(white_balance="none", fit_scene_light=scene_light is None)
    return Camera(fnumber=fnumber, aperture_diameter=aperture_diameter, pixel_pitch=pixel_pitch,
                  exposure_bias=exposure_bias, scene_light=scene_light, isp=isp, name=name)


def _isetcam_camera() -> Camera:
    """ISETCam's default camera; the table of its settings is :func:`camsim.presets.isetcam`."""
    wave = spectra.DEFAULT_WAVE
    sensor = Sensor(pixel_pitch=2.8e-6, fill_factor=0.75, size_rule="isetcam", cfa="grbg",
                    qe=spectra.isetcam_color_filters(wave), wave=wave, conversion_gain=1e-4, voltage_swing=1.0,
                    dark_current=10.0, read_noise=10.0, noise=Noise(), auto_exposure_level=0.95)
    isp = ISP(demosaic="bilinear", white_balance="none", calibration_illuminant="D65", preserve_white=False,
              fit_scene_light=False, subtract_dark=False)
    return Camera(optics=Optics(), sensor=sensor, isp=isp, name="isetcam", fast_fft=False)
