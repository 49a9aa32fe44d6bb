"""Helper for the training tests: a deterministic in-memory pair dataset, tiny run
configs, and a command-line entry (``python _train_helper.py OUT STEPS …``) that the
tests start in subprocesses (SIGKILL, torchrun)."""

from __future__ import annotations

import argparse
import os
import signal
import sys

import torch
from torch.utils.data import Dataset

from srgan.losses import LossRecipe
from srgan.resample import bicubic
from srgan.train import TrainConfig, train


class Pairs(Dataset):
    """``n`` random HR images (3×32×32 by default) and their bicubic LR; ``kill_after`` items → SIGKILL."""

    def __init__(self, n: int = 24, hr: int = 32, scale: int = 4, seed: int = 0, kill_after: int | None = None,
                 channels: int = 3, sigint_after: int | None = None) -> None:
        g = torch.Generator().manual_seed(seed)
        self.hr = torch.rand(n, channels, hr, hr, generator=g)
        self.lr = bicubic(self.hr, (hr // scale, hr // scale)).clamp(0, 1)
        self.kill_after, self.sigint_after, self.calls = kill_after, sigint_after, 0

    def __len__(self) -> int:
        return len(self.hr)

    def __getitem__(self, i: int):
        self.calls += 1
        if self.kill_after is not None and self.calls > self.kill_after:
            os.kill(os.getpid(), signal.SIGKILL)  # as if the machine went away mid-run
        if self.sigint_after is not None and self.calls == self.sigint_after + 1:
            os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C while a batch is being loaded
        return self.lr[i], self.hr[i]


def tiny_config(**kw) -> TrainConfig:
    """srresnet-shaped tiny run with both phases (BN, D, two optimisers, EMA): the full state."""
    base = dict(model="srresnet", model_config=(("channels", 8), ("n_blocks", 1)),
                disc_config=(("channels", 4), ("input_size", 32), ("dense", 8)), batch_size=4,
                pretrain_steps=4, gan_steps=6, lr=1e-3, lr_d=1e-3, ema_decay=0.9, val_every=0, ckpt_every=5,
                log_every=1, progress=False, pixel_loss=LossRecipe((("l1", 1.0),)),
                gan_loss=LossRecipe((("l1", 1.0), ("fft", 0.1))))
    base.update(kw)
    return TrainConfig(**base)


def compact_config(**kw) -> TrainConfig:
    base = dict(model="compact", model_config=(("channels", 8), ("n_conv", 1)), batch_size=8, pretrain_steps=20,
                gan_steps=0, lr=1e-3, val_every=0, ckpt_every=0, log_every=5, progress=False,
                pixel_loss=LossRecipe((("l1", 1.0),)))
    base.update(kw)
    return TrainConfig(**base)


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("--kind", choices=("tiny", "compact"), default="tiny")
    p.add_argument("--kill-after-items", type=int, default=None)
    p.add_argument("--resume", action="store_true")
    args = p.parse_args()
    torch.set_num_threads(1)
    cfg = tiny_config() if args.kind == "tiny" else compact_config()
    summary = train(cfg, Pairs(kill_after=args.kill_after_items), None, args.out, resume=args.resume)
    if torch.distributed.is_initialized():  # each rank writes what it holds
        from safetensors.torch import save_file

        rank = torch.distributed.get_rank()
        os.makedirs(os.path.join(args.out, "ranks"), exist_ok=True)
        save_file(summary["generator"].state_dict(), os.path.join(args.out, "ranks", f"rank{rank}.safetensors"))
        torch.distributed.destroy_process_group()


if __name__ == "__main__":
    sys.exit(main())
