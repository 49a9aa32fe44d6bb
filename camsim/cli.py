"""
``camsim`` command line
=======================

``camsim simulate INPUT... (--preset NAME | --fnumber N --pixel-pitch M ...) --out DIR``
runs images through a camera and writes PNGs; ``camsim presets`` prints the study's
camera settings; ``camsim info`` prints versions and the numba threading layer.
User mistakes print one line and exit with status 2 (no traceback).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

__all__ = ["main"]

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".webp"}


class UsageError(Exception):
    """A mistake of the user's: reported in one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse prints usage + message; we want one line
        raise UsageError(message)


def _positive_float(name):
    def parse(text):
        try:
            v = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{name} must be a number > 0; got {text!r}") from None
        if not (v > 0 and v < float("inf")):
            raise argparse.ArgumentTypeError(f"{name} must be a number > 0; got {text!r}")
        return v
    return parse


def _inputs(paths: list[str]) -> list[Path]:
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found = sorted(f for f in p.iterdir() if f.suffix.lower() in IMAGE_SUFFIXES)
            if not found:
                raise UsageError(f"no images ({', '.join(sorted(IMAGE_SUFFIXES))}) in folder {p}")
            files.extend(found)
        elif p.is_file():
            files.append(p)
        else:
            raise UsageError(f"no such file or folder: {p}")
    return files


def _camera(args):
    from .camera import Camera

    shortcuts = {k: v for k, v in (("fnumber", args.fnumber), ("aperture_diameter", args.aperture),
                                   ("focal_length", args.focal_length), ("pixel_pitch", args.pixel_pitch),
                                   ("exposure_time", args.exposure_time)) if v is not None}
    if args.noise is not None:
        shortcuts["noise"] = args.noise == "on"
    if args.exposure_bias is not None:
        shortcuts["exposure_bias"] = args.exposure_bias
    if args.preset:
        return Camera.preset(args.preset, **shortcuts)
    if not shortcuts:
        raise UsageError("give --preset NAME or camera parameters (e.g. --fnumber 22 --pixel-pitch 1e-6)")
    return Camera(**shortcuts)


def _render_one(camera, f: Path, target: Path, seed, fov, distance, size, bit_depth) -> str | None:
    """Capture one file and write its PNG; the error message for an unreadable input, else None."""
    import numpy as np

    from ._io import write_image
    from .resize import center_crop_square, resize_area

    try:
        cap = camera.capture(f, fov=fov, distance=distance, seed=seed)
    except ValueError as exc:
        return str(exc)
    img = cap.image
    if size:
        img = np.clip(resize_area(center_crop_square(img), (size, size)), 0, 1)
    write_image(target, img, bit_depth=bit_depth)
    return None


_WORKER_CAMERA = None


def _worker_init(camera) -> None:
    """Worker process: one numba thread (the processes share the cores), one camera."""
    import numba

    global _WORKER_CAMERA
    numba.set_num_threads(1)
    _WORKER_CAMERA = camera


def _worker_render(job):
    return _render_one(_WORKER_CAMERA, *job)


def _simulate(args) -> int:
    from tqdm import tqdm

    files = _inputs(args.inputs)
    try:
        camera = _camera(args)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    out = Path(args.out)
    todo, skipped = [], 0
    for i, f in enumerate(files):  # i: position among all inputs, so a resumed run keeps each image's seed
        target = out / f"{f.stem}_{camera.name}.png"
        if target.exists() and not args.overwrite:
            skipped += 1  # resume: finished outputs are kept
        else:
            seed = None if args.seed is None else args.seed + i
            todo.append((f, target, seed, args.fov, args.distance, args.size, args.bit_depth))
    t0 = time.perf_counter()
    failed = []
    bar = tqdm(total=len(todo), desc=f"camsim {camera.name}", unit="img", disable=args.quiet)
    if args.jobs > 1 and len(todo) > 1:
        import multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(min(args.jobs, len(todo)), mp_context=mp.get_context("spawn"),
                                 initializer=_worker_init, initargs=(camera,)) as pool:
            for job, error in zip(todo, pool.map(_worker_render, todo)):
                bar.update()
                if error is not None:
                    failed.append((job[0], error))
    else:
        for job in todo:
            error = _render_one(camera, *job)
            bar.update()
            if error is not None:
                if len(files) == 1 or args.strict:
                    bar.close()
                    raise UsageError(f"{job[0]}: {error}")
                failed.append((job[0], error))
    bar.close()
    if failed and (len(files) == 1 or args.strict):
        raise UsageError(f"{failed[0][0]}: {failed[0][1]}")
    dt = time.perf_counter() - t0
    done = len(todo) - len(failed)
    print(f"camsim: {done} image(s) written to {out}/ with {camera!r} in {dt:.1f} s"
          + (f"; {skipped} already done (kept)" if skipped else "")
          + (f"; {len(failed)} failed" if failed else ""))
    for f, error in failed:
        print(f"  failed: {f.name}: {error}", file=sys.stderr)
    return 2 if failed else 0


