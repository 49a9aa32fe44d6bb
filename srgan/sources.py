"""
Sources — where HR images come from
===================================

A :class:`Source` is one HR image: a stable id, the SHA-256 that identifies its
content (cache keys, noise seeds and the train/validation split all derive from it,
never from a path or a worker's order) and a loader returning float RGB in [0, 1].

- :func:`folder_sources`: every image under a folder, recursively (jpg, jpeg, png, tif,
  tiff, bmp, webp; grey, RGBA and 16-bit read by :func:`camsim.io.read_image`).
- :func:`embedded_sources`: the colour photos bundled in installed wheels — found by
  path at run time, never copied: scikit-image (astronaut, chelsea, coffee, rocket,
  motorcycle left/right), scikit-learn (china, flower), matplotlib (grace_hopper);
  whichever of those packages are installed.
- :func:`dead_leaves_sources`: seeded procedural dead-leaves images
  (:func:`camsim.charts.dead_leaves`, colour), rendered to sRGB under D65 —
  unlimited and licence-free.

References
----------
- IEC 61966-2-1:1999, sRGB (XYZ → linear sRGB matrix, transfer curve).
- ISO 19567-2:2019 (dead leaves texture chart).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "IMAGE_SUFFIXES",
    "EMBEDDED",
    "Source",
    "embedded_sources",
    "folder_sources",
    "dead_leaves_sources",
    "split_of",
    "sha256_file",
]

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp", ".webp")

# (package, path inside the installed package) of the colour photos shipped in wheels.
EMBEDDED: tuple[tuple[str, str], ...] = (
    ("skimage", "data/astronaut.png"),
    ("skimage", "data/chelsea.png"),
    ("skimage", "data/coffee.png"),
    ("skimage", "data/rocket.jpg"),
    ("skimage", "data/motorcycle_left.png"),
    ("skimage", "data/motorcycle_right.png"),
    ("sklearn", "datasets/images/china.jpg"),
    ("sklearn", "datasets/images/flower.jpg"),
    ("matplotlib", "mpl-data/sample_data/grace_hopper.jpg"),
)

# IEC 61966-2-1 XYZ (D65, Y = 1) → linear sRGB.
_XYZ_TO_SRGB = np.array([[3.2406, -1.5372, -0.4986],
                         [-0.9689, 1.8758, 0.0415],
                         [0.0557, -0.2040, 1.0570]])


def _load_file(path: str) -> NDArray[np.float32]:
    from camsim.io import read_image

    return read_image(path).astype(np.float32)


@dataclass(frozen=True)
class _DeadLeaves:
    index: int
    size: int
    seed: int

    def __call__(self) -> NDArray[np.float32]:
        return dead_leaves_image(self.size, seed=self.seed + self.index)


@dataclass(frozen=True)
class Source:
    """
    One HR image.

    Attributes
    ----------
    id
        Stable name: ``"<folder name>/<relative path>"``, ``"<package>/<file>"`` or
        ``"dead_leaves/<i>"``.
    sha256
        Hex SHA-256 of the file's bytes (procedural images: of their parameters).
    path
        The file (None for procedural images).
    split
        ``"train"``, ``"val"`` or None (decided by :func:`split_of`).
    loader
        Callable returning the image, float32 ``(rows, cols, 3)`` in [0, 1]
        (module-level / picklable so worker processes can call it).
    """

    id: str
    sha256: str
    path: str | None = None
    split: str | None = None
    loader: Callable[[], NDArray[np.float32]] | None = field(default=None, repr=False, compare=False)

    def load(self) -> NDArray[np.float32]:
        """The image, float32 ``(rows, cols, 3)`` in [0, 1]."""
        if self.loader is not None:
            return self.loader()
        if self.path is None:
            raise ValueError(f"source {self.id!r} has neither a loader nor a path")
        return _load_file(self.path)


def sha256_file(path: str | os.PathLike) -> str:
    """Hex SHA-256 of a file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def split_of(sha256: str, val_fraction: float) -> str:
    """``"val"`` for a deterministic ``val_fraction`` of sources (by hash), else ``"train"``."""
    if not 0.0 <= val_fraction < 1.0:
        raise ValueError(f"`val_fraction` must be in [0, 1); got {val_fraction!r}")
    u = int(hashlib.sha256(("split:" + sha256).encode()).hexdigest()[:16], 16) / 2.0 ** 64
    return "val" if u < val_fraction else "train"


