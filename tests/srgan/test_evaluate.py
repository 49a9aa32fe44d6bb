"""srgan.evaluate and ``srgan evaluate``: numbers, outputs, bad input."""

import csv
import io
import math

import imageio.v3 as iio
import numpy as np
import pytest
from skimage.color import rgb2ycbcr
from skimage.metrics import peak_signal_noise_ratio

from srgan import cli
from srgan.evaluate import evaluate, image_seed
from srgan.resample import bicubic_image
from srgan.tasks import get_task
from study_fakes import BicubicNet, ConvNet, install_fake_weights, smooth_image, write_png


@pytest.fixture
def photos(tmp_path):
    for k in range(3):
        write_png(tmp_path / "set_a" / f"p{k}.png", smooth_image(40 + 8 * k, 48, seed=k))
    write_png(tmp_path / "set_b" / "deep" / "q.png", smooth_image(64, 64, seed=7))
    return tmp_path


def test_bicubic_model_scores_equal_bicubic_and_match_skimage(photos):
    task = get_task("sr")
    res = evaluate(BicubicNet(4), task, [photos / "set_a", photos / "set_b"], progress=False)
    assert len(res.images) == 4 and {r.image_set for r in res.images} == {"set_a", "set_b"}
    for r in res.images:
        assert r.model == r.bicubic
    assert res.mean_model == res.mean_bicubic
    # Independent recomputation for one image: the same pipeline with skimage's Y and PSNR.
    img = iio.imread(photos / "set_a" / "p1.png") / 255.0
    lr, hr = task.pair(img.astype(np.float32), seed=image_seed(0, "p1.png"))
    bic = bicubic_image(lr, hr.shape[:2])
    y = [rgb2ycbcr(np.round(np.clip(v.astype(float), 0, 1) * 255) / 255)[4:-4, 4:-4, 0] for v in (hr, bic)]
    ref = peak_signal_noise_ratio(y[0], y[1], data_range=255)
    got = next(r for r in res.images if r.image == "p1.png").bicubic.y_psnr
    assert abs(got - ref) < 1e-6 and 20 < got < 60


def test_outputs_written(photos):
    out = photos / "out"
    res = evaluate(ConvNet(4), get_task("sr"), [photos / "set_a", photos / "set_b"], out_dir=out,
                   model_name="conv", progress=False)
    rows = list(csv.DictReader(io.StringIO((out / "evaluate_sr.csv").read_text())))
    assert len(rows) == 2 * 4 + 2 and rows[-1]["image"] == "mean" and rows[-1]["method"] == "model"
    assert float(rows[0]["y_psnr"]) == pytest.approx(res.images[0].bicubic.y_psnr, abs=1e-6)
    md = (out / "evaluate_sr.md").read_text()
    assert "Y (BT.601), crop = scale px, 8-bit; S-CIELAB at 41.2 samples/degree" in md
    fig = iio.imread(out / "evaluate_sr_set_a.png")
    assert fig.ndim == 3 and fig.shape[0] > 300  # 3 rows of panels
    assert (out / "evaluate_sr_set_b.png").is_file() and (out / "evaluate_sr.json").is_file()
    assert not list(out.glob(".*"))  # no temporaries left behind


def test_identical_hr_gives_inf_in_tables(tmp_path):
    # A constant image: bicubic of a constant is the constant → PSNR inf, written "inf".
    write_png(tmp_path / "s" / "flat.png", np.full((32, 32, 3), 0.5))
    res = evaluate(BicubicNet(4), get_task("sr"), [tmp_path / "s"], out_dir=tmp_path / "o", progress=False)
    assert math.isinf(res.mean_model.y_psnr)
    assert ",inf," in (tmp_path / "o" / "evaluate_sr.csv").read_text()
    assert "| inf |" in (tmp_path / "o" / "evaluate_sr.md").read_text()


def test_seed_depends_on_name_not_order():
    assert image_seed(0, "a/b.png") == image_seed(0, "a/b.png") != image_seed(0, "a/c.png")
    assert image_seed(1, "a/b.png") != image_seed(0, "a/b.png")


