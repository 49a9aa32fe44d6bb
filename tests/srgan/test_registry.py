"""Tests for the model registry of :mod:`srgan.models`: shapes at ×2/×4/×8, the seed
PatchGAN's 8×8 map, analytic FLOP and parameter counts of ``compact``, the compact model's
step-0 identity with the bicubic baseline, and a 50-step pixel-loss overfit per model."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from srgan.models import (
    DISCRIMINATORS,
    GENERATORS,
    build_discriminator,
    build_generator,
    count_flops,
    count_parameters,
)
from srgan.resample import bicubic

# Small configs of the same classes keep the learning checks fast on 2 cores.
SMALL = {"srresnet": {"channels": 16, "n_blocks": 2}, "seed": {"channels": 16, "n_blocks": 2, "up_channels": 16},
         "compact": {}}


@pytest.mark.parametrize("name", sorted(GENERATORS))
@pytest.mark.parametrize("scale", [2, 4, 8])
def test_generator_shapes(name, scale):
    torch.manual_seed(0)
    g = build_generator(name, scale, **SMALL[name])
    with torch.no_grad():
        assert g(torch.rand(2, 3, 32, 32)).shape == (2, 3, 32 * scale, 32 * scale)


@pytest.mark.parametrize("name", sorted(DISCRIMINATORS))
def test_discriminators_accept_128(name):
    d = build_discriminator(name).eval()
    with torch.no_grad():
        out = d(torch.rand(2, 3, 128, 128))
    assert out.shape == ((2, 1) if name == "srresnet" else (2, 1, 8, 8))


def test_default_models_report_size():
    """Full-size defaults: SRResNet's paper count, compact within the CPU budget."""
    assert count_parameters(build_generator("srresnet")) == 1_549_462
    n = count_parameters(build_generator("compact"))
    assert 50_000 <= n <= 300_000
    for name in GENERATORS:
        assert count_flops(build_generator(name, **SMALL[name])) > 0


def test_compact_flops_hand_count():
    """compact (c=32, 4 body convs, ×4) on 32×32: every conv is at LR size, 2 FLOPs per MAC."""
    hw, c = 32 * 32, 32
    macs = 9 * 3 * c * hw + 4 * 9 * c * c * hw + 9 * c * 48 * hw
    assert count_flops(build_generator("compact")) == 2 * macs
    # parameters: weights + biases of the convs, one PReLU slope per channel
    assert count_parameters(build_generator("compact")) == (27 * c + c) + 4 * (9 * c * c + c) + (9 * c * 48 + 48) + 5 * c


@pytest.mark.parametrize("scale", [2, 4, 8])
def test_compact_step0_is_bicubic(scale):
    torch.manual_seed(1)
    g = build_generator("compact", scale)
    x = torch.rand(3, 3, 32, 32)
    with torch.no_grad():
        assert torch.allclose(g(x), bicubic(x, (32 * scale, 32 * scale)), atol=1e-6, rtol=0)


def test_registry_errors_name_things():
    with pytest.raises(ValueError, match="unknown generator 'nope'.*compact"):
        build_generator("nope")
    with pytest.raises(ValueError, match="no config field"):
        build_generator("compact", widht=3)
    with pytest.raises(ValueError, match="scale"):
        build_generator("seed", 3)


@pytest.mark.parametrize("name", sorted(GENERATORS))
def test_fifty_pixel_steps_halve_the_loss(name):
    """
    A fixed tiny batch: smooth HR images, LR = their bicubic reduction with contrast and
    offset changed (0.6·x + 0.2, a task bicubic alone cannot undo). 50 Adam steps of L1
    cut the loss by ≥ 50 % for every model (compact starts at the bicubic baseline).
    """
    torch.manual_seed(0)
    g = build_generator(name, 4, **SMALL[name])
    yy, xx = torch.meshgrid(torch.linspace(0, 1, 64), torch.linspace(0, 1, 64), indexing="ij")
    hr = torch.stack([0.5 + 0.4 * torch.sin(6 * xx + 3 * yy), 0.5 + 0.3 * torch.cos(5 * yy), 0.3 + 0.4 * xx * yy])
    hr = torch.stack([hr, hr.flip(-1)])
    lr = 0.6 * bicubic(hr, (16, 16)).clamp(0, 1) + 0.2
    opt = torch.optim.Adam(g.parameters(), lr=2e-3 if name != "compact" else 1e-3)
    losses = []
    for _ in range(50):
        loss = F.l1_loss(g(lr), hr)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert losses[-1] <= 0.5 * losses[0], (losses[0], losses[-1])
