"""
GPU training speed — SRResNet pre-training and SRGAN steps
==========================================================

Times the training step of :class:`srgan.models.SRResNet` (16 residual blocks, 64
channels, ×4; Ledig et al. 2017) on random 32×32 → 128×128 batches, and prints a
markdown table of it/s and images/s per variant:

- pre-training step (MSE loss, Adam lr 1e-4) at batch 16 and 64:
  fp32 contiguous; fp32 channels_last; bf16 autocast + channels_last;
  fp16 autocast + GradScaler + channels_last;
- SRGAN step at batch 16 (one generator update with MSE + 1e-3 · adversarial BCE, then
  one discriminator update on real and detached fake; Adam 1e-4 for both): fp32
  contiguous as a reference, bf16 autocast + channels_last, and fp16 autocast +
  GradScaler + channels_last. The perceptual (VGG) term of the full SRGAN loss is
  left out: it needs weights and belongs to :mod:`srgan.losses`.

Each case builds fresh models (seed 0), runs ``--warmup`` steps (20), then times
``--steps`` steps (100) between two ``torch.cuda.synchronize()`` calls. The batch sits
on the device before timing starts, so data loading is not measured. "fp32" convolutions
on Ampere and later use TF32 when ``torch.backends.cudnn.allow_tf32`` is on (the PyTorch
default); the header prints the setting. Use ``--cudnn-benchmark`` to turn on
``torch.backends.cudnn.benchmark`` (autotuned kernels, chosen during the warm-up).

Self-contained: imports :mod:`srgan.models` only (not camsim). Without a GPU it falls
back to the CPU; ``--quick`` (batch 2, 1 warm-up + 2 timed steps) is the smoke test
for that path. The fp16 variants are skipped on the CPU, where fp16 convolutions are
about 100× slower than fp32; their GradScaler code runs in the unit tests.

Run (repository root)::

    python benchmarks/gpu_train_speed.py                      # GPU, about 1-2 min
    python benchmarks/gpu_train_speed.py --cudnn-benchmark
    .venv/bin/python benchmarks/gpu_train_speed.py --quick    # CPU smoke test, < 60 s

References
----------
- Ledig, C. et al. "Photo-Realistic Single Image Super-Resolution Using a Generative
  Adversarial Network", *CVPR* (2017): SRResNet, SRGAN, the 1e-3 adversarial weight.
- Shi, W. et al. "Real-Time Single Image and Video Super-Resolution Using an Efficient
  Sub-Pixel Convolutional Neural Network", *CVPR* (2016): PixelShuffle.
"""

from __future__ import annotations

import argparse
import contextlib
import platform
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import torch
import torch.nn.functional as F

try:
    from srgan.models import (Discriminator, DiscriminatorConfig, SRResNet, SRResNetConfig,
                              count_parameters)
except ModuleNotFoundError:  # run as a script from a checkout that is not pip-installed
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from srgan.models import (Discriminator, DiscriminatorConfig, SRResNet, SRResNetConfig,
                              count_parameters)

__all__ = [
    "Variant", "Result", "PRETRAIN_VARIANTS", "GAN_VARIANTS",
    "make_pretrain_step", "make_gan_step", "measure", "main",
]

LR_SIDE = 32  # pixels; HR side is 4× that
LR_RATE = 1e-4  # Adam learning rate, Ledig et al. (2017)
ADV_WEIGHT = 1e-3  # weight of the adversarial term in the generator loss


@dataclass(frozen=True)
class Variant:
    """Precision and memory layout of one timed case."""

    name: str
    amp_dtype: torch.dtype | None = None  # None: no autocast (fp32 / TF32)
    channels_last: bool = False
    grad_scaler: bool = False  # loss scaling; needed for fp16, a no-op otherwise


@dataclass(frozen=True)
class Result:
    task: str
    variant: str
    batch: int
    seconds_per_step: float
    final_loss: float
    peak_mem_gib: float | None  # CUDA only

    @property
    def it_per_s(self) -> float:
        return 1.0 / self.seconds_per_step

    @property
    def images_per_s(self) -> float:
        return self.batch / self.seconds_per_step


FP32 = Variant("fp32, contiguous")
FP32_CL = Variant("fp32, channels_last", channels_last=True)
BF16_CL = Variant("bf16 autocast, channels_last", torch.bfloat16, channels_last=True)
FP16_CL = Variant("fp16 autocast + GradScaler, channels_last", torch.float16, True, True)
PRETRAIN_VARIANTS = (FP32, FP32_CL, BF16_CL, FP16_CL)
GAN_VARIANTS = (FP32, BF16_CL, FP16_CL)


