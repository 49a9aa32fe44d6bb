"""``srgan evaluate --model M --task T --images DIR... [--mode whole] [--out DIR] [--seed S]`` — see :mod:`srgan.evaluate`."""

from __future__ import annotations

import argparse
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from ..tasks import task_names

    parser.add_argument("--model", required=True, help="weights file (.safetensors) or shipped model name")
    parser.add_argument("--task", required=True, choices=task_names(), help="how HR photos become the LR input")
    parser.add_argument("--images", required=True, nargs="+", metavar="DIR",
                        help="HR image folders (searched recursively; one image set each) or files")
    parser.add_argument("--mode", default="whole", choices=["whole", "patches"],
                        help="whole image through the camera (the study) or its centre HR-size patch (default whole)")
    parser.add_argument("--scale", type=int, default=4, choices=[2, 4, 8], help="upscaling factor (default 4)")
    parser.add_argument("--out", default="evaluation", help="output folder (default ./evaluation)")
    parser.add_argument("--seed", type=int, default=0, help="base seed of the camera noise (default 0)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def run(args: argparse.Namespace) -> int:
    import warnings

    from .._files import command_model
    from ..evaluate import evaluate
    from ..metrics import format_value

    task, net, meta = command_model(args)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = evaluate(net, task, args.images, seed=args.seed, mode=args.mode, model_name=str(args.model),
                          out_dir=args.out, progress=not args.quiet)
    for w in caught:
        print(f"srgan evaluate: warning: {w.message}", file=sys.stderr)
    b, m = result.mean_bicubic, result.mean_model
    print(f"{task.name}: {len(result.images)} image(s); Y-PSNR bicubic {format_value(b.y_psnr)} dB, "
          f"model {format_value(m.y_psnr)} dB; Y-SSIM {format_value(b.y_ssim, 4)} / {format_value(m.y_ssim, 4)}"
          + (f"; skipped {len(result.skipped)} unreadable" if result.skipped else ""))
    print(f"wrote {', '.join(str(p) for p in result.outputs)}")
    return 0
