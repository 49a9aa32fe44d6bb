"""camsim's public surface for other packages: camsim.io, camsim.resize_area,
Camera.config(), camsim.set_threads, the reflective optics padding."""

import json

import numpy as np
import pytest

import camsim
from camsim._focal_plane import padded_planes as _padded_planes


def test_io_reads_16bit_grey_rgba(tmp_path):
    rng = np.random.default_rng(0)
    rgb16 = rng.integers(0, 65536, (9, 7, 3), dtype=np.uint16)
    camsim.io.write_image(tmp_path / "a.png", rgb16 / 65535.0, bit_depth=16)
    # Read without failing; today Pillow gives RGB16 PNGs at 8 bits (full precision: a later camsim._io fix).
    np.testing.assert_allclose(camsim.io.read_image(tmp_path / "a.png"), rgb16 / 65535.0, atol=1.0 / 255)
    import imageio.v3 as iio

    rgba = rng.integers(0, 256, (5, 6, 4), dtype=np.uint8)
    iio.imwrite(tmp_path / "b.png", rgba)
    np.testing.assert_allclose(camsim.io.read_image(tmp_path / "b.png"), rgba[..., :3] / 255.0)
    grey = rgba[..., 0]
    iio.imwrite(tmp_path / "c.png", grey)
    np.testing.assert_allclose(camsim.io.read_image(tmp_path / "c.png"), np.repeat(grey[..., None], 3, 2) / 255.0)
    assert all(p.is_file() for p in camsim.io.default_images())
    (tmp_path / "d.png").write_text("not an image")
    with pytest.raises(ValueError, match="d.png"):
        camsim.io.read_image(tmp_path / "d.png")


def test_resize_area_block_mean_and_fractional():
    rng = np.random.default_rng(1)
    x = rng.random((12, 18, 3))
    block = x.reshape(4, 3, 6, 3, 3).mean(axis=(1, 3))  # independent: integer-factor block mean
    np.testing.assert_allclose(camsim.resize_area(x, (4, 6)), block, rtol=1e-6)
    # 3 → 2 samples: output cells 1.5 input cells wide: (x0 + x1/2)/1.5 and (x1/2 + x2)/1.5
    y = rng.random((1, 3))
    want = [(y[0, 0] + y[0, 1] / 2) / 1.5, (y[0, 1] / 2 + y[0, 2]) / 1.5]
    np.testing.assert_allclose(camsim.resize_area(y, (1, 2))[0], want, rtol=1e-6)
    with pytest.raises(ValueError, match="size"):
        camsim.resize_area(x, (0, 3))


def test_camera_config_determines_capture():
    base = camsim.Camera.preset("deblur")
    c = base.config()
    json.dumps(c)
    assert c == camsim.Camera.preset("deblur").config()
    assert list(c) == list(camsim.Camera.preset("deblur").config())
    assert c == base.replace(name="other").config()  # a label only
    for k in ("optics", "sensor", "isp", "exposure_bias", "scene_light", "seed", "fast", "pad_value", "camsim_version"):
        assert k in c
    changes = [dict(fnumber=8.0), dict(focal_length=5e-3), dict(pixel_pitch=2e-6), dict(exposure_bias=-1.0),
               dict(scene_light="A"), dict(seed=3), dict(fast=False), dict(pad_value="reflect"), dict(noise=False),
               dict(exposure_time=0.01)]
    s = base.sensor
    sensors = [dict(fill_factor=0.5), dict(cfa="rggb"), dict(qe=s.qe * 0.9), dict(read_noise=2.0),
               dict(dark_current=1.0), dict(prnu=1.0), dict(dsnu=0.1), dict(bit_depth=10), dict(conversion_gain=2e-4),
               dict(noise=camsim.Noise(photon_shot=False)), dict(analog_gain=2.0)]
    import dataclasses

    changes += [dict(sensor=dataclasses.replace(s, **kw)) for kw in sensors]
    changes += [dict(isp=dataclasses.replace(base.isp, demosaic="malvar")),
                dict(isp=dataclasses.replace(base.isp, white_balance="gray_world"))]
    seen = {json.dumps(c)}
    for kw in changes:
        try:
            other = base.replace(**kw)
        except ValueError as exc:  # a value this camsim does not accept: the test's list is wrong
            pytest.fail(f"{kw}: {exc}")
        d = json.dumps(other.config())
        assert d not in seen, kw
        seen.add(d)


def test_set_threads_routes_numba_and_fft(monkeypatch):
    import numba

    calls = []
    real = camsim._channel.sfft.rfft2

    def spy(*a, **kw):
        calls.append(kw.get("workers"))
        return real(*a, **kw)

    monkeypatch.setattr(camsim._channel.sfft, "rfft2", spy)
    scene = camsim.Scene.from_image(np.full((16, 16, 3), 0.5))
    try:
        camsim.set_threads(1)
        assert numba.get_num_threads() == 1 and camsim.get_threads() == 1
        camsim.Camera().form_image(scene)
        assert calls and set(calls) == {1}
    finally:
        camsim.set_threads(None)
    assert camsim.get_threads() is None
    for bad in (0, -1, 1.5, True, "2"):
        with pytest.raises(ValueError, match="`n`"):
            camsim.set_threads(bad)


def test_reflect_padding_is_numpy_symmetric_and_keeps_uniform_borders():
    rng = np.random.default_rng(2)
    coef = rng.random((7, 5, 2)).astype(np.float32)
    got = _padded_planes(coef, None, "reflect", 3, 2)
    want = np.pad(coef.transpose(2, 0, 1), ((0, 0), (3, 3), (2, 2)), mode="symmetric")
    np.testing.assert_array_equal(got, want)
    scene = camsim.Scene.from_image(np.full((40, 40, 3), 0.5))
    optics = camsim.Optics(fnumber=22.0, focal_length=3.872e-3, relative_illumination=False)
    oi = optics.form_image(scene, pad_value="reflect", crop=True).irradiance
    assert np.ptp(oi[..., 15]) / oi[..., 15].mean() < 1e-4
    oi0 = optics.form_image(scene, crop=True).irradiance  # ISETCam's zero padding darkens the border
    assert oi0[0, 20, 15] < 0.99 * oi0[20, 20, 15]


def test_internal_names_are_not_exported_but_still_resolve():
    import warnings

    import camsim
    from camsim._channel import ChannelImage

    assert "ChannelImage" not in camsim.__all__ and "expose_rate" not in camsim.__all__
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert camsim.ChannelImage is ChannelImage
    assert any(issubclass(w.category, DeprecationWarning) for w in caught)
