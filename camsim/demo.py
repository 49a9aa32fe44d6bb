"""`python -m camsim.demo` — the README's main job: the embedded images through the study's
three camera presets (`camsim simulate`), and a side-by-side comparison PNG."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from . import cli
from ._io import default_images, write_image
from .presets import names
from .resize import center_crop_square
from .scene import read_image


def _tile(image: np.ndarray, size: int) -> np.ndarray:
    """Centre square, shown at ``size``×``size`` with nearest-neighbour (pixels stay visible)."""
    sq = center_crop_square(image)
    idx = (np.arange(size) * sq.shape[0] / size).astype(int)
    return sq[idx][:, idx]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m camsim.demo", description=__doc__)
    parser.add_argument("--out", default="out/demo", help="output folder (default out/demo)")
    parser.add_argument("--size", type=int, default=0, help="also resize outputs to SIZE×SIZE (e.g. 32)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    out = Path(args.out)
    images = default_images()
    for name in names():
        extra = ["--size", str(args.size)] if args.size else []
        rc = cli.main(["simulate", *map(str, images), "--preset", name, "--out", str(out / name),
                       "--seed", str(args.seed), *extra])
        if rc:
            return rc
    tile, gap = 192, 4
    rows = []
    for img_path in images:
        tiles = [_tile(read_image(img_path), tile)]
        for name in names():
            tiles.append(_tile(read_image(out / name / f"{img_path.stem}_{name}.png"), tile))
        row = np.ones((tile, len(tiles) * (tile + gap) - gap, 3))
        for k, t in enumerate(tiles):
            row[:, k * (tile + gap): k * (tile + gap) + tile] = t
        rows.append(row)
    grid = np.ones((len(rows) * (tile + gap) - gap, rows[0].shape[1], 3))
    for k, r in enumerate(rows):
        grid[k * (tile + gap): k * (tile + gap) + tile] = r
    path = write_image(out / "side_by_side.png", grid)
    print(f"side-by-side comparison (columns: original, {', '.join(names())}): {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
