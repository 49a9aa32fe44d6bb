"""The fast path's home (issue 15, item 1): :mod:`camsim._channel` used by the camera,
deprecated aliases at the old places, and the lazy spectral image of a capture.

The numbers are checked against the per-wavelength reference path
(:meth:`camsim.Optics.form_image`) followed by the sensor's spectral projection
computed here in float64, as in ``test_fast_path.py``.
"""

from __future__ import annotations

import numpy as np
import pytest

import camsim
from camsim import Camera, Optics, Scene, Sensor
from camsim._channel import ChannelImage, form_channel_image
from camsim.units import wave_bin_width


def _scene(seed: int = 3) -> Scene:
    img = np.random.default_rng(seed).random((24, 32, 3)).astype(np.float32)
    return Scene.from_image(img, fov=2.0, distance=1.2)


def test_optics_form_channel_image_is_a_deprecated_alias():
    scene, optics = _scene(), Optics(fnumber=8.0)
    qe = Sensor().qe_on(scene.wave)
    new = form_channel_image(optics, scene, qe, pad_value="mean")
    with pytest.warns(DeprecationWarning, match="form_channel_image"):
        old = optics.form_channel_image(scene, qe, pad_value="mean")
    np.testing.assert_array_equal(old.signal, new.signal)
    assert old.pad == new.pad and old.sample_spacing == new.sample_spacing
    # and both are the reference path projected on the QE (float64 here)
    e = optics.form_image(scene, pad_value="mean").irradiance.astype(np.float64)
    ref = e @ (qe * wave_bin_width(scene.wave)[:, None])
    assert np.max(np.abs(new.signal - ref)) <= 1e-5 * np.max(ref)


def test_channel_image_old_import_path_is_deprecated():
    import camsim.optical_image as oi_module

    with pytest.warns(DeprecationWarning, match="_channel"):
        cls = oi_module.ChannelImage
    assert cls is ChannelImage
    assert "ChannelImage" not in oi_module.__all__
    with pytest.raises(AttributeError):
        oi_module.NoSuchName  # noqa: B018


def test_capture_spectral_image_is_lazy_cached_and_uses_the_capture_pad(monkeypatch):
    calls = []
    original = Optics.form_image

    def counting(self, scene, **kw):
        calls.append(kw)
        return original(self, scene, **kw)

    monkeypatch.setattr(Optics, "form_image", counting)
    cam = Camera(noise=False, pad_value="reflect")
    cap = cam.capture(_scene())
    assert isinstance(cap.optical_image, ChannelImage)
    assert calls == []  # the fast path never forms the spectral cube
    a = cap.spectral_image
    assert len(calls) == 1 and calls[0]["pad_value"] == "reflect"
    assert cap.spectral_image is a and cap.spectral_optical_image() is a
    assert len(calls) == 1  # computed once
    ref = original(cam.optics, cap.scene, pad_value="reflect")
    np.testing.assert_array_equal(a.irradiance, ref.irradiance)
    # the sensor's projection of the spectral image gives the capture's channel signal
    qe = cam.sensor.qe_on(cap.scene.wave) * wave_bin_width(cap.scene.wave)[:, None]
    proj = a.irradiance.astype(np.float64) @ qe
    assert np.max(np.abs(proj - cap.optical_image.signal)) <= 1e-5 * np.max(proj)


def test_sensor_accepts_the_channel_image_from_its_new_home():
    scene = _scene()
    ci = form_channel_image(Optics(), scene, Sensor().qe_on(scene.wave))
    assert Sensor().size_for(ci) == Sensor().size_for(Optics().form_image(scene))
    assert camsim.Sensor().electron_rate(ci).shape == Sensor().size_for(ci)


def test_reference_camera_takes_the_per_wavelength_path(monkeypatch):
    calls = []
    original = Optics.form_image

    def counting(self, scene, **kw):
        calls.append(kw.get("method"))
        return original(self, scene, **kw)

    monkeypatch.setattr(Optics, "form_image", counting)
    Camera(noise=False, fast=False).capture(_scene())
    assert calls == ["per_wavelength"]