def test_corrupt_image_skipped_and_counted(photos):
    (photos / "set_a" / "zz.png").write_bytes(b"garbage")
    with pytest.warns(UserWarning, match="skipped"):
        res = evaluate(BicubicNet(4), get_task("sr"), [photos / "set_a"], progress=False)
    assert len(res.images) == 3 and len(res.skipped) == 1


def test_bad_arguments(photos):
    task = get_task("sr")
    with pytest.raises(ValueError, match="seed"):
        evaluate(BicubicNet(4), task, [photos], seed=-1)
    with pytest.raises(ValueError, match="mode"):
        evaluate(BicubicNet(4), task, [photos], mode="tiles")
    with pytest.raises(ValueError, match="task"):
        evaluate(BicubicNet(4), 4, [photos])


def test_cli_evaluate(photos, monkeypatch, capsys):
    install_fake_weights(monkeypatch)
    out = photos / "cli"
    base = ["evaluate", "--task", "sr", "--quiet"]
    assert cli.main(base + ["--model", "bicubic_x4_sr", "--images", str(photos / "set_a"), "--out", str(out)]) == 0
    assert (out / "evaluate_sr.md").is_file()

    def fails(argv, text):
        capsys.readouterr()
        assert cli.main(argv) == 2
        err = capsys.readouterr().err.strip()
        assert len(err.splitlines()) == 1 and text in err, err

    imgs = ["--images", str(photos / "set_a"), "--out", str(out)]
    fails(base + ["--model", "no_such_model"] + imgs, "no_such_model")
    fails(base + ["--model", "bicubic_x2_sr"] + imgs, "×2")  # weights of another scale
    fails(base + ["--model", "bicubic_x4_color"] + imgs, "sr_color")  # weights of another task
    (photos / "empty").mkdir()
    fails(base + ["--model", "bicubic_x4_sr", "--images", str(photos / "empty"), "--out", str(out)], "no images")
    (photos / "junk").mkdir()
    (photos / "junk" / "j.png").write_bytes(b"junk")
    fails(base + ["--model", "bicubic_x4_sr", "--images", str(photos / "junk"), "--out", str(out)],
          "could be read")
    (photos / "afile").write_text("x")
    fails(base + ["--model", "bicubic_x4_sr", "--images", str(photos / "set_a"), "--out", str(photos / "afile")],
          "not a folder")
    fails(base + ["--model", "bicubic_x4_sr", "--images", str(photos / "missing"), "--out", str(out)],
          "no such file")
    # a corrupt file among good ones: warned, counted, exit 0
    (photos / "set_a" / "bad.png").write_bytes(b"junk")
    capsys.readouterr()
    assert cli.main(base + ["--model", "bicubic_x4_sr"] + imgs) == 0
    cap = capsys.readouterr()
    assert "skipped 1 unreadable" in cap.out and "warning" in cap.err


def test_patches_mode_scores_the_native_centre_crop(tmp_path):
    """Patches mode: HR is the image's own centre 128² crop (no resampling), LR the task's patch pair."""
    img = smooth_image(150, 170, seed=3)
    write_png(tmp_path / "big" / "b.png", img)
    write_png(tmp_path / "big" / "small.png", smooth_image(60, 60, seed=4))  # smaller than a patch: skipped
    task = get_task("sr")
    with pytest.warns(UserWarning, match="smaller than"):
        res = evaluate(BicubicNet(4), task, [tmp_path / "big"], mode="patches", progress=False)
    assert [r.image for r in res.images] == ["b.png"] and len(res.skipped) == 1
    hr = iio.imread(tmp_path / "big" / "b.png")[11:139, 21:149] / 255.0
    lr = bicubic_image(hr.astype(np.float32), (32, 32))
    bic = bicubic_image(lr, (128, 128))
    y = [rgb2ycbcr(np.round(np.clip(v.astype(float), 0, 1) * 255) / 255)[4:-4, 4:-4, 0] for v in (hr, bic)]
    assert abs(res.images[0].bicubic.y_psnr - peak_signal_noise_ratio(y[0], y[1], data_range=255)) < 1e-6