def _sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def _batch(n: int, device: torch.device, v: Variant, lr_side: int, scale: int
           ) -> tuple[torch.Tensor, torch.Tensor]:
    """Random (LR, HR) pair in [0, 1]: ``(n, 3, lr_side, lr_side)`` and ``scale``× that."""
    fmt = torch.channels_last if v.channels_last else torch.contiguous_format
    lr = torch.rand(n, 3, lr_side, lr_side, device=device).contiguous(memory_format=fmt)
    hr_side = scale * lr_side
    hr = torch.rand(n, 3, hr_side, hr_side, device=device).contiguous(memory_format=fmt)
    return lr, hr


def _models(device: torch.device, v: Variant, g_config: SRResNetConfig,
            d_config: DiscriminatorConfig | None):
    torch.manual_seed(0)
    fmt = torch.channels_last if v.channels_last else torch.contiguous_format
    g = SRResNet(g_config).to(device, memory_format=fmt).train()
    d = None if d_config is None else Discriminator(d_config).to(device, memory_format=fmt).train()
    return g, d


def _autocast(device: torch.device, v: Variant):
    if v.amp_dtype is None:
        return contextlib.nullcontext()
    return torch.autocast(device.type, dtype=v.amp_dtype)


def make_pretrain_step(device: torch.device, v: Variant, batch: int, *,
                       g_config: SRResNetConfig = SRResNetConfig(),
                       lr_side: int = LR_SIDE) -> Callable[[], torch.Tensor]:
    """A closure doing one SRResNet pre-training step; returns the (detached) loss.

    The models, optimiser and one random batch (LR side ``lr_side`` pixels) are built
    once; each call of the closure is one optimiser step on that batch.
    """
    g, _ = _models(device, v, g_config, None)
    opt = torch.optim.Adam(g.parameters(), lr=LR_RATE)
    scaler = torch.amp.GradScaler(device.type, enabled=v.grad_scaler)
    lr, hr = _batch(batch, device, v, lr_side, g_config.scale)

    def step() -> torch.Tensor:
        with _autocast(device, v):
            sr = g(lr)
        loss = F.mse_loss(sr.float(), hr)  # loss in fp32 outside autocast
        opt.zero_grad(set_to_none=True)
        scaler.scale(loss).backward()
        scaler.step(opt)
        scaler.update()
        return loss.detach()

    return step


def make_gan_step(device: torch.device, v: Variant, batch: int, *,
                  g_config: SRResNetConfig = SRResNetConfig(),
                  d_config: DiscriminatorConfig = DiscriminatorConfig(),
                  lr_side: int = LR_SIDE) -> Callable[[], torch.Tensor]:
    """A closure doing one G update then one D update; returns the (detached) G loss.

    Built like :func:`make_pretrain_step`; the HR side ``scale · lr_side`` should equal
    ``d_config.input_size`` (128 by default).
    """
    g, d = _models(device, v, g_config, d_config)
    opt_g = torch.optim.Adam(g.parameters(), lr=LR_RATE)
    opt_d = torch.optim.Adam(d.parameters(), lr=LR_RATE)
    # One scaler per optimiser: each loss has its own scale and its own overflow history.
    scaler_g = torch.amp.GradScaler(device.type, enabled=v.grad_scaler)
    scaler_d = torch.amp.GradScaler(device.type, enabled=v.grad_scaler)
    lr, hr = _batch(batch, device, v, lr_side, g_config.scale)
    ones = torch.ones(batch, 1, device=device)
    zeros = torch.zeros(batch, 1, device=device)

    def step() -> torch.Tensor:
        # Generator: D frozen so this backward pass leaves no gradients on it.
        d.requires_grad_(False)
        with _autocast(device, v):
            sr = g(lr)
            fake_logit = d(sr)
        loss_g = F.mse_loss(sr.float(), hr) + ADV_WEIGHT * F.binary_cross_entropy_with_logits(
            fake_logit.float(), ones)
        opt_g.zero_grad(set_to_none=True)
        scaler_g.scale(loss_g).backward()
        scaler_g.step(opt_g)
        scaler_g.update()

        # Discriminator: sr detached so G receives nothing from D's loss.
        d.requires_grad_(True)
        with _autocast(device, v):
            real_logit, fake_logit = d(hr), d(sr.detach())
        loss_d = (F.binary_cross_entropy_with_logits(real_logit.float(), ones)
                  + F.binary_cross_entropy_with_logits(fake_logit.float(), zeros))
        opt_d.zero_grad(set_to_none=True)
        scaler_d.scale(loss_d).backward()
        scaler_d.step(opt_d)
        scaler_d.update()
        return loss_g.detach()

    return step


