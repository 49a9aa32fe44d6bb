"""
Optics — diffraction-limited, shift-invariant lens
==================================================

Defines :class:`Optics`: a thin, aberration-free lens with a circular pupil, described
by its f-number, focal length and aperture diameter, a lens transmittance and an
optional cos⁴ relative illumination. :meth:`Optics.form_image` turns a
:class:`camsim.Scene` (spectral radiance) into a :class:`camsim.OpticalImage`
(spectral irradiance on the focal plane), as ISETCam ``oiCompute`` with the default
diffraction-limited model (``opticsDLCompute``), one wavelength at a time — the
reference path. :meth:`Optics.form_channel_image` gives the same image already
projected onto a sensor's channels (a :class:`camsim.optical_image.ChannelImage`)
with one FFT per spectral basis function of the scene — the fast path. The array math
lives in :mod:`camsim._otf` and :mod:`camsim._kernels.spectral`.

References
----------
- [Goodman2017] Goodman, J. W. *Introduction to Fourier Optics*, 4th ed. (2017),
  §6.4 and §7.3 (incoherent imaging; OTF of a diffraction-limited circular pupil).
- [Born1999] Born, M. & Wolf, E. *Principles of Optics*, 7th ed. (1999), §8.5.2
  (Airy pattern, first dark ring at 1.22 λN; 83.8 % encircled energy).
- ISETCam ``opticsCreate``, ``opticsGet``, ``oiCompute``, ``opticsDLCompute``,
  ``oiCalculateIrradiance``, ``opticsCos4th``, ``oiPadValue``, ``oiApplyOTF``,
  ``dlMTF``, ``dlCore``, ``airyDisk``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

import scipy.fft as sfft

from . import _otf
from . import _validate as _check
from .threads import fft_workers
from ._kernels import spectral as _spectral
from .optical_image import ChannelImage, OpticalImage
from .scene import Scene
from .units import check_wave, wave_bin_width

__all__ = ["Optics", "DEFAULT_FNUMBER", "DEFAULT_FOCAL_LENGTH"]

DEFAULT_FNUMBER: float = 4.0  # ISETCam opticsCreate('default')
# ISETCam's "1/4-inch" lens: diag / tan(46°) with a 4 mm diagonal (not the textbook
# diag / (2·tan(FOV/2))); reproduces the 3.8628 mm that ISETCam validations encode.
DEFAULT_FOCAL_LENGTH: float = 0.004 / math.tan(math.radians(46.0))  # m

_TRIPLET_RTOL = 1e-9  # allowed relative mismatch of fnumber vs focal_length / aperture_diameter
PAD_VALUES = ("zero", "mean", "border", "reflect")


def _check_transmittance(value) -> float | tuple[tuple[float, ...], tuple[float, ...]]:
    """A float in (0, 1], or a ``(wave_nm, values)`` pair → tuple of two float tuples."""
    allowed = "a number in (0, 1] or a pair (wave in nm, values in (0, 1])"
    if isinstance(value, (bool, np.bool_)):
        raise ValueError(f"`transmittance` must be {allowed}; got {value!r}")
    if isinstance(value, (int, float, np.number)) or (isinstance(value, np.ndarray) and value.ndim == 0):
        try:
            t = float(value)
        except (TypeError, ValueError):
            raise ValueError(f"`transmittance` must be {allowed}; got {value!r}") from None
        if not (math.isfinite(t) and 0.0 < t <= 1.0):
            raise ValueError(f"`transmittance` must be {allowed}; got {value!r}")
        return t
    try:
        wave, vals = value
        w = np.asarray(wave, dtype=np.float64).reshape(-1)
        t = np.asarray(vals, dtype=np.float64).reshape(-1)
    except (TypeError, ValueError):
        raise ValueError(f"`transmittance` must be {allowed}; got {value!r}") from None
    if w.size == 0 or w.size != t.size:
        raise ValueError(f"`transmittance` wave and values must be non-empty and the same length; "
                         f"got {w.size} and {t.size}")
    try:
        check_wave(w, "transmittance wave")
    except ValueError as exc:
        raise ValueError(f"`transmittance`: {exc}") from None
    if not (np.all(np.isfinite(t)) and np.all(t > 0.0) and np.all(t <= 1.0)):
        raise ValueError(f"`transmittance` values must lie in (0, 1]; got range [{t.min():g}, {t.max():g}]")
    return tuple(w.tolist()), tuple(t.tolist())


@dataclass(frozen=True)
class Optics:
    """
    Diffraction-limited thin lens with a circular pupil (ISETCam ``opticsCreate``).

    Any two of ``fnumber``, ``focal_length`` and ``aperture_diameter`` determine the
    third (N = f / D); all three may be given if they agree to 1e-9 relative. With
    fewer than two, the ISETCam defaults fill in: f-number 4 and focal length
    ``0.004 / tan(46°)`` = 3.862755 mm (so D = 0.965689 mm). If only ``fnumber`` is
    given the focal length defaults; if only ``focal_length`` or only
    ``aperture_diameter`` is given the f-number defaults to 4.

    Parameters
    ----------
    fnumber
        f-number N = f / D (dimensionless), > 0.
    focal_length
        Focal length f in m, > 0.
    aperture_diameter
        Entrance-pupil diameter D in m, > 0.
    transmittance
        Lens transmittance (dimensionless): a number in (0, 1], or a pair
        ``(wave_nm, values)`` with values in (0, 1], interpolated linearly in
        wavelength and held constant beyond its ends. Stored as a float or as a
        pair of float tuples (so :class:`Optics` stays hashable).
    relative_illumination
        Apply cos⁴ off-axis fall-off in :meth:`form_image` (ISETCam 'cos4th').

    Examples
    --------
    >>> Optics(fnumber=22, aperture_diameter=0.176e-3).focal_length  # doctest: +ELLIPSIS
    0.003872...
    >>> round(Optics().focal_length * 1e3, 6), round(Optics().aperture_diameter * 1e3, 6)
    (3.862755, 0.965689)
    """

    fnumber: float | None = None
    focal_length: float | None = None
    aperture_diameter: float | None = None
    transmittance: float | tuple = 1.0
    relative_illumination: bool = True

    def __post_init__(self):
        n, f, d = self.fnumber, self.focal_length, self.aperture_diameter
        n = None if n is None else _check.positive("fnumber", n, "(dimensionless)")
        f = None if f is None else _check.positive("focal_length", f, "m")
        d = None if d is None else _check.positive("aperture_diameter", d, "m")
        if n is not None and f is not None and d is not None:
            rel = abs(f / d - n) / n
            if rel > _TRIPLET_RTOL:
                raise ValueError(
                    f"`fnumber`, `focal_length` and `aperture_diameter` are inconsistent: "
                    f"focal_length / aperture_diameter = {f / d!r} but fnumber = {n!r} "
                    f"(relative difference {rel:.3g} > {_TRIPLET_RTOL:g}); give any two of them")
        elif n is not None and f is not None:
            d = f / n
        elif n is not None and d is not None:
            f = n * d
        elif f is not None and d is not None:
            n = f / d
        elif n is not None:  # only the f-number
            f = DEFAULT_FOCAL_LENGTH
            d = f / n
        elif f is not None:  # only the focal length
            n = DEFAULT_FNUMBER
            d = f / n
        elif d is not None:  # only the aperture
            n = DEFAULT_FNUMBER
            f = n * d
        else:
            n, f = DEFAULT_FNUMBER, DEFAULT_FOCAL_LENGTH
            d = f / n
        object.__setattr__(self, "fnumber", float(n))
        object.__setattr__(self, "focal_length", float(f))
        object.__setattr__(self, "aperture_diameter", float(d))
        object.__setattr__(self, "transmittance", _check_transmittance(self.transmittance))
        if not isinstance(self.relative_illumination, (bool, np.bool_)):
            raise ValueError(f"`relative_illumination` must be True or False; got {self.relative_illumination!r}")
        object.__setattr__(self, "relative_illumination", bool(self.relative_illumination))

    # -- lens properties --------------------------------------------------------------------
    def transmittance_at(self, wave: ArrayLike) -> NDArray[np.float64]:
        """
        Lens transmittance on a wavelength grid.

        Parameters
        ----------
        wave
            Wavelengths in nm, ``(n_wave,)``.

        Returns
        -------
        numpy.ndarray
            Transmittance in (0, 1], float64 ``(n_wave,)``.
        """
        w = check_wave(wave)
        if isinstance(self.transmittance, float):
            return np.full(w.size, self.transmittance)
        tw, tv = self.transmittance
        return np.interp(w, np.asarray(tw), np.asarray(tv))  # holds the end values outside

    def cutoff_frequency(self, wave: ArrayLike) -> NDArray[np.float64]:
        """
        Incoherent diffraction cut-off 1/(λN).

        Parameters
        ----------
        wave
            Wavelength(s) in nm, any shape.

        Returns
        -------
        numpy.ndarray
            Cut-off frequency in cycles/mm, shape of ``wave`` (a NumPy scalar for scalar input).
            454.545 cycles/mm at 550 nm, f/4.
        """
        w = self._wave_any_shape(wave)
        return _otf.cutoff_frequency(w, self.fnumber)[()]

    def airy_radius(self, wave: ArrayLike) -> NDArray[np.float64]:
        """
        Radius of the first dark ring of the Airy pattern, 1.22·λ·N.

        Parameters
        ----------
        wave
            Wavelength(s) in nm, any shape.

        Returns
        -------
        numpy.ndarray
            Radius in m, shape of ``wave`` (a NumPy scalar for scalar input); 2.684 µm at
            550 nm, f/4. (1.22 is ISETCam's rounding of the first zero of J₁ / π = 1.2197.)
        """
        w = self._wave_any_shape(wave)
        return (1.22 * w * 1e-9 * self.fnumber)[()]

    def otf(self, fx: ArrayLike, fy: ArrayLike, wave: ArrayLike) -> NDArray[np.float64]:
        """
        Diffraction-limited OTF of the circular pupil (real and non-negative, no phase).

        Parameters
        ----------
        fx, fy
            Focal-plane spatial frequencies in cycles/mm; broadcast against each other.
        wave
            Wavelength(s) in nm, ``(n_wave,)`` (a scalar counts as one wavelength).

        Returns
        -------
        numpy.ndarray
            float64, shape ``broadcast(fx, fy).shape + (n_wave,)``; 1 at DC and 0 at and
            beyond ``cutoff_frequency(wave)``.
        """
        fx, fy = np.broadcast_arrays(np.asarray(fx, dtype=np.float64), np.asarray(fy, dtype=np.float64))
        self._check_freq("fx", fx)
        self._check_freq("fy", fy)
        return _otf.dl_otf(np.hypot(fx, fy), check_wave(wave), self.fnumber)

    def mtf(self, freq: ArrayLike, wave: ArrayLike) -> NDArray[np.float64]:
        """
        Diffraction-limited MTF of an aberration-free circular pupil.

        Parameters
        ----------
        freq
            Image-plane spatial frequency in cycles/mm, ``(n_freq,)``.
        wave
            Wavelength in nm, ``(n_wave,)``.

        Returns
        -------
        numpy.ndarray
            Modulation in [0, 1], float64 ``(n_freq, n_wave)``;
            H = (2/π)(acos s − s√(1 − s²)) with s = freq·λ·N, exactly 0 for s >= 1.

        Examples
        --------
        >>> Optics(fnumber=4.0, focal_length=4e-3).mtf([0.0, 250.0], [550.0]).round(4).tolist()
        [[1.0], [0.3368]]
        """
        f = np.asarray(freq, dtype=np.float64).reshape(-1)
        self._check_freq("freq", f)
        return _otf.dl_mtf(f, check_wave(wave), self.fnumber)

    def psf(self, wave: ArrayLike, spacing: float, size: int) -> NDArray[np.float64]:
        """
        Diffraction-limited point-spread function sampled on a square grid.

        Parameters
        ----------
        wave
            Wavelength(s) in nm, ``(n_wave,)`` (a scalar counts as one wavelength).
        spacing
            Sample spacing on the focal plane, m.
        size
            Samples per side (>= 1).

        Returns
        -------
        numpy.ndarray
            float64 ``(size, size, n_wave)``; each plane sums to 1 and is centred at
            index ``(size // 2, size // 2)``.

        Notes
        -----
        Computed from the OTF, not from the Airy formula: the inverse DFT of the OTF
        summed over all its aliases (replicas shifted by multiples of 1/spacing). That is
        the same as evaluating on a grid oversampled until the OTF's support fits below
        its Nyquist frequency and keeping every k-th sample, so a coarse ``spacing``
        gives the true PSF values at the sample points rather than a band-limited,
        ringing version. The one approximation left is wrap-around: tails beyond the
        ``size·spacing`` window fold back in (the Airy tail falls as r⁻³).

        :meth:`form_image` differs on purpose for coarse sampling: it treats the sampled
        scene as band-limited and multiplies its spectrum by the OTF only inside the
        grid's Nyquist band (as ISETCam).
        """
        w = check_wave(wave)
        dx = _check.positive("spacing", spacing, "m")
        if isinstance(size, (bool, np.bool_)) or not isinstance(size, (int, np.integer)) or size < 1:
            raise ValueError(f"`size` must be an integer >= 1 (samples); got {size!r}")
        return _otf.psf_from_otf(w, self.fnumber, dx, int(size))

    # -- thin-lens geometry -------------------------------------------------------------------
    def image_distance(self, scene_distance: float = math.inf) -> float:
        """
        Lens-to-image distance of a thin lens, 1/d = 1/f − 1/s.

        Parameters
        ----------
        scene_distance
            Object distance s in m, > ``focal_length`` (``inf`` gives d = f).

        Returns
        -------
        float
            Image distance d in m.
        """
        s = self._check_scene_distance(scene_distance)
        if math.isinf(s):
            return self.focal_length
        return 1.0 / (1.0 / self.focal_length - 1.0 / s)

    def magnification(self, scene_distance: float = math.inf) -> float:
        """
        Lateral magnification m = −d/s (negative: the image is inverted).

        Parameters
        ----------
        scene_distance
            Object distance s in m, > ``focal_length`` (``inf`` gives 0).

        Returns
        -------
        float
            Magnification (dimensionless); −3.2294e-3 for the default lens at 1.2 m.
        """
        s = self._check_scene_distance(scene_distance)
        if math.isinf(s):
            return -0.0
        return -self.image_distance(s) / s

    def irradiance_factor(self, scene_distance: float = math.inf, wave: ArrayLike = 550.0) -> NDArray[np.float64]:
        """
        Ratio of on-axis focal-plane irradiance to scene radiance, π·T/(1 + 4N²(1 + ``|m|``)²).

        Parameters
        ----------
        scene_distance
            Object distance in m, > ``focal_length``.
        wave
            Wavelength(s) in nm at which the lens transmittance T is taken, any shape.

        Returns
        -------
        numpy.ndarray
            Factor in sr (irradiance per unit radiance), shape of ``wave`` (a NumPy scalar
            for scalar input). 0.0480263 for the default lens, T = 1, at 1.2 m.

        Notes
        -----
        ISETCam's form (``oiCalculateIrradiance``); its large-N limit is the paraxial
        π·T/(4N²(1 + ``|m|``)²).
        """
        m = self.magnification(scene_distance)
        w = self._wave_any_shape(wave)
        t = self.transmittance_at(w.reshape(-1)).reshape(w.shape)
        return (np.pi * t / (1.0 + 4.0 * self.fnumber ** 2 * (1.0 + abs(m)) ** 2))[()]

    # -- image formation ----------------------------------------------------------------------
    def form_image(self, scene: Scene, *, pad: float = 0.125, pad_value: str = "zero", crop: bool = False,
                   workers: int | None = None, wave_chunk: int = 8) -> OpticalImage:
        """
        Optical image (focal-plane spectral irradiance) of a scene (ISETCam ``oiCompute``
        with the diffraction-limited model, ``opticsDLCompute``).

        Parameters
        ----------
        scene
            :class:`camsim.Scene`, radiance in photons/(s·sr·m²·nm).
        pad
            Padding added on each side, as a fraction of the scene size (>= 0): ``round``
            (half away from zero, as MATLAB) of ``rows·pad`` and ``cols·pad`` samples.
            The default 1/8 is ISETCam's (64×96 → 80×120).
        pad_value
            Irradiance in the padding, per wavelength: ``'zero'`` (default), ``'mean'``
            (mean over the scene area), ``'border'`` (the value of scene-area sample
            (0, 0), as ISETCam's pixel (1,1)) or ``'reflect'`` (the scene mirrored about
            its edges, which continues it: no dark or flat frame blurred into the border;
            not an ISETCam option). Taken after relative illumination.
        crop
            Crop the result back to the scene area (the returned ``pad`` is then (0, 0)).
        workers
            Threads for the FFTs (default :func:`camsim.threads.fft_workers`: the
            :func:`camsim.set_threads` value, else ``os.cpu_count()``; one for an FFT
            below :data:`camsim.threads.PARALLEL_MIN_NS` of work).
        wave_chunk
            Wavelengths processed together (>= 1); peak working memory is about four
            padded planes per wavelength in a chunk on top of the output.

        Returns
        -------
        OpticalImage
            float32 irradiance in photons/(s·m²·nm), ``(rows + 2·pad_r, cols + 2·pad_c,
            n_wave)``, with the scene's wavelengths and name, ``image_distance`` d_i,
            and ``pad = (pad_r, pad_c)``.

        Notes
        -----
        Order of operations, per wavelength:

        1. Geometry (thin lens): d_i = 1/(1/f − 1/s) for scene distance s,
           m = −d_i/s, focal-plane sample spacing Δ = 2·d_i·tan(fov/2)/cols (= ``|m|`` times
           the scene-plane spacing). **Deliberate difference from ISETCam**, which
           sizes the image with the focal length but pads with the image distance (a
           0.3 % inconsistency at 1.2 m): the image distance is used throughout — that
           is where a scene at distance s is in focus — and padding never changes Δ.
        2. Irradiance E = π·T(λ)·L / (1 + 4N²(1 + ``|m|``)²).
        3. Relative illumination (if enabled): E ·= (d_i/√(d_i² + x² + y²))⁴ on the
           scene area, (x, y) the sample centres (k + 0.5 − n/2)·Δ. cos⁴ is used at
           every field angle; ISETCam switches to Catrysse's large-field formula when
           d_i < 10× the image diagonal, which this does not reproduce.
        4. Padding with ``pad_value``.
        5. Blur: multiply the real FFT (``scipy.fft.rfft2``) by the diffraction-limited
           OTF at the grid frequencies (``fftfreq``/``rfftfreq`` of Δ, cycles/mm) and
           invert. The FFT is circular: padding is what keeps light from wrapping
           across the edges. The cut-off uses the f-number, 1/(λN), as ISETCam
           (the image-side cut-off at finite distance would be 1/(λN(1 + ``|m|``))). The OTF is
           real and even, so the result is real; where float32 rounding leaves
           negative values — all of a plane's negatives within 1e-5 of its maximum —
           they are set to 0 (a plane with deeper, genuine ringing lobes is left as
           computed; :func:`camsim._otf.clip_rounding_negatives`). The kept ringing
           of a scene that is not band-limited is not tiny: measured on
           ``charts.point_array()``, the most negative irradiance is −0.73 % of the
           plane's peak at f/4 (f = 3.86 mm, 700 nm; −0.53 % at 550 nm) and −1.05 %
           at f/22 (400 nm). ISETCam takes the magnitude instead, which adds that
           much light; the sensor clamps its photon rate at 0.

        Work is float32/complex64 and ``wave_chunk`` wavelengths at a time. A low-rank
        scene is materialised one chunk at a time (coefficients @ basis[:, chunk]).
        """
        pad_f, workers, wave_chunk = _check_form_args(scene, pad, pad_value, crop, workers, wave_chunk)
        rows, cols, n_wave = scene.shape
        d_i, spacing, pr, pc = self._focal_grid(scene, pad_f)
        gain = self.irradiance_factor(scene.distance, scene.wave).astype(np.float32)  # (n_wave,)
        ri = _otf.cos4((rows, cols), spacing, d_i) if self.relative_illumination else None
        big_r, big_c = rows + 2 * pr, cols + 2 * pc
        rho = _otf.fft_radial_frequency((big_r, big_c), spacing)  # cycles/mm, rfft layout

        out_shape = (rows, cols, n_wave) if crop else (big_r, big_c, n_wave)
        out = np.empty(out_shape, dtype=np.float32)
        coef = scene.coefficients.reshape(rows * cols, scene.rank)
        for start in range(0, n_wave, int(wave_chunk)):
            sl = slice(start, min(start + int(wave_chunk), n_wave))
            k = sl.stop - sl.start
            # Radiance of this chunk, (k, rows, cols), wavelength-first so each plane is contiguous.
            if scene.basis is None:
                rad = scene.coefficients[:, :, sl].transpose(2, 0, 1).copy()  # a copy: scaled in place below
            else:
                rad = (scene.basis[:, sl].T @ coef.T).reshape(k, rows, cols)
            rad *= gain[sl, None, None]
            planes = _padded_planes(rad.transpose(1, 2, 0), ri, pad_value, pr, pc)
            del rad
            blurred = _otf.apply_otf(planes, _otf.otf_grid(rho, scene.wave[sl], self.fnumber),
                                     workers=workers or fft_workers(planes.size))
            if crop:
                blurred = blurred[:, pr:pr + rows, pc:pc + cols]
            out[:, :, sl] = blurred.transpose(1, 2, 0)
            del planes, blurred

        return OpticalImage(
            irradiance=out,
            wave=scene.wave,
            sample_spacing=spacing,
            optics=self,
            image_distance=d_i,
            pad=(0, 0) if crop else (pr, pc),
            name=scene.name,
        )

    def form_channel_image(self, scene: Scene, qe: ArrayLike, *, pad: float = 0.125, pad_value: str = "zero",
                           crop: bool = False, workers: int | None = None, wave_chunk: int = 8) -> ChannelImage:
        """
        Focal-plane image already projected onto sensor channels, without the spectral cube.

        The same result as :meth:`form_image` followed by the projection
        ``Δλ·Σ_λ E(x, λ)·qe_c(λ)`` that :meth:`camsim.Sensor.electron_rate` applies,
        computed with one FFT per spectral basis function instead of two per wavelength
        (ISETCam ``opticsDLCompute``, reorganised; see Notes).

        Parameters
        ----------
        scene
            :class:`camsim.Scene`, radiance in photons/(s·sr·m²·nm); low rank (a
            ``basis``) or a full cube.
        qe
            Quantum efficiency on ``scene.wave``, e⁻/photon, ``(n_wave, n_ch)`` (or
            ``(n_wave,)`` for one channel) — e.g. ``sensor.qe_on(scene.wave)``.
        pad, pad_value, crop, workers
            As in :meth:`form_image` (same pad sizes and values, same cos⁴, same grid).
        wave_chunk
            Full-cube scenes only: wavelengths transformed together (>= 1).

        Returns
        -------
        ChannelImage
            ``signal`` float32 ``(rows + 2·pad_r, cols + 2·pad_c, n_ch)`` in e⁻/(s·m²)
            (a view of channels-first planes), with ``qe``, ``wave``, spacing, image
            distance, pad and name as :meth:`form_image` would give.

        Notes
        -----
        Everything between radiance and electron rate is linear. With the radiance
        ``L(x, λ) = Σ_k c_k(x)·P_k(λ)`` and the irradiance factor g(λ) (lens
        transmittance included, :meth:`irradiance_factor`), channel c is

            S_c = IFFT( Σ_k G_{c,k} · FFT(pad(RI·c_k)) ),
            G_{c,k}(f) = Σ_λ qe_c(λ)·Δλ·g(λ)·P_k(λ)·H_λ(f),

        with RI the cos⁴ map and H_λ the diffraction-limited OTF of :meth:`form_image`.
        Padding is linear too: the ``'mean'`` and ``'border'`` values of each
        wavelength plane are those of the coefficient planes c_k·RI combined with the
        same weights, so each coefficient plane is padded with its own mean or
        border value. Cost: r forward real FFTs, ``n_ch·r`` multiply-adds per frequency
        bin, ``n_ch`` inverse FFTs (form_image: 2·n_wave FFTs). The effective OTFs G
        are evaluated exactly in float64, stored in float32 and cached
        (:func:`camsim._otf.effective_otf`), so same-size images through one camera
        reuse them; the spectra are complex64.

        A full cube (``basis=None``) is handled as the identity basis, ``wave_chunk``
        wavelengths at a time: ``n_wave`` forward and ``n_ch`` inverse FFTs, exact.
        :meth:`camsim.Scene.low_rank` compresses it first when fewer basis functions
        suffice. Negative float32 rounding values of a channel plane are set to 0 by
        the rule of :meth:`form_image`. Sizes are those of :meth:`form_image` (no
        enlargement to fast FFT lengths).

        References
        ----------
        - [Goodman2017] §7.3; ISETCam ``opticsDLCompute``, ``oiApplyOTF``.
        """
        pad_f, workers, wave_chunk = _check_form_args(scene, pad, pad_value, crop, workers, wave_chunk)
        rows, cols, n_wave = scene.shape
        q = _check_channel_qe(qe, n_wave)
        n_ch = q.shape[1]
        d_i, spacing, pr, pc = self._focal_grid(scene, pad_f)
        big = (rows + 2 * pr, cols + 2 * pc)
        ri = _otf.cos4((rows, cols), spacing, d_i) if self.relative_illumination else None
        # e⁻/photon · nm · sr per unit radiance: channel weight of each wavelength, (n_ch, n_wave).
        w = q.T * (wave_bin_width(scene.wave) * self.irradiance_factor(scene.distance, scene.wave))

        if scene.basis is not None:
            weights = w[:, None, :] * scene.basis.astype(np.float64)[None, :, :]  # (n_ch, r, n_wave)
            groups = [(slice(0, scene.rank), weights, scene.wave)]
        else:
            groups = []
            for start in range(0, n_wave, wave_chunk):
                sl = slice(start, min(start + wave_chunk, n_wave))
                k = sl.stop - sl.start
                weights = np.zeros((n_ch, k, k))
                weights[:, np.arange(k), np.arange(k)] = w[:, sl]
                groups.append((sl, weights, scene.wave[sl]))

        out = None
        for sl, weights, wave in groups:
            planes = _padded_planes(scene.coefficients[:, :, sl], ri, pad_value, pr, pc)
            spec = sfft.rfft2(planes, axes=(-2, -1), workers=workers or fft_workers(planes.size), overwrite_x=True)
            del planes
            g = _otf.effective_otf(big, spacing, wave, self.fnumber, weights)
            if len(groups) == 1 and n_ch <= spec.shape[0]:
                out = spec[:n_ch]  # combined in place, bin by bin
                _spectral.combine_spectra(spec, g, out, False)
            else:
                if out is None:
                    out = np.empty((n_ch,) + spec.shape[1:], dtype=np.complex64)
                _spectral.combine_spectra(spec, g, out, sl.start > 0)
            del spec
        signal = sfft.irfft2(out, s=big, axes=(-2, -1), workers=workers or fft_workers(2 * out.size), overwrite_x=True)
        del out
        signal = signal.astype(np.float32, copy=False)
        _otf.clip_rounding_negatives(signal)
        if crop:
            signal = np.ascontiguousarray(signal[:, pr:pr + rows, pc:pc + cols])
        return ChannelImage(
            signal=signal.transpose(1, 2, 0),
            wave=scene.wave,
            qe=q,
            sample_spacing=spacing,
            optics=self,
            image_distance=d_i,
            pad=(0, 0) if crop else (pr, pc),
            name=scene.name,
        )

    # -- helpers --------------------------------------------------------------------------------
    def _focal_grid(self, scene: Scene, pad_f: float) -> tuple[float, float, int, int]:
        """Image distance d_i (m), focal-plane sample spacing (m) and pad (rows, cols) in samples."""
        d_i = self.image_distance(scene.distance)
        spacing = 2.0 * d_i * math.tan(math.radians(scene.fov) / 2.0) / scene.cols  # m
        return d_i, spacing, _round_half_up(scene.rows * pad_f), _round_half_up(scene.cols * pad_f)

    def _check_scene_distance(self, scene_distance) -> float:
        if isinstance(scene_distance, (bool, np.bool_)):
            raise ValueError(f"`scene_distance` must be > focal_length = {self.focal_length:g} m (or inf); "
                             f"got {scene_distance!r}")
        try:
            s = float(scene_distance)
        except (TypeError, ValueError):
            raise ValueError(f"`scene_distance` must be > focal_length = {self.focal_length:g} m (or inf); "
                             f"got {scene_distance!r}") from None
        if math.isnan(s) or s <= self.focal_length:
            raise ValueError(f"`scene_distance` must be > focal_length = {self.focal_length:g} m (or inf) "
                             f"for a real image; got {scene_distance!r}")
        return s

    @staticmethod
    def _wave_any_shape(wave: ArrayLike) -> NDArray[np.float64]:
        w = np.asarray(wave, dtype=np.float64)
        if w.size == 0 or not np.all(np.isfinite(w)) or np.any(w <= 0):
            raise ValueError(f"`wave` must hold finite wavelengths > 0 nm; got {wave!r}")
        return w

    @staticmethod
    def _check_freq(name: str, f: NDArray[np.float64]) -> None:
        if not np.all(np.isfinite(f)):
            raise ValueError(f"`{name}` must hold finite spatial frequencies in cycles/mm; got NaN or inf")


def _check_channel_qe(qe: ArrayLike, n_wave: int) -> NDArray[np.float64]:
    """QE ``(n_wave, n_ch)`` (or ``(n_wave,)``) on the scene's wavelengths: finite, >= 0 e⁻/photon."""
    q = np.array(qe, dtype=np.float64)
    if q.ndim == 1:
        q = q[:, None]
    if q.ndim != 2 or q.shape[0] != n_wave or q.shape[1] < 1:
        raise ValueError(f"`qe` must have shape (n_wave, n_ch) with n_wave = {n_wave} (the scene's "
                         f"wavelengths); got {np.shape(qe)}; use sensor.qe_on(scene.wave)")
    if not np.all(np.isfinite(q)) or np.any(q < 0):
        raise ValueError("`qe` must be finite and >= 0 e⁻/photon")
    return q


def _check_form_args(scene, pad, pad_value, crop, workers, wave_chunk) -> tuple[float, int | None, int]:
    """Validate the arguments shared by the image-forming methods → (pad fraction, workers or None, wave_chunk)."""
    if not isinstance(scene, Scene):
        raise ValueError(f"`scene` must be a camsim.Scene; got {type(scene).__name__}")
    if isinstance(pad, (bool, np.bool_)):
        raise ValueError(f"`pad` must be a finite number >= 0 (fraction of the scene size); got {pad!r}")
    try:
        pad_f = float(pad)
    except (TypeError, ValueError):
        raise ValueError(f"`pad` must be a finite number >= 0 (fraction of the scene size); got {pad!r}") from None
    if not (math.isfinite(pad_f) and pad_f >= 0):
        raise ValueError(f"`pad` must be a finite number >= 0 (fraction of the scene size); got {pad!r}")
    if pad_value not in PAD_VALUES:
        raise ValueError(f"`pad_value` must be one of {PAD_VALUES}; got {pad_value!r}")
    if not isinstance(crop, (bool, np.bool_)):
        raise ValueError(f"`crop` must be True or False; got {crop!r}")
    # workers None: chosen per FFT from its size (camsim.threads.fft_workers)
    if workers is not None and (isinstance(workers, (bool, np.bool_)) or not isinstance(workers, (int, np.integer))
                                or workers < 1):
        raise ValueError(f"`workers` must be an integer >= 1 or None; got {workers!r}")
    if isinstance(wave_chunk, (bool, np.bool_)) or not isinstance(wave_chunk, (int, np.integer)) or wave_chunk < 1:
        raise ValueError(f"`wave_chunk` must be an integer >= 1 (wavelengths); got {wave_chunk!r}")
    return pad_f, None if workers is None else int(workers), int(wave_chunk)


def _padded_planes(coef: NDArray[np.float32], ri: NDArray[np.float32] | None, pad_value: str,
                   pr: int, pc: int) -> NDArray[np.float32]:
    """
    Planes times the relative illumination, padded: float32 ``(k, rows + 2·pr, cols + 2·pc)``.

    ``coef`` is ``(rows, cols, k)`` (any strides): scene coefficient planes
    (:meth:`Optics.form_channel_image`) or irradiance planes (:meth:`Optics.form_image`).
    The pad value of each plane follows ``pad_value`` as in :meth:`Optics.form_image`
    ('mean': mean of the scene area in float64; 'border': sample (0, 0)), taken after
    the relative illumination.
    """
    rows, cols, k = coef.shape
    big_r, big_c = rows + 2 * pr, cols + 2 * pc
    planes = np.empty((k, big_r, big_c), dtype=np.float32)
    for i in range(k):
        centre = planes[i, pr:pr + rows, pc:pc + cols]
        if ri is None:
            centre[...] = coef[:, :, i]
        else:
            np.multiply(coef[:, :, i], ri, out=centre)
        if (pr or pc) and pad_value == "reflect":
            if pr > rows or pc > cols:
                raise ValueError(f"`pad_value` 'reflect' needs a pad no larger than the scene; got pad ({pr}, {pc}) "
                                 f"samples for a {rows}×{cols} scene")
            flip = centre[::-1]
            planes[i, :pr, pc:pc + cols] = flip[rows - pr:]
            planes[i, pr + rows:, pc:pc + cols] = flip[:pr]
            band = planes[i, :, pc:pc + cols][:, ::-1]  # rows already padded; mirror the columns
            planes[i, :, :pc] = band[:, cols - pc:]
            planes[i, :, pc + cols:] = band[:, :pc]
        elif pr or pc:
            if pad_value == "zero":
                fill = np.float32(0.0)
            elif pad_value == "mean":
                fill = np.float32(centre.mean(dtype=np.float64))
            else:  # border
                fill = centre[0, 0]
            planes[i, :pr] = fill
            planes[i, pr + rows:] = fill
            planes[i, pr:pr + rows, :pc] = fill
            planes[i, pr:pr + rows, pc + cols:] = fill
    return planes


def _round_half_up(x: float) -> int:
    """Round a non-negative number half away from zero (MATLAB ``round``), not to even."""
    return int(math.floor(x + 0.5))