def folder_sources(path: str | os.PathLike, *, split: str | None = None) -> tuple[list[Source], list[tuple[str, str]]]:
    """
    Every image file under ``path`` (recursively, sorted), as sources.

    Returns ``(sources, ignored)``: ``ignored`` lists ``(path, reason)`` for files that
    are not images by suffix (so nothing is dropped silently). Whether an image file
    is readable is found out when it is loaded.
    """
    root = Path(path)
    if not root.is_dir():
        raise ValueError(f"`path` must be a folder of images; {str(root)!r} is not a folder")
    if split not in (None, "train", "val"):
        raise ValueError(f"`split` must be 'train', 'val' or None; got {split!r}")
    sources, ignored = [], []
    for f in sorted(p for p in root.rglob("*") if p.is_file()):
        rel = f.relative_to(root).as_posix()
        if any(part.startswith(".") for part in f.relative_to(root).parts):
            continue  # hidden files and folders (e.g. .DS_Store, .git)
        if f.suffix.lower() not in IMAGE_SUFFIXES:
            ignored.append((str(f), f"not an image suffix ({', '.join(IMAGE_SUFFIXES)})"))
            continue
        sources.append(Source(f"{root.name}/{rel}", sha256_file(f), str(f), split))
    return sources, ignored


def embedded_sources() -> list[Source]:
    """The colour photos bundled in whichever of scikit-image, scikit-learn, matplotlib are installed."""
    out = []
    for package, rel in EMBEDDED:
        spec = importlib.util.find_spec(package)
        if spec is None or not spec.submodule_search_locations:
            continue
        f = Path(list(spec.submodule_search_locations)[0]) / rel
        if f.is_file():
            out.append(Source(f"{package}/{f.name}", sha256_file(f), str(f)))
    return out


def dead_leaves_sources(n: int, *, size: int = 256, seed: int = 0) -> list[Source]:
    """``n`` seeded colour dead-leaves images of ``size × size`` pixels (image i uses seed ``seed + i``)."""
    for name, v, lo in (("n", n, 0), ("size", size, 16), ("seed", seed, 0)):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < lo:
            raise ValueError(f"`{name}` must be an integer >= {lo}; got {v!r}")
    out = []
    for i in range(n):
        spec = json.dumps({"kind": "camsim.charts.dead_leaves", "size": size, "seed": seed + i, "r_min": 2.0,
                           "r_max": size / 4, "color": True, "render": "sRGB D65"})
        out.append(Source(f"dead_leaves/{seed + i}", hashlib.sha256(spec.encode()).hexdigest(),
                          loader=_DeadLeaves(i, size, seed)))
    return out


def dead_leaves_image(size: int, *, seed: int) -> NDArray[np.float32]:
    """
    A colour dead-leaves chart (:func:`camsim.charts.dead_leaves`, r ∈ [2, size/4] px)
    under D65 as an sRGB image in [0, 1]: XYZ relative to the illuminant's white
    (a perfect reflector has Y = 1), IEC 61966-2-1 matrix and transfer curve.
    """
    from camsim import charts
    from camsim.scene import Scene

    scene = charts.dead_leaves(size=size, r_min=2.0, r_max=size / 4, color=True, seed=seed, illuminant="D65",
                               mean_luminance=None)
    white = Scene.from_radiance(np.asarray(scene.illuminant, np.float64)[None, None, :], scene.wave).xyz[0, 0]
    lin = np.clip((scene.xyz / white[1]) @ _XYZ_TO_SRGB.T, 0.0, 1.0)
    srgb = np.where(lin <= 0.0031308, 12.92 * lin, 1.055 * lin ** (1 / 2.4) - 0.055)
    return srgb.astype(np.float32)
