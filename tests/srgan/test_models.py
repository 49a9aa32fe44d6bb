"""Tests for :mod:`srgan.models`: shapes, analytic parameter counts (Ledig et al. 2017,
Fig. 4), config validation, memory-format and autocast invariance, determinism, and a
one-pair overfit sanity check."""

from __future__ import annotations

import math

import pytest
import torch
import torch.nn.functional as F

from srgan.models import (
    Discriminator,
    DiscriminatorConfig,
    SRResNet,
    SRResNetConfig,
    count_parameters,
)

TOLERANCE_MEMORY_FORMAT = 1e-5  # channels_last vs contiguous: same maths, other loop order
TINY = SRResNetConfig(channels=16, n_blocks=2)  # fast generator for the training checks
TINY_D = DiscriminatorConfig(channels=8, input_size=32, dense=32)


def _conv(k: int, cin: int, cout: int) -> int:
    """Weights k·k·cin·cout plus one bias per output channel."""
    return k * k * cin * cout + cout


def _bn(c: int) -> int:
    """Affine scale and shift per channel (running statistics are buffers)."""
    return 2 * c


PRELU = 1  # nn.PReLU() defaults to num_parameters=1: one slope shared by all channels


# --------------------------------------------------------------------------- SRResNet


@pytest.mark.parametrize("scale, lr_side, hr_side", [(4, 32, 128), (2, 32, 64), (8, 8, 64)])
def test_srresnet_output_shape(scale, lr_side, hr_side):
    net = SRResNet(SRResNetConfig(channels=16, n_blocks=1, scale=scale)).eval()
    with torch.no_grad():
        out = net(torch.rand(2, 3, lr_side, lr_side))
    assert out.shape == (2, 3, hr_side, hr_side)
    assert out.dtype == torch.float32


def test_srresnet_default_is_paper_network_32_to_128():
    net = SRResNet().eval()
    assert net.config == SRResNetConfig(
        in_channels=3, channels=64, n_blocks=16, scale=4, large_kernel=9, small_kernel=3
    )
    with torch.no_grad():
        assert net(torch.rand(1, 3, 32, 32)).shape == (1, 3, 128, 128)


def test_srresnet_parameter_count_matches_layer_formula():
    """SRResNet of Ledig et al. (2017), Fig. 4, B = 16, 64 channels, ×4, biases on every conv."""
    c, b, rgb = 64, 16, 3
    head = _conv(9, rgb, c) + PRELU
    block = 2 * _conv(3, c, c) + 2 * _bn(c) + PRELU
    trunk_tail = _conv(3, c, c) + _bn(c)
    upsample_stage = _conv(3, c, 4 * c) + PRELU  # PixelShuffle has no parameters
    tail = _conv(9, c, rgb)
    expected = head + b * block + trunk_tail + int(math.log2(4)) * upsample_stage + tail
    assert expected == 1_549_462
    assert count_parameters(SRResNet()) == expected


def test_count_parameters_trainable_only():
    net = SRResNet(TINY)
    total = count_parameters(net)
    net.head.requires_grad_(False)
    frozen = count_parameters(net.head)
    assert count_parameters(net, trainable_only=True) == total - frozen
    assert count_parameters(net) == total


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"scale": 3}, "scale"),
        ({"scale": 16}, "scale"),
        ({"scale": 1}, "scale"),
        ({"scale": True}, "scale"),
        ({"channels": 0}, "channels"),
        ({"channels": 32.0}, "channels"),
        ({"n_blocks": -1}, "n_blocks"),
        ({"in_channels": True}, "in_channels"),
        ({"large_kernel": 8}, "large_kernel"),
        ({"small_kernel": 0}, "small_kernel"),
    ],
)
def test_srresnet_config_rejects_bad_values(kwargs, field):
    with pytest.raises(ValueError, match=rf"SRResNetConfig\.{field}\b"):
        SRResNetConfig(**kwargs)


def test_srresnet_rejects_non_config():
    with pytest.raises(TypeError, match="SRResNetConfig"):
        SRResNet({"channels": 16})  # type: ignore[arg-type]


def test_srresnet_config_n_upsample():
    assert [SRResNetConfig(scale=s).n_upsample for s in (2, 4, 8)] == [1, 2, 3]


@pytest.mark.parametrize("train", [False, True], ids=["eval", "train"])
def test_srresnet_channels_last_matches_contiguous(train):
    torch.manual_seed(0)
    net = SRResNet(SRResNetConfig(n_blocks=4)).train(train)
    x = torch.rand(2, 3, 32, 32)
    with torch.no_grad():
        ref = net(x)
        net_cl = net.to(memory_format=torch.channels_last)
        out = net_cl(x.contiguous(memory_format=torch.channels_last))
    assert out.shape == ref.shape
    torch.testing.assert_close(out, ref, rtol=TOLERANCE_MEMORY_FORMAT, atol=TOLERANCE_MEMORY_FORMAT)


