"""
Optics — diffraction-limited, shift-invariant lens
==================================================

Defines :class:`Optics`: a thin, aberration-free lens with a circular pupil, described
by its f-number, focal length and aperture diameter, a lens transmittance and an
optional cos⁴ relative illumination. :meth:`Optics.form_image` turns a
:class:`camsim.Scene` (spectral radiance) into a :class:`camsim.OpticalImage`
(spectral irradiance on the focal plane), as ISETCam ``oiCompute`` with the default
diffraction-limited model (``opticsDLCompute``), one wavelength at a time — the
reference path. The camera's fast path, which fuses the optics with the sensor's
quantum efficiency, lives in :mod:`camsim._channel`. The array math lives in
:mod:`camsim._otf` and :mod:`camsim._kernels.spectral`.

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
import warnings
from dataclasses import dataclass

import numpy as np
import scipy.fft as sfft
from numpy.typing import ArrayLike, NDArray

from . import _channel, _otf
from . import _validate as _check
from ._kernels import mix as _mix
from ._focal_plane import PAD_VALUES, check_form_args, focal_grid, padded_planes  # noqa: F401  (PAD_VALUES: re-exported)
from .threads import fft_workers
from .optical_image import OpticalImage
from .scene import Scene
from .units import check_wave

__all__ = ["Optics", "DEFAULT_FNUMBER", "DEFAULT_FOCAL_LENGTH"]

DEFAULT_FNUMBER: float = 4.0  # ISETCam opticsCreate('default')
# ISETCam's "1/4-inch" lens: diag / tan(46°) with a 4 mm diagonal (not the textbook
# diag / (2·tan(FOV/2))); reproduces the 3.8628 mm that ISETCam validations encode.
DEFAULT_FOCAL_LENGTH: float = 0.004 / math.tan(math.radians(46.0))  # m

FORM_METHODS = ("auto", "basis", "per_wavelength")  # Optics.form_image(method=...)
_TRIPLET_RTOL = 1e-9  # allowed relative mismatch of fnumber vs focal_length / aperture_diameter


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
    def form_image(self, scene: Scene, *, pad: float | str = 0.125, pad_value: str = "zero", crop: bool = False,
                   workers: int | None = None, wave_chunk: int = 8, method: str = "auto",
                   fast_fft: bool = False) -> OpticalImage:
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
            The default 1/8 is ISETCam's (64×96 → 80×120). Or ``'psf'``: the radius that
            holds all but 1e-4 of the polychromatic PSF energy, in whole samples (rounded
            up), on every side; see Notes, 7.
        fast_fft
            Grow each pad to the nearest size that makes the padded length a fast FFT
            length (only the factors 2, 3, 5, 7, 11; the same on both sides,
            :func:`camsim._focal_plane.fast_pad`): with 1/8 padding the padded length
            grows 1.6 % on average and at most 12 % from 256 samples up. More padding only ever means
            less light wrapped around by the circular FFT, and sizes such as 626 = 2·313
            transform several times faster. Default False: ISETCam's grid exactly;
            :class:`camsim.Camera` sets it.
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
        method
            ``'per_wavelength'``: the reference, radiance → irradiance → blur one
            wavelength at a time (two FFTs per wavelength). ``'basis'`` (low-rank scenes
            only): the same numbers from the scene's spectral basis (see Notes, 6).
            ``'auto'`` (default): ``'basis'`` for a low-rank scene of rank < n_wave,
            else ``'per_wavelength'``.

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

        6. ``method='basis'``: everything above is linear in the radiance, so with
           ``L(x, λ) = Σ_k c_k(x)·P_k(λ)`` the spectrum of wavelength plane λ is
           ``H_λ(f)·Σ_k g(λ)·P_k(λ)·FFT(pad(RI·c_k))(f)`` (g the irradiance factor;
           'mean' and 'border' pad values are linear in the plane, so each coefficient
           plane is padded with its own). So: r forward FFTs (not n_wave), a
           (n_wave × r) @ (r × bins) real matrix product per chunk, the OTF product and
           one inverse FFT per wavelength; the radiance is never materialised. Columns
           of the spectrum past the cut-off of every wavelength of a chunk are exactly
           zero after the OTF: they are neither mixed nor transformed along the rows
           (:func:`camsim._otf.band_irfft2`). The
           per-wavelength OTFs come from a cache (:func:`camsim._otf.otf_stack`: same
           numbers as the reference, evaluated once per grid, spacing, wavelengths and
           f-number). No approximation: the two methods differ by float32 rounding (the
           test asks 1e-4 of each plane's maximum; measured ≤ 1e-6).

           Where the OTF is smooth on the grid — every bin inside every wavelength's
           cut-off 1/(λN), i.e. coarse sampling or a small f-number — the OTF stack is
           of low rank over λ: ``H_λ(f) ≈ Σ_j P_j(f)·V_jλ`` (an SVD,
           :func:`camsim._otf.otf_factors`, cached), and r·J inverse FFTs of
           ``P_j·FFT(c_k)`` and one ``(pixels × r·J) @ (r·J × n_wave)`` product replace
           the n_wave inverse FFTs (e.g. J = 3 components for a point array at f/2.8,
           128² at 10°). J is the fewest components whose error bound — the Frobenius
           norm of the OTF residual over the grid, which bounds the ℓ¹ norm of the
           error's kernel, times the largest input value of the plane — is within
           1e-5 of each plane's maximum, checked on the result; otherwise, or when
           r·J > n_wave / 2, the per-wavelength inverse FFTs are used. Where the cut-off
           lies inside the grid's band (fine sampling: e.g. 1024² at 10°, f/4) the
           singular values fall only algebraically (1e-4 of the first at the 13th of
           31), so no factorisation is exact to 1e-4 and none is used.

        7. ``pad='psf'``: the radius r with ``Σ_λ w_λ·(J₀²(v_λ) + J₁²(v_λ)) / Σ_λ w_λ = 1e-4``,
           v_λ = π·r/(λN): the Airy pattern's encircled energy 1 − J₀² − J₁² ([Born1999]
           §8.5.2) averaged over the scene's wavelengths, weighted by the scene's mean
           spectral irradiance (mean radiance × irradiance factor, photons). Airy's
           energy tail falls only as 2λN/(π²r), so r ≈ 2026·λN: 3.1 mm at f/2.8 and
           25 mm at f/22 for a grey scene — hundreds to thousands of samples, far more
           than the 1/8 default unless the sampling is coarse (a padded grid over 2²⁶
           samples per wavelength is refused with a ValueError). Error inside the scene
           area against a pad 3× larger, max abs difference / max per wavelength plane, 64×64
           scenes at 20° (21.35 µm samples, 31 λ): point array f/2.8 9.5e-7 ('psf', 147
           samples) vs 3.0e-5 (1/8, 8 samples); a photo (astronaut, 64²) f/2.8 1.1e-6 vs
           1.9e-4; point array f/22 2.8e-7 (1149 samples) vs 3.2e-4; photo f/22 5.7e-7
           (1203 samples) vs 1.6e-3.

        Work is float32/complex64 and ``wave_chunk`` wavelengths at a time. On the
        reference path a low-rank scene is materialised one chunk at a time
        (coefficients @ basis[:, chunk]).
        """
        pad_f, workers, wave_chunk = check_form_args(scene, pad, pad_value, crop, workers, wave_chunk)
        method = _check.one_of("method", method, FORM_METHODS)
        if method == "auto":
            method = "basis" if scene.is_low_rank and scene.rank < scene.n_wave else "per_wavelength"
        if method == "basis" and not scene.is_low_rank:
            raise ValueError("`method` 'basis' needs a low-rank scene (a `basis`); this one is a full cube: "
                             "use 'per_wavelength' or 'auto', or Scene.low_rank() first")
        rows, cols, _ = scene.shape
        d_i, spacing, pr, pc = focal_grid(self, scene, pad_f, _check.flag("fast_fft", fast_fft))
        ri = _otf.cos4((rows, cols), spacing, d_i) if self.relative_illumination else None
        form = _form_on_basis if method == "basis" else _form_per_wavelength
        out = form(scene, self.irradiance_factor(scene.distance, scene.wave), self.fnumber, ri, spacing,
                   (pr, pc), pad_value, crop, workers, wave_chunk)
        return OpticalImage(
            irradiance=out,
            wave=scene.wave,
            sample_spacing=spacing,
            optics=self,
            image_distance=d_i,
            pad=(0, 0) if crop else (pr, pc),
            name=scene.name,
        )

    def form_channel_image(self, scene: Scene, qe: ArrayLike, **kwargs) -> _channel.ChannelImage:
        """
        Deprecated: the fused optics-and-QE fast path moved to the camera
        (:class:`camsim.Camera`, ``fast=True``), which calls
        ``camsim._channel.form_channel_image(optics, scene, qe, ...)``.

        Same arguments and result as before (``pad``, ``pad_value``, ``crop``,
        ``workers``, ``wave_chunk``); emits a :class:`DeprecationWarning`. Use
        :meth:`form_image` for the spectral image, or :meth:`camsim.Camera.form_image`
        for the image on a sensor's channels.
        """
        warnings.warn("Optics.form_channel_image is deprecated: the fast path lives in the camera now "
                      "(Camera.form_image; Optics.form_image gives the spectral image)",
                      DeprecationWarning, stacklevel=2)
        return _channel.form_channel_image(self, scene, qe, **kwargs)

    # -- helpers --------------------------------------------------------------------------------
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


