"""``srgan upscale --model M IN... --out DIR [--tile T --overlap O]`` — see :mod:`srgan.upscale`."""

from __future__ import annotations

import argparse
import sys

from ..upscale import DEFAULT_OVERLAP, DEFAULT_TILE


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("inputs", nargs="+", metavar="IN", help="image files or folders (searched recursively)")
    parser.add_argument("--model", required=True, help="weights file (.safetensors) or shipped model name")
    parser.add_argument("--out", required=True, help="output folder: NAME.ext → OUT/NAME_x<scale>.png")
    parser.add_argument("--tile", type=int, default=DEFAULT_TILE, help=f"tile side, LR pixels (default {DEFAULT_TILE})")
    parser.add_argument("--overlap", type=int, default=DEFAULT_OVERLAP,
                        help=f"tile overlap, LR pixels, <= tile/2 (default {DEFAULT_OVERLAP}; exact for "
                             "receptive-field radius <= overlap/4)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def run(args: argparse.Namespace) -> int:
    import warnings

    from .._files import load_model, output_dir
    from ..errors import UsageError
    from ..upscale import check_tiling, upscale_files
    from ..evaluate import model_scale

    try:
        check_tiling(args.tile, args.overlap)
    except ValueError as exc:
        raise UsageError(str(exc).replace("`tile`", "--tile").replace("`overlap`", "--overlap")) from None
    output_dir(args.out)
    net, meta = load_model(args.model)
    scale = model_scale(net, meta)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = upscale_files(net, args.inputs, args.out, scale=scale, tile=args.tile, overlap=args.overlap,
                               progress=not args.quiet)
    for w in caught:
        print(f"srgan upscale: warning: {w.message}", file=sys.stderr)
    print(f"wrote {len(result.written)} image(s) ×{scale} to {args.out}"
          + (f"; skipped {len(result.skipped)} unreadable" if result.skipped else ""))
    return 0
