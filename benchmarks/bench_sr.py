"""
Benchmark — SRResNet inference on CPU
=====================================

Time per 32×32 → 128×128 image of the default :class:`srgan.models.SRResNet`
(16 residual blocks, 64 channels, ×4; Ledig et al. 2017) at batch 1 and batch 64, in
eval mode under :func:`torch.inference_mode`, with ``torch.set_num_threads(os.cpu_count())``.
The baseline, in the same process on the same batch, is bicubic upsampling with
``torch.nn.functional.interpolate(mode="bicubic")``. Bicubic is far cheaper, so the
harness ratio (bicubic time / SRResNet time, as everywhere in :mod:`benchmarks._harness`)
is well below 1 and prints as ``×0.0``; the row's extra field gives the inverse,
SRResNet time / bicubic time (> 1: slower than bicubic). It is there for context, not
as a target. Times are per image (batch time / batch size).

One warm-up call, then the median of ``REPEATS`` runs. Weights are random: the
time does not depend on the values.

References
----------
- Ledig, C. et al. "Photo-Realistic Single Image Super-Resolution Using a Generative
  Adversarial Network", *CVPR* (2017).
- Shi, W. et al. "Real-Time Single Image and Video Super-Resolution Using an Efficient
  Sub-Pixel Convolutional Neural Network", *CVPR* (2016).

Run: ``.venv/bin/python -m benchmarks.bench_sr`` or ``.venv/bin/python benchmarks/bench_sr.py``
(``--quick`` for a smoke run)
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import torch
import torch.nn.functional as F

try:
    from benchmarks._harness import Row, median_time, print_rows
except ModuleNotFoundError:  # run as a file: python benchmarks/bench_sr.py
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from benchmarks._harness import Row, median_time, print_rows
from srgan.models import SRResNet, SRResNetConfig

__all__ = ["REPEATS", "LR_SIDE", "BATCHES", "NOTES", "rows", "main"]

REPEATS = 5  # timed runs per case (after one warm-up)
LR_SIDE = 32  # input side in pixels; output is 4× that
BATCHES = (1, 64)
QUICK_BATCHES = (1, 4)
QUICK_REPEATS = 2
NOTES = [
    "sr_inference_cpu: the baseline is bicubic interpolation, about 100-200x cheaper than "
    "SRResNet, so the ratio is far below 1 by nature (context, not a target); times are per "
    "image, weights random, eval mode under torch.inference_mode()."
]


def rows(quick: bool = False) -> list[Row]:
    """Per-image inference time, SRResNet vs bicubic, one row per batch size."""
    torch.set_num_threads(os.cpu_count() or 1)
    torch.manual_seed(0)
    cfg = SRResNetConfig()
    net = SRResNet(cfg).eval()
    batches, repeat = (QUICK_BATCHES, QUICK_REPEATS) if quick else (BATCHES, REPEATS)
    hr_side = LR_SIDE * cfg.scale
    out = []
    for n in batches:
        x = torch.rand(n, cfg.in_channels, LR_SIDE, LR_SIDE)

        def ours(x=x):
            with torch.inference_mode():
                return net(x)

        def bicubic(x=x):
            with torch.inference_mode():
                return F.interpolate(x, scale_factor=cfg.scale, mode="bicubic", align_corners=False)

        t_ours = median_time(ours, repeat=repeat) / n
        t_bic = median_time(bicubic, repeat=repeat) / n
        out.append(
            Row(
                benchmark="sr_inference_cpu",
                case=f"SRResNet {cfg.n_blocks}x{cfg.channels} {LR_SIDE}->{hr_side}, batch {n}",
                ours_s=t_ours,
                baseline_s=t_bic,
                baseline="bicubic",
                extra=(
                    f"per image; {1 / t_ours:.1f} img/s vs {1 / t_bic:.0f} img/s bicubic; "
                    f"SRResNet/bicubic time {t_ours / t_bic:.0f}x; "
                    f"{torch.get_num_threads()} threads"
                ),
            )
        )
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    parser.add_argument("--quick", action="store_true", help="small batches, few repeats")
    args = parser.parse_args(argv)
    print_rows(rows(quick=args.quick))


if __name__ == "__main__":
    main()