def test_srresnet_same_seed_same_weights_and_output():
    x = torch.rand(1, 3, 16, 16)
    outs, states = [], []
    for _ in range(2):
        torch.manual_seed(1234)
        net = SRResNet(TINY).eval()
        states.append(net.state_dict())
        with torch.no_grad():
            outs.append(net(x))
    for name, tensor in states[0].items():
        torch.testing.assert_close(tensor, states[1][name], rtol=0, atol=0)
    torch.testing.assert_close(outs[0], outs[1], rtol=0, atol=0)
    torch.manual_seed(4321)
    assert not torch.equal(SRResNet(TINY).eval()(x).detach(), outs[0])


@pytest.mark.parametrize("dtype", [torch.bfloat16, torch.float16])
def test_srresnet_and_discriminator_under_autocast(dtype):
    """Forward and backward under CPU autocast stay finite and close to fp32."""
    torch.manual_seed(0)
    g, d = SRResNet(TINY), Discriminator(TINY_D)
    g, d = g.to(memory_format=torch.channels_last), d.to(memory_format=torch.channels_last)
    lr = torch.rand(2, 3, 8, 8).contiguous(memory_format=torch.channels_last)
    hr = torch.rand(2, 3, 32, 32)
    with torch.no_grad():
        ref_sr = g(lr)
    with torch.autocast("cpu", dtype=dtype):
        sr = g(lr)
        logit = d(sr)
        loss = F.mse_loss(sr.float(), hr) + F.binary_cross_entropy_with_logits(
            logit.float(), torch.ones_like(logit, dtype=torch.float32)
        )
    loss.backward()
    assert sr.dtype == dtype and logit.shape == (2, 1)
    assert torch.isfinite(loss)
    assert all(torch.isfinite(p.grad).all() for p in [*g.parameters(), *d.parameters()])
    # bf16 keeps 8 significant bits; after ~10 layers the error stays well below 0.05.
    torch.testing.assert_close(sr.float(), ref_sr, rtol=0.05, atol=0.05)


def test_srresnet_overfits_one_pair():
    """Sanity: 50 Adam steps on one 8×8 → 32×32 pair cut the MSE by ≥ 10×."""
    torch.manual_seed(0)
    net = SRResNet(TINY)
    yy, xx = torch.meshgrid(torch.linspace(0, 1, 32), torch.linspace(0, 1, 32), indexing="ij")
    hr = torch.stack([0.5 + 0.4 * torch.sin(6 * xx + ch) * torch.cos(4 * yy) for ch in range(3)])
    hr = hr[None]  # (1, 3, 32, 32), values in [0.1, 0.9]
    lr = F.avg_pool2d(hr, 4)  # (1, 3, 8, 8)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    with torch.no_grad():
        before = F.mse_loss(net(lr), hr).item()
    for _ in range(50):
        loss = F.mse_loss(net(lr), hr)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
    with torch.no_grad():
        after = F.mse_loss(net(lr), hr).item()
    assert after * 10 <= before, f"MSE {before:.4f} -> {after:.4f}"


# ------------------------------------------------------------------------ Discriminator


@pytest.mark.parametrize("side", [128, 96, 16, 200])
def test_discriminator_logit_shape(side):
    d = Discriminator().eval()
    with torch.no_grad():
        out = d(torch.rand(3, 3, side, side))
    assert out.shape == (3, 1)


def test_discriminator_parameter_count_matches_paper_flatten():
    """At its input size the pooling is the identity: counts equal the paper's flatten → dense."""
    widths = (64, 64, 128, 128, 256, 256, 512, 512)
    cin, expected = 3, 0
    for i, cout in enumerate(widths):
        expected += _conv(3, cin, cout) + (_bn(cout) if i > 0 else 0)
        cin = cout
    expected += (512 * 8 * 8) * 1024 + 1024  # flatten 512 × (128/16)² → dense 1024
    expected += 1024 * 1 + 1  # dense 1 (logit)
    assert count_parameters(Discriminator()) == expected


def test_discriminator_pool_is_identity_at_input_size():
    d = Discriminator(TINY_D).eval()
    x = torch.rand(2, 3, 32, 32)
    with torch.no_grad():
        feat = d.features(x)
        assert feat.shape[-2:] == (2, 2)
        torch.testing.assert_close(d.pool(feat), feat, rtol=0, atol=0)


def test_discriminator_channels_last_matches_contiguous():
    torch.manual_seed(0)
    d = Discriminator(DiscriminatorConfig(channels=16, input_size=64, dense=64)).eval()
    x = torch.rand(2, 3, 64, 64)
    with torch.no_grad():
        ref = d(x)
        out = d.to(memory_format=torch.channels_last)(x.contiguous(memory_format=torch.channels_last))
    torch.testing.assert_close(out, ref, rtol=TOLERANCE_MEMORY_FORMAT, atol=TOLERANCE_MEMORY_FORMAT)


def test_discriminator_rejects_small_input():
    with pytest.raises(ValueError, match="H, W >= 16"):
        Discriminator(TINY_D)(torch.rand(1, 3, 8, 32))


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"input_size": 100}, "input_size"),
        ({"input_size": 0}, "input_size"),
        ({"channels": -64}, "channels"),
        ({"dense": 0}, "dense"),
        ({"negative_slope": 1.5}, "negative_slope"),
    ],
)
def test_discriminator_config_rejects_bad_values(kwargs, field):
    with pytest.raises(ValueError, match=rf"DiscriminatorConfig\.{field}\b"):
        DiscriminatorConfig(**kwargs)
