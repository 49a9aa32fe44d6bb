"""camsim command line: end to end, resume, and one-line errors with exit status 2."""

import subprocess
import sys

import imageio.v3 as iio
import numpy as np
import pytest

from camsim.cli import main


@pytest.fixture()
def two_images(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    rng = np.random.default_rng(0)
    for name in ("a.png", "b.jpg"):
        iio.imwrite(folder / name, (rng.random((48, 64, 3)) * 255).astype(np.uint8))
    return folder


def test_simulate_two_images_writes_two_pngs(two_images, tmp_path, capsys):
    out = tmp_path / "out"
    rc = main(["simulate", str(two_images), "--preset", "deblur", "--out", str(out), "--size", "32", "--seed", "1", "--quiet"])
    assert rc == 0
    files = sorted(p.name for p in out.glob("*.png"))
    assert files == ["a_deblur.png", "b_deblur.png"]
    assert iio.imread(out / "a_deblur.png").shape == (32, 32, 3)
    assert "2 image(s) written" in capsys.readouterr().out
    # resume: a second run keeps finished outputs
    rc = main(["simulate", str(two_images), "--preset", "deblur", "--out", str(out), "--size", "32", "--seed", "1",
               "--quiet"])
    assert rc == 0 and "2 already done" in capsys.readouterr().out


def test_resumed_run_gives_each_image_the_seed_of_a_full_run(two_images, tmp_path):
    """Image i of the inputs uses seed + i whether or not earlier images were already done."""
    full, resumed = tmp_path / "full", tmp_path / "resumed"
    args = ["--preset", "pixel", "--seed", "5", "--quiet"]
    assert main(["simulate", str(two_images), "--out", str(full), *args]) == 0
    resumed.mkdir()
    (resumed / "a_pixel.png").write_bytes((full / "a_pixel.png").read_bytes())  # a finished, b to do
    assert main(["simulate", str(two_images), "--out", str(resumed), *args]) == 0
    np.testing.assert_array_equal(iio.imread(resumed / "b_pixel.png"), iio.imread(full / "b_pixel.png"))


def test_simulate_with_parameters(two_images, tmp_path):
    out = tmp_path / "o"
    rc = main(["simulate", str(two_images / "a.png"), "--fnumber", "8", "--pixel-pitch", "5e-6", "--noise", "off",
               "--out", str(out), "--quiet"])
    assert rc == 0 and len(list(out.glob("*.png"))) == 1


def _run(*args):
    return subprocess.run([sys.executable, "-m", "camsim.cli", *args], capture_output=True, text=True, timeout=120)


def test_corrupt_file_exit_2_one_line(tmp_path):
    bad = tmp_path / "bad.png"
    bad.write_bytes(b"\x89PNG garbage")
    r = _run("simulate", str(bad), "--preset", "pixel", "--out", str(tmp_path / "o"), "--quiet")
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "bad.png" in lines[0] and "Traceback" not in r.stderr


@pytest.mark.parametrize("args, needle", [
    (["simulate", "x.png", "--preset", "sepia", "--out", "o"], "unknown preset"),
    (["simulate", "nowhere.png", "--preset", "pixel", "--out", "o"], "no such file"),
    (["simulate", "x.png", "--fnumber", "-2", "--out", "o"], "--fnumber"),
    (["simulate", "x.png", "--out", "o"], "--preset"),
    (["simulate", "x.png", "--preset", "pixel", "--seed", "-1", "--out", "o"], "--seed"),
    (["bogus"], "invalid choice"),
    (["simulate", "x.png", "--preset", "pixel", "--jobs", "0", "--out", "o"], "--jobs"),
])
def test_user_mistakes_exit_2(args, needle, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.png").write_bytes(b"")
    assert main(args) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and needle in err[0]


def test_presets_and_info(capsys):
    assert main(["presets"]) == 0
    out = capsys.readouterr().out
    assert all(n in out for n in ("color", "pixel", "deblur"))
    assert main(["info"]) == 0
    assert "numba threading layer" in capsys.readouterr().out


def test_parallel_jobs_give_the_same_images(two_images, tmp_path):
    """--jobs 2 (two one-thread worker processes) writes exactly what one process writes."""
    one, two = tmp_path / "one", tmp_path / "two"
    common = ["--preset", "color", "--size", "32", "--seed", "3", "--quiet"]
    assert main(["simulate", str(two_images), "--out", str(one), *common]) == 0
    assert main(["simulate", str(two_images), "--out", str(two), "--jobs", "2", *common]) == 0
    for name in ("a_color.png", "b_color.png"):
        np.testing.assert_array_equal(iio.imread(one / name), iio.imread(two / name))
