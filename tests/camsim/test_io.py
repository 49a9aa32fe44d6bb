"""Atomic file output: an interrupted write leaves the old file (or nothing) and no debris."""

import os

import imageio.v3 as iio
import numpy as np
import pytest

import camsim
from camsim._io import atomic_path, write_image


def test_failed_write_keeps_previous_file_and_leaves_no_temp(tmp_path, monkeypatch):
    target = tmp_path / "out.png"
    write_image(target, np.zeros((4, 5, 3)))
    before = target.read_bytes()

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(iio, "imwrite", boom)
    with pytest.raises(RuntimeError):
        write_image(target, np.ones((4, 5, 3)))
    assert target.read_bytes() == before
    assert sorted(os.listdir(tmp_path)) == ["out.png"]


def test_atomic_path_permissions_follow_umask(tmp_path):
    umask = os.umask(0o022)
    try:
        with atomic_path(tmp_path / "a.txt") as tmp:
            tmp.write_text("x")
    finally:
        os.umask(umask)
    assert (tmp_path / "a.txt").stat().st_mode & 0o777 == 0o644


def test_write_image_rejects_bad_input(tmp_path):
    with pytest.raises(ValueError, match="bit_depth"):
        write_image(tmp_path / "a.png", np.zeros((2, 2)), bit_depth=12)
    with pytest.raises(ValueError, match="image"):
        write_image(tmp_path / "a.png", np.full((2, 2), np.nan))


# --------------------------------------------------------------------- issue 14 items 5 and 6
def test_16_bit_png_round_trip_is_bit_exact(tmp_path):
    """camsim's own 16-bit output reads back at 16 bits (Pillow alone would give 8), checked with pypng."""
    import png

    from camsim.io import read_image, write_image

    codes = np.random.default_rng(3).integers(0, 65536, size=(9, 11, 3), dtype=np.uint16)
    codes[0, 0] = (1, 257, 65535)  # values 8 bits cannot hold
    path = write_image(tmp_path / "x16.png", codes / 65535.0, bit_depth=16)
    w, h, rows, info = png.Reader(filename=str(path)).asDirect()
    assert info["bitdepth"] == 16
    np.testing.assert_array_equal(np.vstack([np.asarray(r, np.uint16) for r in rows]).reshape(h, w, 3), codes)
    back = read_image(path)
    np.testing.assert_array_equal(np.round(back * 65535).astype(np.uint16), codes)
    # and a 16-bit PNG written by another encoder (pypng), grey
    grey = codes[:, :, 0]
    with open(tmp_path / "g16.png", "wb") as fh:
        png.Writer(grey.shape[1], grey.shape[0], greyscale=True, bitdepth=16).write(fh, grey.tolist())
    np.testing.assert_array_equal(np.round(read_image(tmp_path / "g16.png")[:, :, 1] * 65535), grey)


def test_16_bit_png_feeds_the_camera_at_full_depth(tmp_path):
    from camsim.io import write_image

    ramp = np.linspace(0.2, 0.2 + 40 / 65535, 41)[None, :, None] * np.ones((8, 1, 3))  # 40 codes < one 8-bit step
    write_image(tmp_path / "ramp.png", ramp, bit_depth=16)
    scene = camsim.Scene.from_image(tmp_path / "ramp.png")
    assert len(np.unique(scene.coefficients[0, :, 1])) > 20


def test_exif_orientation_is_applied(tmp_path):
    """A phone JPEG stored landscape with Orientation=6 (rotate 90° clockwise to view) is read upright."""
    from PIL import Image

    from camsim.io import read_image

    stored = np.zeros((40, 60, 3), np.uint8)
    stored[:, :10] = 255  # a white band on the stored image's left edge
    im = Image.fromarray(stored)
    exif = im.getexif()
    exif[0x0112] = 6
    im.save(tmp_path / "phone.jpg", exif=exif, quality=95)
    up = read_image(tmp_path / "phone.jpg")
    assert up.shape == (60, 40, 3)  # upright: portrait
    assert up[:10].mean() > 0.9 and up[-20:].mean() < 0.1  # the band is now on top
    cap = camsim.Camera.preset("pixel", noise=False).capture(tmp_path / "phone.jpg")
    assert cap.image.shape[0] > cap.image.shape[1]


@pytest.mark.parametrize("name, kwargs, needle", [
    ("x.xyz", {}, "`path`"),
    ("x", {}, "`path`"),
    ("x.jpg", {"bit_depth": 16}, "`bit_depth`"),
    ("x.bmp", {"bit_depth": 16}, "`bit_depth`"),
    ("x.png", {"quality": 80}, "`quality`"),
    ("x.jpg", {"quality": 101}, "`quality`"),
])
def test_save_validates_format_up_front(tmp_path, name, kwargs, needle):
    cap = camsim.Camera.preset("pixel", noise=False).capture(np.full((30, 40, 3), 0.5))
    with pytest.raises(ValueError, match=needle):
        cap.save(tmp_path / name, **kwargs)
    assert list(tmp_path.iterdir()) == []  # nothing written, no temp file


def test_save_formats_that_are_allowed(tmp_path):
    import imageio.v3 as iio

    cap = camsim.Camera.preset("pixel", noise=False).capture(np.full((30, 40, 3), 0.5))
    assert iio.imread(cap.save(tmp_path / "a.tif", bit_depth=16)).dtype == np.uint16
    small, big = cap.save(tmp_path / "q10.jpg", quality=10), cap.save(tmp_path / "q95.jpg", quality=95)
    assert small.stat().st_size <= big.stat().st_size
    assert iio.imread(cap.save(tmp_path / "a.png", bit_depth=16)).shape == cap.image.shape


def test_16_bit_rgba_png_round_trip(tmp_path):
    import png

    codes = np.random.default_rng(5).integers(0, 65536, size=(4, 6, 4), dtype=np.uint16)
    path = write_image(tmp_path / "rgba16.png", codes / 65535.0, bit_depth=16)
    w, h, rows, info = png.Reader(filename=str(path)).asDirect()
    assert info["alpha"] and info["bitdepth"] == 16
    np.testing.assert_array_equal(np.vstack([np.asarray(r, np.uint16) for r in rows]).reshape(h, w, 4), codes)
