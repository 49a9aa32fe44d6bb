"""Issue 14 item 8: the sensor never integrates beyond the scene; a uniform image stays uniform.

Before the fix the ``scene`` size rule rounded to the *nearest* whole CFA block, so the
``pixel`` preset on a 500×375 photo (21 scene pixels tall) got 22 rows: the first and
last half-saw the optics' zero padding and the demosaic turned that into colour stripes.
"""

import dataclasses

import numpy as np
import pytest

import camsim
from camsim.cfa import CFA_PATTERNS

SIZES = [(375, 500), (21, 31), (101, 77), (64, 64), (33, 45)]


@pytest.mark.parametrize("name", ["color", "pixel", "deblur"])
@pytest.mark.parametrize("shape", SIZES)
def test_sensor_lies_inside_the_scene(name, shape):
    cam = camsim.Camera.preset(name, noise=False)
    oi = cam.form_image(cam.scene_from(np.full(shape + (3,), 0.5)))
    rows, cols = cam.sensor.size_for(oi)
    b = cam.sensor.cfa_block
    for n, pad, got in ((oi.rows, oi.pad[0], rows), (oi.cols, oi.pad[1], cols)):
        extent = (n - 2 * pad) * oi.sample_spacing  # m
        assert got % b == 0
        assert got * cam.sensor.pixel_pitch <= extent * (1 + 1e-9), "sensor wider than the scene"
        assert got * cam.sensor.pixel_pitch > extent - b * cam.sensor.pixel_pitch, "more than one block trimmed"


def test_isetcam_rule_still_rounds_up():
    """size_rule='isetcam' keeps ISETCam's 72:88 sensor, rounded up to whole blocks (parity)."""
    cam = camsim.Camera.preset("isetcam", noise=False)
    oi = cam.form_image(cam.scene_from(np.full((375, 500, 3), 0.5)))
    assert cam.sensor.size_for(oi) == (198, 242)


@pytest.mark.parametrize("cfa", sorted(CFA_PATTERNS))
@pytest.mark.parametrize("shape", [(375, 500), (21, 31), (101, 77), (33, 45)])
def test_uniform_grey_stays_uniform_through_the_pixel_preset(cfa, shape):
    """Zero padding (the default), 25 µm pixels ≫ the f/4 PSF: only the smooth cos⁴ fall-off remains."""
    cam = camsim.Camera.preset("pixel", noise=False)
    cam = cam.replace(sensor=dataclasses.replace(cam.sensor, cfa=cfa))
    im = cam.capture(np.full(shape + (3,), 0.5)).linear.astype(np.float64)
    q = im / im[im.shape[0] // 2, im.shape[1] // 2]  # relative to the centre, per channel
    assert (q.max(axis=2) - q.min(axis=2)).max() < 0.05, "colour stripes at the edges"
    assert np.abs(np.diff(q, axis=0)).max() < 0.03 and np.abs(np.diff(q, axis=1)).max() < 0.03
    assert q.min() > 0.9


@pytest.mark.parametrize("name", ["color", "deblur"])
@pytest.mark.parametrize("shape", [(21, 31), (33, 45)])
def test_uniform_grey_stays_uniform_with_the_world_extended(name, shape):
    """1 µm presets: with the scene continued beyond its edges (pad 'reflect', as srgan uses) no edge artefacts.

    With zero padding these presets darken a frame one PSF radius wide (a bright finite
    scene on black, as ISETCam): physical, not a sensor-geometry artefact.
    """
    cam = camsim.Camera.preset(name, noise=False, pad_value="reflect")
    im = cam.capture(np.full(shape + (3,), 0.5)).linear.astype(np.float64)
    q = im / im[im.shape[0] // 2, im.shape[1] // 2]
    assert (q.max(axis=2) - q.min(axis=2)).max() < 0.01
    assert np.abs(np.diff(q, axis=0)).max() < 0.01 and np.abs(np.diff(q, axis=1)).max() < 0.01