def _presets(args) -> int:
    from .presets import describe

    rows = describe()
    keys = list(rows[0])
    widths = {k: max(len(k), *(len(r[k]) for r in rows)) for k in keys}
    print("  ".join(k.ljust(widths[k]) for k in keys))
    for r in rows:
        print("  ".join(r[k].ljust(widths[k]) for k in keys))
    return 0


def _info(args) -> int:
    import platform

    import colour
    import numba
    import numpy
    import scipy

    from . import __version__

    print(f"camsim {__version__}")
    print(f"python {platform.python_version()} on {platform.machine()} ({os.cpu_count()} cores)")
    for mod in (numpy, scipy, numba, colour):
        print(f"{mod.__name__} {mod.__version__}")
    try:
        import torch

        print(f"torch {torch.__version__} (cuda available: {torch.cuda.is_available()})")
    except ImportError:
        print("torch not installed")
    # The threading layer is chosen on first parallel execution; run a tiny kernel.
    import numpy as np

    from .resize import resize_area

    resize_area(np.zeros((4, 4)), (2, 2))
    try:
        layer = numba.threading_layer()
    except ValueError:
        layer = "not initialised"
    print(f"numba threading layer: {layer}, threads: {numba.get_num_threads()}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="camsim", description="Physically based camera simulator (ISETCam chain).")
    sub = p.add_subparsers(dest="command", parser_class=_Parser)
    s = sub.add_parser("simulate", help="run images through a camera and write PNGs")
    s.add_argument("inputs", nargs="+", help="image files or folders")
    s.add_argument("--out", required=True, help="output folder")
    s.add_argument("--preset", help="study camera: color, pixel or deblur (see `camsim presets`), or isetcam (ISETCam's default camera)")
    s.add_argument("--fnumber", type=_positive_float("--fnumber"))
    s.add_argument("--aperture", type=_positive_float("--aperture"), help="aperture diameter, m")
    s.add_argument("--focal-length", type=_positive_float("--focal-length"), help="m")
    s.add_argument("--pixel-pitch", type=_positive_float("--pixel-pitch"), help="m")
    s.add_argument("--exposure-time", type=_positive_float("--exposure-time"), help="s (default: auto)")
    s.add_argument("--exposure-bias", type=float, help="stops relative to auto-exposure")
    s.add_argument("--noise", choices=["on", "off"])
    s.add_argument("--fov", type=_positive_float("--fov"), help="horizontal field of view, degrees (default 10)")
    s.add_argument("--distance", type=_positive_float("--distance"), help="scene distance, m (default 1.2)")
    s.add_argument("--size", type=int, help="resize the output to SIZE×SIZE (centre square, area average)")
    s.add_argument("--bit-depth", type=int, choices=[8, 16], default=8)
    s.add_argument("--seed", type=int, help="noise seed, >= 0 (input image i uses seed + i, also when resuming)")
    s.add_argument("--jobs", type=int, default=1,
                   help="worker processes, each with one numba thread (start-up ~1.5 s each: worth it for hundreds of images; ~1.4× on 2 cores)")
    s.add_argument("--overwrite", action="store_true", help="recompute outputs that already exist")
    s.add_argument("--strict", action="store_true", help="stop at the first unreadable image")
    s.add_argument("--quiet", action="store_true", help="no progress bar")
    s.set_defaults(func=_simulate)
    pr = sub.add_parser("presets", help="print the study's camera presets")
    pr.set_defaults(func=_presets)
    i = sub.add_parser("info", help="versions and numba threading layer")
    i.set_defaults(func=_info)
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            raise UsageError("choose a command: simulate, presets or info (camsim -h for help)")
        if args.command == "simulate":
            if args.preset is not None:
                from .presets import names

                if args.preset not in names() + ["isetcam"]:
                    raise UsageError(f"unknown preset {args.preset!r}; choose one of {', '.join(names() + ['isetcam'])}")
            if args.jobs < 1:
                raise UsageError(f"--jobs must be an integer >= 1; got {args.jobs}")
            if args.size is not None and args.size < 1:
                raise UsageError(f"--size must be an integer >= 1; got {args.size}")
            if args.seed is not None and args.seed < 0:
                raise UsageError(f"--seed must be an integer >= 0; got {args.seed}")
        return args.func(args)
    except UsageError as exc:
        print(f"camsim: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("camsim: interrupted (finished images are kept; rerun to resume)", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
