"""Smoke test of the training-step closures in ``benchmarks/gpu_train_speed.py`` on the CPU,
with tiny models, for every variant, including the fp16 + GradScaler path that the script
itself skips on the CPU."""

from __future__ import annotations

import importlib.util
import math
import sys
from pathlib import Path

import pytest
import torch

from srgan.models import DiscriminatorConfig, SRResNetConfig


def _load_script():
    """Import the script by path: it is run as a file, and ``benchmarks`` need not be on sys.path."""
    path = Path(__file__).resolve().parents[2] / "benchmarks" / "gpu_train_speed.py"
    spec = importlib.util.spec_from_file_location("_gpu_train_speed_under_test", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolve annotations through sys.modules
    spec.loader.exec_module(module)
    return module


gts = _load_script()

TINY_G = SRResNetConfig(channels=8, n_blocks=1)
TINY_D = DiscriminatorConfig(channels=4, input_size=32, dense=8)
LR_SIDE = 8  # 8×8 -> 32×32 batches
CPU = torch.device("cpu")


@pytest.mark.parametrize("variant", gts.PRETRAIN_VARIANTS, ids=lambda v: v.name)
def test_pretrain_step_runs_and_updates(variant):
    step = gts.make_pretrain_step(CPU, variant, 2, g_config=TINY_G, lr_side=LR_SIDE)
    losses = [float(step()) for _ in range(2)]
    assert all(math.isfinite(x) for x in losses)
    assert losses[-1] != losses[0]  # the optimiser stepped


@pytest.mark.parametrize("variant", gts.GAN_VARIANTS, ids=lambda v: v.name)
def test_gan_step_runs(variant):
    step = gts.make_gan_step(CPU, variant, 2, g_config=TINY_G, d_config=TINY_D,
                              lr_side=LR_SIDE)
    losses = [float(step()) for _ in range(2)]
    assert all(math.isfinite(x) for x in losses)


def test_measure_reports_throughput():
    def make(device, variant, batch):
        return gts.make_pretrain_step(device, variant, batch, g_config=TINY_G, lr_side=LR_SIDE)

    r = gts.measure("pretrain (MSE)", make, CPU, gts.FP32, 2, warmup=0, steps=1)
    assert r.batch == 2 and r.seconds_per_step > 0 and r.peak_mem_gib is None
    assert r.images_per_s == pytest.approx(2 * r.it_per_s)