def _form_per_wavelength(scene: Scene, gain: NDArray[np.float64], fnumber: float, ri: NDArray[np.float32] | None,
                         spacing: float, pad: tuple[int, int], pad_value: str, crop: bool, workers: int | None,
                         wave_chunk: int) -> NDArray[np.float32]:
    """Irradiance cube of :meth:`Optics.form_image`, ``method='per_wavelength'`` (the reference)."""
    rows, cols, n_wave = scene.shape
    pr, pc = pad
    big_r, big_c = rows + 2 * pr, cols + 2 * pc
    rho = _otf.fft_radial_frequency((big_r, big_c), spacing)  # cycles/mm, rfft layout
    gain = gain.astype(np.float32)
    out = np.empty((rows, cols, n_wave) if crop else (big_r, big_c, n_wave), dtype=np.float32)
    coef = scene.coefficients.reshape(rows * cols, scene.rank)
    for start in range(0, n_wave, wave_chunk):
        sl = slice(start, min(start + wave_chunk, n_wave))
        k = sl.stop - sl.start
        # Radiance of this chunk, (k, rows, cols), wavelength-first so each plane is contiguous.
        if scene.basis is None:
            rad = scene.coefficients[:, :, sl].transpose(2, 0, 1).copy()  # a copy: scaled in place below
        else:
            rad = (scene.basis[:, sl].T @ coef.T).reshape(k, rows, cols)
        rad *= gain[sl, None, None]
        planes = padded_planes(rad.transpose(1, 2, 0), ri, pad_value, pr, pc)
        del rad
        blurred = _otf.apply_otf(planes, _otf.otf_grid(rho, scene.wave[sl], fnumber),
                                 workers=workers or fft_workers(planes.size))
        if crop:
            blurred = blurred[:, pr:pr + rows, pc:pc + cols]
        out[:, :, sl] = blurred.transpose(1, 2, 0)
        del planes, blurred
    return out


