"""
``srgan train`` — train a generator on a prepared cache
=======================================================

::

    srgan train --task sr --data CACHE --out RUN [--model compact] [--steps 1000] [--gan-steps 0] ...
    srgan train ... --resume                     # continue RUN/checkpoint.pt exactly
    torchrun --nproc_per_node=2 -m srgan train ...   # DistributedDataParallel

The cache is read through :mod:`srgan.data` (``read_manifest``, ``PairDataset``); its task
must be ``--task``. The loop itself is :func:`srgan.train.train`.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import UsageError

__all__ = ["add_arguments", "run"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from ..losses import ADVERSARIAL, VGG_LAYERS
    from ..models import GENERATORS
    from ..train import AMP, SCHEDULES

    a = parser.add_argument
    a("--task", required=True, help="task name; must match the cache's manifest")
    a("--data", required=True, metavar="CACHE", help="cache folder written by `srgan prepare`")
    a("--out", required=True, metavar="RUN", help="run folder (checkpoint, logs, exported weights)")
    a("--model", default="srresnet", help=f"generator: {', '.join(GENERATORS)} (default srresnet)")
    a("--steps", type=int, default=1000, help="phase 1 pixel-loss pre-training steps (0 skips)")
    a("--gan-steps", type=int, default=0, help="phase 2 adversarial steps (0 skips)")
    a("--batch-size", type=int, default=16, help="global batch size (split over torchrun processes)")
    a("--lr", type=float, default=1e-4, help="generator Adam learning rate (paper 1e-4, study 2e-4)")
    a("--lr-d", type=float, default=None, help="discriminator learning rate (default: --lr)")
    a("--beta1", type=float, default=0.9, help="Adam beta1 (paper 0.9, study 0.5)")
    a("--schedule", choices=SCHEDULES, default="cosine", help="LR schedule within each phase")
    a("--pixel-loss", default="mse=1", help="phase 1 recipe, e.g. 'l1=1,fft=0.05' (l1 charbonnier mse fft ssim msssim vgg deltae)")
    a("--gan-loss", default="mse=1,vgg=0.006", help="phase 2 content recipe (the adversarial term is added)")
    a("--adversarial", choices=ADVERSARIAL, default="bce", help="bce (SRGAN) or ragan (ESRGAN)")
    a("--adv-weight", type=float, default=1e-3, help="adversarial weight (SRGAN 1e-3)")
    a("--vgg-weights", default=None, metavar="PATH",
      help="torchvision VGG19 state dict (.pth/.safetensors); without it a seeded random VGG19 is used")
    a("--vgg-layer", choices=sorted(VGG_LAYERS), default="conv5_4", help="VGG feature layer (paper conv5_4, study block3_conv3)")
    a("--ema-decay", type=float, default=0.999, help="EMA decay of the generator's weights (validation and export)")
    a("--no-ema-warmup", action="store_true", help="constant EMA decay from step 1 (default: min(decay, (1+n)/(10+n)))")
    a("--val-every", type=int, default=500)
    a("--ckpt-every", type=int, default=500)
    a("--log-every", type=int, default=10)
    a("--seed", type=int, default=0)
    a("--device", default="auto", help="auto (CUDA → MPS → CPU), cpu, cuda, mps")
    a("--amp", choices=AMP, default="bf16", help="CUDA autocast dtype (none: fp32)")
    a("--workers", type=int, default=0, help="data-loader worker processes")
    a("--sync-bn", action="store_true", help="SyncBatchNorm under torchrun")
    a("--no-progress", action="store_true", help="no tqdm bar")
    a("--resume", nargs="?", const=True, default=False, metavar="CKPT",
      help="continue RUN/checkpoint.pt (or the checkpoint given)")


def run(args: argparse.Namespace) -> int:
    from ..losses import LossRecipe
    from ..train import TrainConfig, train

    try:
        from ..data import PairDataset, read_manifest
    except ImportError as exc:
        raise UsageError(f"srgan.data is not available ({exc}); cannot read a cache") from None
    cache = Path(args.data)
    if not cache.is_dir():
        raise UsageError(f"--data {str(cache)!r} is not a folder (prepare one with `srgan prepare`)")
    manifest = read_manifest(cache)
    task = manifest.get("task", {}) if isinstance(manifest, dict) else {}
    if task.get("name") != args.task:
        raise UsageError(f"--data {str(cache)!r} holds task {task.get('name')!r} pairs, not --task {args.task!r}")
    scale = int(task.get("scale", 4))
    if args.resume is not True and args.resume is not False and not Path(args.resume).is_file():
        raise UsageError(f"--resume {args.resume!r}: checkpoint not found")
    if args.resume is True and not (Path(args.out) / "checkpoint.pt").is_file():
        raise UsageError(f"--resume: {str(Path(args.out) / 'checkpoint.pt')!r} not found")
    if args.vgg_weights is not None and not Path(args.vgg_weights).is_file():
        from ..losses import VGG_HINT

        raise UsageError(f"--vgg-weights {args.vgg_weights!r} not found; {VGG_HINT}")
    vgg = dict(vgg_layer=args.vgg_layer, vgg_weights=args.vgg_weights)
    cfg = TrainConfig(
        model=args.model, scale=scale, seed=args.seed, batch_size=args.batch_size,
        pretrain_steps=args.steps, gan_steps=args.gan_steps, lr=args.lr,
        lr_d=args.lr if args.lr_d is None else args.lr_d, betas=(args.beta1, 0.999), schedule=args.schedule,
        pixel_loss=LossRecipe.parse(args.pixel_loss, **vgg), gan_loss=LossRecipe.parse(args.gan_loss, **vgg),
        adversarial=args.adversarial, adv_weight=args.adv_weight, ema_decay=args.ema_decay, ema_warmup=not args.no_ema_warmup,
        log_every=args.log_every, val_every=args.val_every, ckpt_every=args.ckpt_every, device=args.device,
        amp=args.amp, num_workers=args.workers, sync_bn=args.sync_bn, progress=not args.no_progress,
    )
    train_set = PairDataset(cache, split="train", augment=True)
    val_set = PairDataset(cache, split="val", augment=False)
    meta = {
        "task": args.task, "scale": scale, "camera_config_hash": manifest.get("config_hash"),
        "data": {"cache": str(cache.resolve()), "train_pairs": len(train_set), "val_pairs": len(val_set),
                 "lr_size": task.get("lr_size"), "hr_size": task.get("hr_size")},
    }
    train(cfg, train_set, val_set, args.out, resume=args.resume, meta=meta)
    return 0