def measure(task: str, make: Callable, device: torch.device, v: Variant, batch: int,
            warmup: int, steps: int) -> Result:
    """Warm up, then time ``steps`` calls of the step closure between two syncs."""
    if device.type == "cuda":
        torch.cuda.empty_cache()
        torch.cuda.reset_peak_memory_stats(device)
    step = make(device, v, batch)
    for _ in range(warmup):
        step()
    _sync(device)
    t0 = time.perf_counter()
    for _ in range(steps):
        loss = step()
    _sync(device)
    elapsed = time.perf_counter() - t0
    peak = torch.cuda.max_memory_allocated(device) / 2**30 if device.type == "cuda" else None
    return Result(task, v.name, batch, elapsed / steps, float(loss), peak)


def _header(device: torch.device, args: argparse.Namespace) -> list[str]:
    if device.type == "cuda":
        name = torch.cuda.get_device_name(device)
        stack = f"CUDA {torch.version.cuda}, cuDNN {torch.backends.cudnn.version()}"
    else:
        name = f"CPU ({platform.processor() or platform.machine()}, {torch.get_num_threads()} threads)"
        stack = "CPU fallback"
    g, d = SRResNet(), Discriminator()
    return [
        f"device: {name}",
        f"torch {torch.__version__}, {stack}",
        f"cudnn.benchmark={torch.backends.cudnn.benchmark}, "
        f"cudnn.allow_tf32={torch.backends.cudnn.allow_tf32}, "
        f"matmul.allow_tf32={torch.backends.cuda.matmul.allow_tf32}",
        f"SRResNet {count_parameters(g):,} params, Discriminator {count_parameters(d):,} params; "
        f"LR {LR_SIDE}x{LR_SIDE} -> HR {4 * LR_SIDE}x{4 * LR_SIDE}; "
        f"warm-up {args.warmup} steps, timed {args.steps} steps",
    ]


def _table(results: list[Result]) -> list[str]:
    lines = [
        "| task | variant | batch | it/s | images/s | ms/step | final loss | peak GiB |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        mem = "—" if r.peak_mem_gib is None else f"{r.peak_mem_gib:.2f}"
        lines.append(
            f"| {r.task} | {r.variant} | {r.batch} | {r.it_per_s:.2f} | {r.images_per_s:.1f} "
            f"| {r.seconds_per_step * 1e3:.1f} | {r.final_loss:.4f} | {mem} |"
        )
    return lines


def _skip_reason(device: torch.device, v: Variant) -> str | None:
    if device.type == "cuda" and v.amp_dtype is torch.bfloat16 and not torch.cuda.is_bf16_supported():
        return "this GPU has no bf16"
    if device.type == "cpu" and v.amp_dtype is torch.float16:
        # Correct but ~100x slower than fp32 on CPUs without fp16 conv kernels; the
        # GradScaler path is covered on CPU by tests/srgan/test_gpu_train_speed.py.
        return "fp16 convolutions on the CPU are very slow (not a GPU proxy)"
    return None


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="SRResNet / SRGAN training-step speed.")
    parser.add_argument("--quick", action="store_true",
                        help="smoke test: batch 2, 1 warm-up step, 2 timed steps")
    parser.add_argument("--cudnn-benchmark", action="store_true",
                        help="set torch.backends.cudnn.benchmark = True")
    parser.add_argument("--cpu", action="store_true", help="run on the CPU even if CUDA is there")
    parser.add_argument("--warmup", type=int, default=None, help="warm-up steps (default 20)")
    parser.add_argument("--steps", type=int, default=None, help="timed steps (default 100)")
    args = parser.parse_args(argv)
    args.warmup = args.warmup if args.warmup is not None else (1 if args.quick else 20)
    args.steps = args.steps if args.steps is not None else (2 if args.quick else 100)
    if args.warmup < 0 or args.steps < 1:
        parser.error(f"need --warmup >= 0 and --steps >= 1; got {args.warmup}, {args.steps}")
    pretrain_batches = (2,) if args.quick else (16, 64)
    gan_batch = 2 if args.quick else 16

    device = torch.device("cuda" if torch.cuda.is_available() and not args.cpu else "cpu")
    torch.backends.cudnn.benchmark = args.cudnn_benchmark
    for line in _header(device, args):
        print(line, flush=True)

    results: list[Result] = []
    cases = [("pretrain (MSE)", make_pretrain_step, v, b)
             for b in pretrain_batches for v in PRETRAIN_VARIANTS]
    cases += [("GAN (G + D)", make_gan_step, v, gan_batch) for v in GAN_VARIANTS]
    for task, make, v, batch in cases:
        reason = _skip_reason(device, v)
        if reason:
            print(f"  skip {task} / {v.name}: {reason}", flush=True)
            continue
        r = measure(task, make, device, v, batch, args.warmup, args.steps)
        print(f"  {task:<15} {v.name:<45} batch {batch:>3}: {r.it_per_s:8.2f} it/s "
              f"{r.images_per_s:9.1f} img/s", flush=True)
        results.append(r)
    print()
    print("\n".join(_table(results)))


if __name__ == "__main__":
    main()