def _form_on_basis(scene: Scene, gain: NDArray[np.float64], fnumber: float, ri: NDArray[np.float32] | None,
                   spacing: float, pad: tuple[int, int], pad_value: str, crop: bool, workers: int | None,
                   wave_chunk: int) -> NDArray[np.float32]:
    """Irradiance cube of :meth:`Optics.form_image`, ``method='basis'`` (Notes, 6): r forward FFTs."""
    rows, cols, n_wave = scene.shape
    pr, pc = pad
    big = (rows + 2 * pr, cols + 2 * pc)
    planes = padded_planes(scene.coefficients, ri, pad_value, pr, pc)  # (r, R, C)
    plane_max = np.abs(planes).reshape(planes.shape[0], -1).max(axis=1).astype(np.float64)  # (r,)
    spec = sfft.rfft2(planes, axes=(-2, -1), workers=workers or fft_workers(planes.size), overwrite_x=True)
    del planes
    r = spec.shape[0]
    weights = (scene.basis.astype(np.float64) * gain).T.astype(np.float32)  # (n_wave, r), sr·photons/(s·sr·m²·nm)
    factors = _otf.otf_factors(big, spacing, scene.wave, fnumber)
    if factors is not None:
        # bound on each input plane's maximum: Σ_k |w_k(λ)|·max|plane_k|
        out = _form_factored(spec, factors, weights, np.abs(weights.astype(np.float64)) @ plane_max, big,
                             (pr, pc, rows, cols) if crop else None, workers)
        if out is not None:
            return out
    spec_re = spec.reshape(r, -1).view(np.float32)  # (r, 2·bins): real and imaginary parts interleaved
    otf = _otf.otf_stack(big, spacing, scene.wave, fnumber)  # (n_wave, R // 2 + 1, C // 2 + 1)
    out = np.empty((rows, cols, n_wave) if crop else big + (n_wave,), dtype=np.float32)
    for start in range(0, n_wave, wave_chunk):
        sl = slice(start, min(start + wave_chunk, n_wave))
        k = sl.stop - sl.start
        # Columns at or past every cut-off of the chunk hold zeros after the OTF: leave them out.
        n_c = _otf.band_columns(otf[sl])
        band = spec_re if n_c == spec.shape[2] else np.ascontiguousarray(spec[:, :, :n_c]).reshape(r, -1).view(np.float32)
        mixed = (weights[sl] @ band).view(np.complex64).reshape(k, big[0], n_c)
        _otf.multiply_by_otf_stack(mixed, otf[sl, :, :n_c])
        blurred = _otf.band_irfft2(mixed, big, workers=workers or fft_workers(2 * k * spec[0].size))
        del mixed, band
        blurred = blurred.astype(np.float32, copy=False)
        _otf.clip_rounding_negatives(blurred)
        if crop:
            blurred = blurred[:, pr:pr + rows, pc:pc + cols]
        out[:, :, sl] = blurred.transpose(1, 2, 0)
        del blurred
    return out


