"""
``srgan study`` — the study as one command (see :mod:`srgan.study`)
===================================================================

::

    srgan study --out RUN                 # shipped weights: evaluate + analyse the four tasks → RUN/report.md
    srgan study --out RUN --train         # retrain on a CPU budget (compact model), then evaluate + analyse
    srgan study --out RUN --full --images T91 BSD200 --val-images Set5 Set14   # GPU-sized training
"""

from __future__ import annotations

import argparse

__all__ = ["add_arguments", "run"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from ..study import BUDGETS, STUDY_TASKS

    a = parser.add_argument
    a("--out", default="study", metavar="RUN", help="run folder; a rerun resumes in it (default ./study)")
    a("--tasks", nargs="+", default=list(STUDY_TASKS), metavar="TASK", help="tasks (default: all four)")
    a("--train", action="store_true", help="prepare data and train a model per task (CPU budget) instead of "
                                          "using the shipped weights")
    a("--full", action="store_true", help="with training: the GPU-sized budget (SRResNet)")
    a("--budget", choices=list(BUDGETS), default=None, help="training budget (default cpu; --full = full)")
    a("--steps", type=int, default=None, help="training steps per task (overrides the budget)")
    a("--images", nargs="+", default=[], metavar="DIR", help="training HR folders (default: embedded photos)")
    a("--val-images", nargs="+", default=[], metavar="DIR", help="validation HR folders")
    a("--eval-images", nargs="+", default=[], metavar="PATH",
      help="images to score (default: --val-images, else the embedded photos)")
    a("--weights", default=None, metavar="DIR", help="folder of <task>.safetensors to evaluate instead of the shipped")
    a("--max-eval-images", type=int, default=0, metavar="N", help="score at most N images per task (0: all)")
    a("--seed", type=int, default=0)
    a("--workers", type=int, default=1, help="worker processes for data preparation")


def run(args: argparse.Namespace) -> int:
    from ..errors import UsageError
    from ..study import StudyConfig, run_study

    if args.full and not args.train:
        args.train = True
    if args.weights and args.train:
        raise UsageError("--weights evaluates given weights; it cannot be combined with --train/--full")
    budget = args.budget or ("full" if args.full else "cpu")
    cfg = StudyConfig(out=args.out, tasks=tuple(args.tasks), train=args.train, budget=budget,
                      images=tuple(args.images), val_images=tuple(args.val_images),
                      eval_images=tuple(args.eval_images), weights=args.weights,
                      max_eval_images=args.max_eval_images, seed=args.seed, workers=args.workers, steps=args.steps)
    report = run_study(cfg)
    print(f"report: {report}")
    return 0
