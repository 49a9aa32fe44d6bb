"""srgan.analyze: charts through the task camera and a model; analytic checks and the three study facts."""

import json
import math

import imageio.v3 as iio
import numpy as np
import pytest
from skimage.color import deltaE_ciede2000, rgb2lab

from srgan import cli
from srgan.analyze import (analyze, colorchecker_chart, colorchecker_srgb, edge_chart, patch_means,
                           radial_power_spectrum)
from srgan.tasks import get_task
from study_fakes import BicubicNet, install_fake_weights


@pytest.fixture(scope="module")
def bicubic_results():
    return {t: analyze(BicubicNet(4), get_task(t)) for t in ("sr", "sr_color", "sr_deblur")}


def test_bicubic_model_sr_equals_bicubic(bicubic_results):
    for r in bicubic_results.values():
        assert r.edge.mtf50["sr"] == r.edge.mtf50["bicubic"]
        assert r.color.mean["sr"] == r.color.mean["bicubic"]
        np.testing.assert_array_equal(r.spectrum.power["sr"], r.spectrum.power["bicubic"])
        assert r.spectrum.high_error["sr"] == r.spectrum.high_error["bicubic"]
        assert r.noise.std["sr"] == r.noise.std["bicubic"]
    assert bicubic_results["sr_color"].noise.ratio == 1.0
    assert math.isnan(bicubic_results["sr"].noise.ratio)  # no noise in the bicubic-only task


def test_reference_edge_is_a_pixel_aperture(bicubic_results):
    # An area-integrated edge has MTF |sinc f|; |sinc f| = 0.5 at f = 0.6034 cycles/pixel.
    assert bicubic_results["sr"].edge.mtf50["reference"] == pytest.approx(0.6034, abs=0.03)


def test_deblur_reference_sharper_than_bicubic(bicubic_results):
    e = bicubic_results["sr_deblur"].edge.mtf50
    assert e["reference"] > 2 * e["bicubic"] and e["bicubic"] < 0.125  # below the LR Nyquist


def test_colour_cast_is_measured(bicubic_results):
    assert bicubic_results["sr"].color.mean["sr"] < 3
    assert bicubic_results["sr_color"].color.mean["sr"] > 10


def test_bicubic_restores_no_detail_above_lr_nyquist(bicubic_results):
    s = bicubic_results["sr"].spectrum
    assert s.high_power["bicubic"] < 0.1  # almost no power there …
    assert 0.8 < s.high_error["bicubic"] < 1.05  # … so the error is (nearly) all of HR's detail


def test_colorchecker_values_match_published_srgb():
    # X-Rite's published sRGB (2014 formulation): dark skin, neutral 5, white 9.5, black 2.
    published = np.array([[115, 82, 68], [122, 122, 121], [243, 243, 242], [52, 52, 52]]) / 255
    ours = colorchecker_srgb()[[0, 21, 18, 23]]
    # Two measurements of the chart: measured ΔE00 1.6, 0.7, 3.2 (white: b* 3.3 vs 0.5), 0.6.
    assert deltaE_ciede2000(rgb2lab(published[None]), rgb2lab(ours[None])).max() < 4


def test_patch_means_recover_the_chart():
    np.testing.assert_allclose(patch_means(colorchecker_chart(128)), colorchecker_srgb(), atol=1e-6)
    np.testing.assert_allclose(patch_means(colorchecker_chart(96)[::3, ::3]), colorchecker_srgb(), atol=1e-6)


def test_power_spectrum_of_white_noise_is_its_variance():
    rng = np.random.default_rng(0)
    f, p = radial_power_spectrum(rng.normal(0, 0.1, (128, 128)))
    assert f[0] == pytest.approx(1 / 128) and f[-1] == pytest.approx(0.5)
    assert np.mean(p[8:]) == pytest.approx(0.01, rel=0.05)


def test_bad_arguments():
    with pytest.raises(ValueError, match="size"):
        edge_chart(16)
    with pytest.raises(ValueError, match="angle"):
        edge_chart(64, angle=30)
    with pytest.raises(ValueError, match="seed"):
        analyze(BicubicNet(4), get_task("sr"), seed=-2)
    with pytest.raises(ValueError, match="model"):
        analyze(lambda x: x, get_task("sr"))


def test_cli_analyze_writes_table_json_figure(tmp_path, monkeypatch, capsys):
    install_fake_weights(monkeypatch)
    out = tmp_path / "a"
    assert cli.main(["analyze", "--model", "bicubic_x4_sr", "--task", "sr", "--out", str(out)]) == 0
    md = (out / "analyze_sr.md").read_text()
    assert "MTF50" in md and "dark skin" in md
    data = json.loads((out / "analyze_sr.json").read_text())
    assert data["noise"]["ratio"] == "nan" and len(data["color"]["delta_e"]["sr"]) == 24
    assert iio.imread(out / "analyze_sr.png").ndim == 3
    capsys.readouterr()
    assert cli.main(["analyze", "--model", "bicubic_x4_color", "--task", "sr", "--out", str(out)]) == 2
    assert "sr_color" in capsys.readouterr().err