FACTOR_RTOL = 1e-5  # method='basis' with OTF factors: bound on each plane's error, relative to its maximum


def _form_factored(spec: NDArray[np.complex64], factors: tuple, weights: NDArray[np.float32],
                   input_max: NDArray[np.float64], big: tuple[int, int], crop: tuple[int, int, int, int] | None,
                   workers: int | None) -> NDArray[np.float32] | None:
    """
    Irradiance cube from a low-rank factorisation of the OTF stack over λ
    (:func:`camsim._otf.otf_factors`), or None where it would not be exact to
    :data:`FACTOR_RTOL` or not cheaper.

    ``E_λ = Σ_k Σ_j w_k(λ)·V_jλ · IFFT(P_j·FFT(c_k))``: r·J inverse FFTs and one
    ``(pixels × r·J) @ (r·J × n_wave)`` product that writes the channels-last cube and
    gathers each plane's extrema in the same pass (:func:`camsim._kernels.mix.mix_planes`).
    J is the fewest components whose error bound ``tau_λ·input_max_λ`` stays under a
    quarter of :data:`FACTOR_RTOL` times ``input_max_λ``; after the product, every plane
    is checked against its actual maximum (``bound <= FACTOR_RTOL·(max − bound)``),
    else None and the caller takes the per-wavelength inverse FFTs.
    """
    planes_p, v, tau = factors
    r, n_wave = spec.shape[0], weights.shape[0]
    fits = np.flatnonzero(tau.max(axis=1) <= FACTOR_RTOL / 4)
    if fits.size == 0 or r * (int(fits[0]) + 1) > n_wave // 2:
        return None
    n_j = int(fits[0]) + 1
    rows_o, cols_o = (crop[2], crop[3]) if crop else big
    blocks = np.empty((n_j * r, rows_o, cols_o), dtype=np.float32)
    for j in range(n_j):
        prod = spec.copy()
        _otf.multiply_by_otf_stack(prod, planes_p[j][None])
        b = _otf.band_irfft2(prod, big, workers=workers or fft_workers(2 * prod.size))
        blocks[j * r:(j + 1) * r] = b if crop is None else b[:, crop[0]:crop[0] + rows_o, crop[1]:crop[1] + cols_o]
        del prod, b
    mix = (weights.T[None, :, :] * v[:n_j, None, :]).reshape(n_j * r, n_wave).astype(np.float32)
    flat, lo, hi = _mix.mix_planes(blocks.reshape(n_j * r, -1), mix)
    del blocks
    out = flat.reshape(rows_o, cols_o, n_wave)
    bound = tau[n_j - 1] * input_max
    if not np.all(bound <= FACTOR_RTOL * (np.maximum(hi, -lo) - bound)):
        return None
    clip = (lo < 0.0) & (lo >= -_otf.CLIP_TOLERANCE * hi)  # the rule of _otf.clip_rounding_negatives, per plane
    if np.all(clip):
        np.maximum(flat, 0.0, out=flat)
    elif np.any(clip):
        flat[:, clip] = np.maximum(flat[:, clip], 0.0)
    return out
