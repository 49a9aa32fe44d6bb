"""`python -m camsim.demo` — the README's main job on the embedded default data."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from . import charts
from ._io import default_images, write_image
from .scene import Scene


def _scene_srgb(scene: Scene) -> np.ndarray:
    """sRGB rendering of a scene's XYZ, white = the brightest luminance (for previews)."""
    import colour

    xyz = scene.xyz / scene.luminance.max()
    return colour.cctf_encoding(np.clip(colour.XYZ_to_sRGB(xyz, apply_cctf_encoding=False), 0, 1), function="sRGB")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m camsim.demo", description=__doc__)
    parser.add_argument("--out", default="out/demo", help="output folder (default out/demo)")
    args = parser.parse_args(argv)
    out = Path(args.out)
    scenes = {"macbeth_d65": charts.macbeth(), "dead_leaves": charts.dead_leaves(size=256, color=True, seed=1)}
    for p in default_images():
        scenes[p.stem] = Scene.from_image(p)
    for name, scene in scenes.items():
        path = write_image(out / f"scene_{name}.png", _scene_srgb(scene))
        print(f"{path}  ({scene!r})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
