"""srgan.upscale: tiled == whole-image inference, file handling, bad input."""

import imageio.v3 as iio
import numpy as np
import pytest
import torch

from srgan import cli
from srgan.resample import bicubic_image
from srgan.upscale import tile_starts, upscale_files, upscale_image
from study_fakes import BicubicNet, ConvNet, install_fake_weights, smooth_image, write_png


def _whole(model, img):
    with torch.no_grad():
        y = model(torch.from_numpy(np.ascontiguousarray(img.transpose(2, 0, 1)))[None].float())
    return y[0].clamp(0, 1).numpy().transpose(1, 2, 0)


def test_tiled_equals_whole_when_receptive_field_within_margin():
    # ConvNet's receptive-field radius is 2 LR px; overlap 8 → margin 8 // 4 = 2: exact.
    model = ConvNet(2).eval()
    img = smooth_image(37, 53, seed=1).astype(np.float32)
    whole = _whole(model, img)
    tiled = upscale_image(model, img, tile=16, overlap=8)
    assert len(tile_starts(37, 16, 8)) * len(tile_starts(53, 16, 8)) == 4 * 6  # really tiled
    np.testing.assert_allclose(tiled, whole, atol=1e-5, rtol=0)
    # The condition is tight: overlap 4 → margin 1 < radius 2, and tile sides show.
    assert np.abs(upscale_image(model, img, tile=16, overlap=4) - whole).max() > 1e-3


def test_tiled_bicubic_model_equals_whole_and_single_tile():
    model = BicubicNet(4)
    img = smooth_image(30, 41, seed=2).astype(np.float32)
    np.testing.assert_allclose(upscale_image(model, img, tile=16, overlap=8), _whole(model, img), atol=1e-5)  # bicubic radius 2
    np.testing.assert_allclose(upscale_image(model, img, tile=64, overlap=0), _whole(model, img), atol=1e-6)


@pytest.mark.parametrize("length,tile,overlap", [(100, 40, 10), (17, 16, 8), (41, 12, 6), (1000, 128, 32)])
def test_tile_starts_cover_with_overlap(length, tile, overlap):
    s = tile_starts(length, tile, overlap)
    assert s[0] == 0 and s[-1] + tile == length
    assert all(b - a <= tile - overlap for a, b in zip(s, s[1:]))  # neighbours share >= overlap px


@pytest.mark.parametrize("kw,name", [({"tile": 4}, "tile"), ({"tile": 16, "overlap": 9}, "overlap"),
                                     ({"overlap": -1}, "overlap"), ({"tile": 16.0}, "tile")])
def test_bad_tiling_is_refused(kw, name):
    with pytest.raises(ValueError, match=name):
        upscale_image(BicubicNet(2), np.zeros((8, 8, 3), np.float32), **kw)


def test_files_grey_rgba_nested_and_corrupt(tmp_path):
    src = tmp_path / "in"
    rgb = smooth_image(20, 24, seed=3)
    write_png(src / "a.png", rgb)
    write_png(src / "sub" / "b.png", rgb)
    grey = np.round(rgb[..., 1] * 255).astype(np.uint8)
    iio.imwrite(src / "grey.png", grey)
    rgba = np.dstack([np.round(rgb * 255), np.linspace(0, 255, 24)[None, :].repeat(20, 0)]).astype(np.uint8)
    iio.imwrite(src / "rgba.png", rgba)
    (src / "broken.png").write_bytes(b"not a png")
    with pytest.warns(UserWarning, match="skipped"):
        res = upscale_files(BicubicNet(4), [src], tmp_path / "out", scale=4, tile=8, overlap=4, progress=False)
    assert len(res.written) == 4 and len(res.skipped) == 1
    out = tmp_path / "out"
    a = iio.imread(out / "a_x4.png")
    assert a.shape == (80, 96, 3) and (out / "sub" / "b_x4.png").is_file()
    ref = np.round(bicubic_image(np.round(rgb * 255) / 255, (80, 96)) * 255)
    assert np.abs(a.astype(float) - ref).max() <= 1  # tiled model output = bicubic (8-bit rounding)
    g = iio.imread(out / "grey_x4.png")
    assert g.shape == (80, 96)  # grey in, grey out
    ref_g = np.round(bicubic_image(np.repeat(grey[..., None] / 255, 3, 2), (80, 96))[..., 0] * 255)
    assert np.abs(g.astype(float) - ref_g).max() <= 1
    r = iio.imread(out / "rgba_x4.png")
    assert r.shape == (80, 96, 4)
    ref_a = np.round(bicubic_image(np.repeat(rgba[..., 3:] / 255, 3, 2), (80, 96))[..., 0] * 255)
    assert np.abs(r[..., 3].astype(float) - ref_a).max() <= 1
    assert not [p for p in out.rglob(".*")]  # no temporary files left


def test_cli_upscale_ok_and_bad_input(tmp_path, monkeypatch, capsys):
    install_fake_weights(monkeypatch)
    src = tmp_path / "in"
    write_png(src / "x.jpg.png", smooth_image(16, 16))
    assert cli.main(["upscale", "--model", "bicubic_x2_sr", str(src), "--out", str(tmp_path / "o"), "--quiet"]) == 0
    assert iio.imread(tmp_path / "o" / "x.jpg_x2.png").shape == (32, 32, 3)

    def fails(argv, text):
        capsys.readouterr()
        assert cli.main(argv + ["--quiet"]) == 2
        err = capsys.readouterr().err.strip()
        assert len(err.splitlines()) == 1 and text in err, err

    fails(["upscale", "--model", "nope", str(src), "--out", str(tmp_path / "o")], "nope")
    (tmp_path / "file").write_text("x")
    fails(["upscale", "--model", "bicubic_x2_sr", str(src), "--out", str(tmp_path / "file")], "not a folder")
    (tmp_path / "empty").mkdir()
    fails(["upscale", "--model", "bicubic_x2_sr", str(tmp_path / "empty"), "--out", str(tmp_path / "o")],
          "no images")
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "c.png").write_bytes(b"\x89PNG garbage")
    fails(["upscale", "--model", "bicubic_x2_sr", str(tmp_path / "bad"), "--out", str(tmp_path / "o")],
          "could be read")
    fails(["upscale", "--model", "bicubic_x2_sr", str(src), "--out", str(tmp_path / "o"), "--overlap", "99"],
          "--overlap")


def test_16_bit_png_is_read_at_full_depth(tmp_path):
    """srgan reads images through camsim.io: a 16-bit PNG keeps its 16 bits (not 8)."""
    from camsim.io import write_image

    from srgan._files import read_image_rgba

    ramp = (np.arange(3 * 40 * 50).reshape(40, 50, 3) * 17 % 65536).astype(np.float64) / 65535
    write_image(tmp_path / "r16.png", ramp, bit_depth=16)
    rgb, alpha, grey = read_image_rgba(tmp_path / "r16.png")
    assert alpha is None and not grey
    assert np.array_equal(np.round(rgb.astype(np.float64) * 65535), np.round(ramp * 65535))
