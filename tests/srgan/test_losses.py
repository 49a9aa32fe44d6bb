"""Tests for :mod:`srgan.losses`: SSIM against scikit-image, Lab against colour-science,
analytic values of the pixel/FFT/adversarial losses, the VGG19 layout (a torchvision-shaped
state dict loads by key; a wrong one is refused), the seeded random VGG fallback, and
recipes."""

from __future__ import annotations

import math

import colour
import numpy as np
import pytest
import torch
from safetensors.torch import save_file
from skimage.metrics import structural_similarity

from srgan.losses import (
    VGG_LAYERS,
    CompositeLoss,
    LossRecipe,
    VGGPerceptual,
    adversarial_d,
    adversarial_g,
    charbonnier,
    delta_e76,
    fft_l1,
    ms_ssim,
    srgb_to_lab,
    ssim,
    vgg19_features,
)


def test_ssim_matches_skimage():
    g = torch.Generator().manual_seed(0)
    x = torch.rand(3, 3, 40, 37, generator=g)
    y = (x + 0.3 * torch.rand(x.shape, generator=g) - 0.15).clamp(0, 1)
    ours = ssim(x, y, reduction="none")
    for i in range(3):
        ref = structural_similarity(x[i].numpy(), y[i].numpy(), channel_axis=0, gaussian_weights=True,
                                    sigma=1.5, use_sample_covariance=False, data_range=1)
        assert abs((1 - ours[i].item()) - (1 - ref)) < 1e-4
    assert ssim(x, x).item() == pytest.approx(1.0, abs=1e-6)


def test_ms_ssim_identity_and_order():
    x = torch.rand(2, 3, 64, 64, generator=torch.Generator().manual_seed(1))
    assert ms_ssim(x, x).item() == pytest.approx(1.0, abs=1e-5)
    assert ms_ssim(x, (x + 0.05).clamp(0, 1)).item() > ms_ssim(x, (x + 0.2).clamp(0, 1)).item()
    with pytest.raises(ValueError, match="levels"):
        ms_ssim(x, x, levels=5)  # 64 px → at most 3 scales with an 11-tap window


def test_lab_matches_colour_science():
    rgb = torch.rand(2, 3, 9, 7, dtype=torch.float64, generator=torch.Generator().manual_seed(2))
    rgb[0, :, 0, 0] = 0.0  # black and the linear segment
    rgb[0, :, 0, 1] = 0.02
    ref = colour.XYZ_to_Lab(colour.sRGB_to_XYZ(rgb.permute(0, 2, 3, 1).numpy()),
                            colour.CCS_ILLUMINANTS["CIE 1931 2 Degree Standard Observer"]["D65"])
    assert np.abs(srgb_to_lab(rgb).permute(0, 2, 3, 1).numpy() - ref).max() < 1e-4
    # float32 and differentiable at black
    x = torch.zeros(1, 3, 2, 2, requires_grad=True)
    delta_e76(x, torch.full((1, 3, 2, 2), 0.5)).backward()
    assert torch.isfinite(x.grad).all()


def test_delta_e76_is_lab_distance():
    a, b = torch.full((1, 3, 1, 1), 0.2), torch.full((1, 3, 1, 1), 0.6)
    la = colour.XYZ_to_Lab(colour.sRGB_to_XYZ(np.full(3, 0.2)))
    lb = colour.XYZ_to_Lab(colour.sRGB_to_XYZ(np.full(3, 0.6)))
    assert delta_e76(a, b).item() == pytest.approx(float(np.linalg.norm(la - lb)), rel=1e-4)


def test_pixel_and_fft_losses_analytic():
    x = torch.zeros(1, 1, 8, 8)
    y = torch.full((1, 1, 8, 8), 0.5)
    assert charbonnier(x, y, eps=1e-3).item() == pytest.approx(math.sqrt(0.25 + 1e-6), rel=1e-6)
    # a constant image has only a DC term: |F(0)| = 0.5·sqrt(64) with the orthonormal FFT
    n_bins = 8 * 5
    assert fft_l1(x, y).item() == pytest.approx(0.5 * 8 / n_bins, rel=1e-6)


