"""``srgan prepare``: simulate a task's camera on images → LR/HR pair shards + manifest (:func:`srgan.data.prepare`)."""

from __future__ import annotations

import os

from ..errors import UsageError

__all__ = ["add_arguments", "run"]


def add_arguments(parser) -> None:
    from ..tasks import MODES, task_names

    parser.add_argument("--task", required=True, choices=task_names(), help="degradation to learn")
    parser.add_argument("--out", required=True, help="cache folder (shards + manifest.json)")
    parser.add_argument("--images", nargs="+", metavar="DIR", help="HR image folders (recursive); with --val-images: training only")
    parser.add_argument("--val-images", nargs="+", metavar="DIR", help="validation image folders (explicit split)")
    parser.add_argument("--embedded", action="store_true", default=None,
                        help="add the photos bundled in installed wheels (default when no --images)")
    parser.add_argument("--dead-leaves", type=int, default=0, metavar="N", help="add N procedural dead-leaves images")
    parser.add_argument("--dead-leaves-size", type=int, default=256, metavar="PX")
    parser.add_argument("--mode", choices=MODES, default="whole", help="whole images (the study) or HR patches")
    parser.add_argument("--patches", type=int, default=8, help="crops per image in patches mode")
    parser.add_argument("--scale", type=int, default=4, choices=(2, 4, 8))
    parser.add_argument("--lr-size", type=int, default=32)
    parser.add_argument("--val-fraction", type=float, default=0.1, help="automatic split: share of sources in validation")
    parser.add_argument("--seed", type=int, default=0, help="base seed of crops and sensor noise")
    parser.add_argument("--workers", type=int, default=None,
                        help="worker processes on this machine, one thread each (default: the core count); "
                             "with --scheduler local: the local Dask cluster's workers")
    parser.add_argument("--scheduler", metavar="local|tcp://HOST:PORT", default=None,
                        help="run the camera work on Dask: 'local' starts a LocalCluster of --workers processes, "
                             "an address uses a running cluster whose workers see the input images at the same "
                             "paths; shards are written here and are byte-identical to a run without Dask "
                             "(needs pip install 'camsim-isetcam[distributed]')")
    parser.add_argument("--shard-size", type=int, default=64, help="source images per shard")
    parser.add_argument("--upscale-small", action="store_true", help="upscale images smaller than the HR size instead of skipping them")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def run(args) -> int:
    import sys

    from ..data import PrepareError, prepare
    from ..tasks import get_task

    workers = args.workers
    if args.scheduler not in (None, "local") and workers is not None:
        raise UsageError("--workers sets the processes on this machine; a --scheduler address uses the cluster's "
                         "own workers (start them with `dask worker ADDRESS --nthreads 1`)")
    if workers is None:
        workers = os.cpu_count() or 1

    try:
        task = get_task(args.task, scale=args.scale, lr_size=args.lr_size)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    try:
        summary = prepare(task, args.out, images=args.images, val_images=args.val_images, embedded=args.embedded,
                          dead_leaves=args.dead_leaves, dead_leaves_size=args.dead_leaves_size, mode=args.mode,
                          patches=args.patches, val_fraction=args.val_fraction, seed=args.seed, workers=workers,
                          shard_size=args.shard_size, upscale_small=args.upscale_small, progress=not args.quiet,
                          scheduler=args.scheduler)
    except PrepareError as exc:
        print(f"srgan prepare: error: {exc}", file=sys.stderr)
        return 1
    print(f"srgan prepare: {summary}")
    return 0
