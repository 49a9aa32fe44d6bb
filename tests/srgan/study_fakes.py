"""Tiny stand-in generators and a stand-in ``srgan.weights`` for the evaluate/analyze/upscale tests."""

from __future__ import annotations

import sys
import types

import imageio.v3 as iio
import numpy as np
import torch
from torch import nn

from srgan.resample import bicubic


class BicubicNet(nn.Module):
    """A "generator" that is exactly the package's bicubic baseline (SR == bicubic)."""

    def __init__(self, scale: int = 4):
        super().__init__()
        self.scale = scale

    def forward(self, x):
        return bicubic(x, (self.scale * x.shape[-2], self.scale * x.shape[-1]))


class ConvNet(nn.Module):
    """Two 3×3 convolutions + pixel shuffle: receptive-field radius 2 LR pixels."""

    def __init__(self, scale: int = 4, seed: int = 0):
        super().__init__()
        torch.manual_seed(seed)
        self.body = nn.Sequential(nn.Conv2d(3, 12, 3, padding=1), nn.ReLU(),
                                  nn.Conv2d(12, 3 * scale * scale, 3, padding=1), nn.PixelShuffle(scale))

    def forward(self, x):
        return self.body(x) * 0.2 + 0.5


MODELS = {
    "bicubic_x4_sr": (lambda: BicubicNet(4), {"scale": 4, "task": "sr"}),
    "bicubic_x2_sr": (lambda: BicubicNet(2), {"scale": 2, "task": "sr"}),
    "bicubic_x4_color": (lambda: BicubicNet(4), {"scale": 4, "task": "sr_color"}),
    "conv_x2": (lambda: ConvNet(2), {"scale": 2}),
}


def install_fake_weights(monkeypatch):
    """Put a ``srgan.weights`` with ``load_generator(name) -> (module, meta)`` in ``sys.modules``."""
    mod = types.ModuleType("srgan.weights")

    def load_generator(name):
        if name not in MODELS:
            raise FileNotFoundError(f"no weights file or shipped model named {name!r}")
        make, meta = MODELS[name]
        return make(), dict(meta)

    mod.load_generator = load_generator
    monkeypatch.setitem(sys.modules, "srgan.weights", mod)


def smooth_image(rows: int, cols: int, seed: int = 0) -> np.ndarray:
    """A smooth colourful test image, float in [0, 1]."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:rows, 0:cols] / max(rows, cols)
    ph = rng.uniform(0, 2 * np.pi, 3)
    f = rng.uniform(2, 6, 3)
    return np.stack([0.5 + 0.4 * np.sin(2 * np.pi * f[k] * (x + 0.7 * y) + ph[k]) for k in range(3)], axis=-1)


def write_png(path, image: np.ndarray) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    iio.imwrite(path, np.round(np.clip(image, 0, 1) * 255).astype(np.uint8))