def test_adversarial_values():
    z = torch.zeros(4, 1)
    assert adversarial_g(z, None, "bce").item() == pytest.approx(math.log(2), rel=1e-6)
    assert adversarial_d(z, z, "bce").item() == pytest.approx(math.log(2), rel=1e-6)
    assert adversarial_g(z, z, "ragan").item() == pytest.approx(math.log(2), rel=1e-6)
    # D sure and right: loss → 0
    assert adversarial_d(torch.full((4, 1), 20.0), torch.full((4, 1), -20.0), "ragan").item() < 1e-8
    with pytest.raises(ValueError, match="adversarial loss must be one of"):
        adversarial_g(z, z, "wgan")


def test_vgg_indices_match_torchvision_layout():
    """conv5_4 is features.34 and conv3_3 features.14 in torchvision's vgg19().features."""
    feats = vgg19_features()
    assert len(feats) == 37
    assert isinstance(feats[34], torch.nn.Conv2d) and feats[34].in_channels == 512
    assert isinstance(feats[14], torch.nn.Conv2d) and feats[14].out_channels == 256
    assert VGG_LAYERS["conv5_4"] == 35 and VGG_LAYERS["block3_conv3"] == 15


def test_vgg_loads_local_file_and_refuses_wrong_layout(tmp_path):
    torch.manual_seed(3)
    src = vgg19_features(15)
    state = {f"features.{k}": v for k, v in src.state_dict().items()}
    state["classifier.0.weight"] = torch.zeros(2, 2)  # ignored
    save_file(state, str(tmp_path / "vgg.safetensors"))
    torch.save(state, tmp_path / "vgg.pth")
    x, y = torch.rand(1, 3, 32, 32), torch.rand(1, 3, 32, 32)
    ref = VGGPerceptual("block3_conv3", str(tmp_path / "vgg.safetensors"))(x, y)
    assert VGGPerceptual("conv3_3", str(tmp_path / "vgg.pth"))(x, y).item() == ref.item()
    bad = dict(state)
    bad["features.14.weight"] = torch.zeros(256, 128, 3, 3)
    torch.save(bad, tmp_path / "bad.pth")
    with pytest.raises(ValueError, match="torchvision's VGG19 features layout.*--vgg-weights"):
        VGGPerceptual("conv3_3", str(tmp_path / "bad.pth"))
    with pytest.raises(ValueError, match="not found.*networked machine"):
        VGGPerceptual("conv3_3", str(tmp_path / "none.pth"))


def test_random_vgg_is_seeded_and_frozen():
    a, b = VGGPerceptual("conv3_3", seed=5), VGGPerceptual("conv3_3", seed=5)
    assert all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters()))
    assert "random VGG19" in a.source and not any(p.requires_grad for p in a.parameters())
    x = torch.rand(1, 3, 32, 32, requires_grad=True)
    a(x, torch.rand(1, 3, 32, 32)).backward()
    assert x.grad.abs().sum() > 0


def test_recipe_parse_and_composite():
    r = LossRecipe.parse("l1=1, fft=0.05,ssim")
    assert r.terms == (("l1", 1.0), ("fft", 0.05), ("ssim", 1.0))
    assert str(r) == "1·l1 + 0.05·fft + 1·ssim"
    x, y = torch.rand(2, 3, 32, 32), torch.rand(2, 3, 32, 32)
    total, parts = CompositeLoss(r)(x, y)
    assert total.item() == pytest.approx((parts["l1"] + 0.05 * parts["fft"] + parts["ssim"]).item(), rel=1e-6)
    for text, msg in [("l3=1", "unknown loss 'l3'"), ("l1=-1", "finite number >= 0"), ("l1=x", "must be a number")]:
        with pytest.raises(ValueError, match=msg):
            LossRecipe.parse(text)
