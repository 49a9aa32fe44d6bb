"""``srgan analyze --model M --task T --out DIR [--seed S]`` — see :mod:`srgan.analyze`."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from ..tasks import task_names

    parser.add_argument("--model", required=True, help="weights file (.safetensors) or shipped model name")
    parser.add_argument("--task", required=True, choices=task_names(), help="the camera the charts go through")
    parser.add_argument("--scale", type=int, default=4, choices=[2, 4, 8], help="upscaling factor (default 4)")
    parser.add_argument("--out", default="analysis", help="output folder (default ./analysis)")
    parser.add_argument("--seed", type=int, default=0, help="camera-noise and dead-leaves seed (default 0)")


def run(args: argparse.Namespace) -> int:
    from .._files import command_model
    from ..analyze import analyze
    from ..metrics import format_value

    task, net, meta = command_model(args)
    r = analyze(net, task, seed=args.seed, model_name=str(args.model), out_dir=args.out)
    e, c = r.edge.mtf50, r.color.mean
    print(f"{task.name}: MTF50 (cy/HR px) camera {format_value(e['camera'], 3)}, bicubic {format_value(e['bicubic'], 3)}, "
          f"SR {format_value(e['sr'], 3)}, reference {format_value(e['reference'], 3)}; ColorChecker ΔE00 camera "
          f"{format_value(c['camera'])}, SR {format_value(c['sr'])}; noise SR/bicubic {format_value(r.noise.ratio, 3)}")
    print(f"wrote {', '.join(str(p) for p in r.outputs)}")
    return 0
