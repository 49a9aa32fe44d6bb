"""
Benchmark — generator training steps on CPU
===========================================

Steps per second of one pixel-loss training step (forward 32×32 → 128×128, L1 loss,
backward, Adam update, EMA update) at batch 16 on 2 CPU threads, for the registry's
``compact`` generator (the CPU-budget model; target ≥ 15 steps/s) and ``srresnet``
(Ledig et al. 2017, recorded). The ``compact`` row's baseline, in the same process, is
the same step of ``srresnet``: the ratio is how many times faster compact trains. A
third row runs :func:`srgan.train.train` itself (in-memory random pairs, no validation
or checkpoints) for the whole-loop rate, data loading and logging included.

The machine is shared: the load average printed with the results says how many other
processes competed for its 2 cores while timing.

Run: ``.venv/bin/python -m benchmarks train`` or ``.venv/bin/python benchmarks/bench_train.py``
(``--quick`` for a smoke run)
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import torch
import torch.nn.functional as F

try:
    from benchmarks._harness import Row, load_average, median_time, print_rows
except ModuleNotFoundError:  # run as a file
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from benchmarks._harness import Row, load_average, median_time, print_rows
from srgan.models import build_generator, count_flops, count_parameters

__all__ = ["BATCH", "THREADS", "TARGET_STEPS_S", "NOTES", "rows", "main"]

BATCH = 16
THREADS = 2
LR_SIDE = 32
TARGET_STEPS_S = 15.0
NOTES = [
    "train_step_cpu: one pixel-loss step = forward, L1, backward, Adam, EMA update; batch 16, 32->128, "
    "torch.set_num_threads(2), random data already in memory; the machine's 2 cores are shared with other "
    "engineers' jobs (see the load average), so rates are lower bounds of an idle machine."
]


def _step_fn(name: str):
    torch.manual_seed(0)
    g = build_generator(name, 4)
    ema = build_generator(name, 4).requires_grad_(False)
    opt = torch.optim.Adam(g.parameters(), lr=1e-4)
    x = torch.rand(BATCH, 3, LR_SIDE, LR_SIDE)
    y = torch.rand(BATCH, 3, 4 * LR_SIDE, 4 * LR_SIDE)

    def step():
        loss = F.l1_loss(g(x), y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        with torch.no_grad():
            for pe, p in zip(ema.parameters(), g.parameters()):
                pe.lerp_(p, 1e-3)

    return g, step


def _loop_rate(steps: int) -> float:
    from torch.utils.data import TensorDataset

    from srgan.losses import LossRecipe
    from srgan.train import TrainConfig, train

    data = TensorDataset(torch.rand(256, 3, LR_SIDE, LR_SIDE), torch.rand(256, 3, 4 * LR_SIDE, 4 * LR_SIDE))
    cfg = TrainConfig(model="compact", batch_size=BATCH, pretrain_steps=steps, val_every=0, ckpt_every=0,
                      log_every=steps, progress=False, pixel_loss=LossRecipe((("l1", 1.0),)))
    with tempfile.TemporaryDirectory() as tmp:
        import contextlib
        import io

        with contextlib.redirect_stdout(io.StringIO()):
            t0 = time.perf_counter()
            train(cfg, data, None, tmp)
            return steps / (time.perf_counter() - t0)


def rows(quick: bool = False) -> list[Row]:
    torch.set_num_threads(THREADS)
    repeat = 3 if quick else 20
    load = load_average()
    out = []
    times = {}
    for name in ("compact", "srresnet"):
        g, step = _step_fn(name)
        times[name] = median_time(step, repeat=repeat if name == "compact" else max(3, repeat // 4), warmup=2)
        times[name + "_info"] = f"{count_parameters(g):,} params, {count_flops(g) / 1e6:.0f} MFLOPs/32x32"
    rate = 1.0 / times["compact"]
    out.append(Row(benchmark="train_step_cpu", case=f"compact, batch {BATCH}, 32->128, {THREADS} threads",
                   ours_s=times["compact"], baseline_s=times["srresnet"], baseline="srresnet step",
                   extra=f"{rate:.1f} steps/s; {times['compact_info']}; load {load}",
                   target=f"≥ {TARGET_STEPS_S:g} steps/s", met=rate >= TARGET_STEPS_S))
    out.append(Row(benchmark="train_step_cpu", case=f"srresnet 16x64, batch {BATCH}, 32->128, {THREADS} threads",
                   ours_s=times["srresnet"], extra=f"{1 / times['srresnet']:.2f} steps/s; {times['srresnet_info']}"))
    n = 20 if quick else 200
    loop = _loop_rate(n)
    out.append(Row(benchmark="train_loop_cpu", case=f"srgan.train.train, compact, {n} steps, batch {BATCH}",
                   ours_s=1.0 / loop, extra=f"{loop:.1f} steps/s incl. data loader, EMA, CSV log; load {load_average()}",
                   target=f"≥ {TARGET_STEPS_S:g} steps/s", met=loop >= TARGET_STEPS_S))
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    parser.add_argument("--quick", action="store_true", help="few repeats")
    args = parser.parse_args(argv)
    print_rows(rows(quick=args.quick))


if __name__ == "__main__":
    main()
