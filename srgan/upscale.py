"""
Upscale — any image size through a generator, tiled with blended overlaps
=========================================================================

The LR image is cut into ``tile × tile`` pixel tiles (fewer rows/columns at a small
image's side) whose starts are spread evenly so neighbours share at least ``overlap``
pixels; each tile goes through the generator alone, so memory is bounded by one tile.
The outputs are blended with per-tile weights and normalised by the summed weight.

Weights (per axis, outer product in 2-D): 1 at the image border; at a tile side that lies
inside the image the weight is 0 over a *margin* ``m = overlap // 4`` LR pixels, then
rises linearly to 1 over the next ``overlap − 2m`` pixels. Neighbouring tiles' ramps
cross inside the shared strip, so every output pixel has a positive total weight and the
transition is smooth (no seams).

Exactness: a convolutional generator whose output at LR pixel ``i`` depends only on
input pixels ``i − ρ … i + ρ`` (receptive-field radius ρ, in LR pixels) gives in a tile
exactly the whole-image values wherever the tile holds that whole neighbourhood, i.e.
at least ρ pixels from a tile side inside the image. Pixels within the margin get weight
0, so with **ρ ≤ overlap // 4** every weighted contribution is exact and the blended
result equals whole-image inference (to float rounding). With a larger ρ (SRResNet's
is ≈ 37 LR px) the values near tile sides differ slightly and the ramps fade between
them; choose ``overlap ≥ 4ρ`` for bit-for-bit-like results.

Files: grey inputs are replicated to RGB, upscaled, and written back as grey (mean of
the three output channels); RGBA inputs upscale RGB through the model and alpha with
:func:`srgan.resample.bicubic` (straight, not premultiplied, alpha). Outputs are 8-bit
PNGs ``NAME_x{scale}.png``, written atomically.
"""

from __future__ import annotations

import math
import os
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import numpy as np
import torch
from torch import nn

from ._files import find_images, read_or_skip, write_image
from .errors import UsageError
from .resample import bicubic

__all__ = ["DEFAULT_TILE", "DEFAULT_OVERLAP", "UpscaleResult", "tile_starts", "check_tiling", "upscale_image", "upscale_files"]

DEFAULT_TILE: int = 128  # LR pixels
DEFAULT_OVERLAP: int = 32  # LR pixels: margin 8, exact for receptive-field radius <= 8


def check_tiling(tile: int, overlap: int) -> tuple[int, int]:
    """Validated ``(tile, overlap)`` in LR pixels: tile in [8, 4096], overlap in [0, tile // 2]."""
    if isinstance(tile, bool) or not isinstance(tile, (int, np.integer)) or not 8 <= tile <= 4096:
        raise ValueError(f"`tile` must be an integer in [8, 4096] LR pixels; got {tile!r}")
    if isinstance(overlap, bool) or not isinstance(overlap, (int, np.integer)) or not 0 <= overlap <= tile // 2:
        raise ValueError(f"`overlap` must be an integer in [0, tile // 2 = {tile // 2}] LR pixels; got {overlap!r}")
    return int(tile), int(overlap)


def tile_starts(length: int, tile: int, overlap: int) -> list[int]:
    """
    Tile starts along an axis of ``length`` pixels: one tile if it fits, else
    ``ceil((length − overlap) / (tile − overlap))`` tiles spread evenly from 0 to
    ``length − tile`` (neighbours overlap by >= ``overlap``).

    >>> tile_starts(100, 40, 10)
    [0, 30, 60]
    """
    tile, overlap = check_tiling(tile, overlap)
    if isinstance(length, bool) or not isinstance(length, (int, np.integer)) or length < 1:
        raise ValueError(f"`length` must be an integer >= 1; got {length!r}")
    if length <= tile:
        return [0]
    n = math.ceil((length - overlap) / (tile - overlap))
    return [round(i * (length - tile) / (n - 1)) for i in range(n)]


def _axis_weight(start: int, size: int, length: int, overlap: int, scale: int) -> torch.Tensor:
    """Weights of one tile's output samples along one axis (see the module docstring)."""
    margin = overlap // 4
    ramp = overlap - 2 * margin
    u = (torch.arange(size * scale, dtype=torch.float64) + 0.5) / scale  # LR units from the tile start
    w = torch.ones_like(u)
    for inside, dist in ((start > 0, u), (start + size < length, size - u)):
        if inside:
            w = w * (((dist - margin) / ramp).clamp(0, 1) if ramp > 0 else (dist > margin).double())
    return w.float()


def _device(model: nn.Module) -> torch.device:
    p = next(model.parameters(), None)
    return p.device if p is not None else torch.device("cpu")


@torch.no_grad()
def upscale_image(model: nn.Module, image: np.ndarray, *, tile: int = DEFAULT_TILE,
                  overlap: int = DEFAULT_OVERLAP) -> np.ndarray:
    """
    Upscale one ``(rows, cols, 3)`` float image in [0, 1] with ``model`` (eval mode is
    the caller's), tiled as the module docstring says; float32 ``(s·rows, s·cols, 3)``
    clamped to [0, 1], ``s`` the model's scale (read from its output).
    """
    if not isinstance(model, nn.Module):
        raise ValueError(f"`model` must be a torch.nn.Module; got {type(model).__name__}")
    tile, overlap = check_tiling(tile, overlap)
    img = np.asarray(image, dtype=np.float32)
    if img.ndim != 3 or img.shape[2] != 3 or min(img.shape[:2]) < 1:
        raise ValueError(f"`image` must be (rows, cols, 3) RGB; got shape {img.shape}")
    if not np.all(np.isfinite(img)):
        raise ValueError("`image` must be finite (no NaN or inf)")
    rows, cols = img.shape[:2]
    dev = _device(model)
    x = torch.from_numpy(np.ascontiguousarray(img.transpose(2, 0, 1)))[None]
    scale = None
    acc = wsum = None
    for r0 in tile_starts(rows, tile, overlap):
        for c0 in tile_starts(cols, tile, overlap):
            h, w = min(tile, rows), min(tile, cols)
            y = model(x[:, :, r0:r0 + h, c0:c0 + w].to(dev)).float().cpu()
            s = y.shape[-1] // w
            if y.ndim != 4 or y.shape[1] != 3 or s < 1 or tuple(y.shape[-2:]) != (s * h, s * w):
                raise ValueError(f"`model` must map (1, 3, {h}, {w}) to (1, 3, s·{h}, s·{w}); got {tuple(y.shape)}")
            if scale is None:
                scale = s
                acc = torch.zeros(3, s * rows, s * cols)
                wsum = torch.zeros(1, s * rows, s * cols)
            elif s != scale:
                raise ValueError(f"`model` changed its scale between tiles ({scale} then {s})")
            wt = _axis_weight(r0, h, rows, overlap, s)[:, None] * _axis_weight(c0, w, cols, overlap, s)[None, :]
            acc[:, s * r0:s * (r0 + h), s * c0:s * (c0 + w)] += y[0] * wt
            wsum[:, s * r0:s * (r0 + h), s * c0:s * (c0 + w)] += wt
    out = (acc / wsum).clamp_(0, 1)
    return np.ascontiguousarray(out.numpy().transpose(1, 2, 0))


@dataclass(frozen=True)
class UpscaleResult:
    """Outcome of :func:`upscale_files`: files written, inputs skipped (unreadable) with reasons."""

    written: tuple[Path, ...]
    skipped: tuple[str, ...]
    scale: int | None


def _output_name(path: Path, folder: Path | None, out_dir: Path, scale_tag: str) -> Path:
    rel = path.relative_to(folder).parent if folder is not None else Path()
    return out_dir / rel / f"{path.stem}_x{scale_tag}.png"


def upscale_files(model: nn.Module, inputs: Iterable[str | os.PathLike], out_dir: str | os.PathLike, *,
                  scale: int, tile: int = DEFAULT_TILE, overlap: int = DEFAULT_OVERLAP,
                  progress: bool = True) -> UpscaleResult:
    """
    Upscale image files and folders (searched recursively) into ``out_dir``:
    ``NAME.ext`` → ``out_dir/NAME_x{scale}.png``; files found in a folder keep their
    sub-folder below it. Unreadable files are skipped with a warning and counted.
    Raises :class:`UsageError` when nothing readable is found, two inputs would
    write the same output, or ``out_dir`` is a file.
    """
    from tqdm import tqdm

    from ._files import output_dir

    if isinstance(scale, bool) or not isinstance(scale, (int, np.integer)) or scale not in (2, 4, 8):
        raise ValueError(f"`scale` must be 2, 4 or 8; got {scale!r}")
    check_tiling(tile, overlap)
    files = find_images(inputs)
    if not files:
        raise UsageError("no images found in the inputs (looked for " + ", ".join(
            s.lstrip(".") for s in (".png", ".jpg", ".tif", ".bmp", ".webp")) + ")")
    out = output_dir(out_dir)
    targets: dict[Path, Path] = {}
    for path, folder in files:
        dest = _output_name(path, folder, out, str(scale))
        if dest in targets:
            raise UsageError(f"{str(path)!r} and {str(targets[dest])!r} would both write {str(dest)!r}")
        targets[dest] = path
    model.eval()
    written, skipped = [], []
    for dest, path in tqdm(targets.items(), desc="upscale", unit="image", disable=not progress):
        read = read_or_skip(path, skipped)
        if read is None:
            continue
        rgb, alpha, grey = read
        sr = upscale_image(model, rgb, tile=tile, overlap=overlap)
        if sr.shape[0] != scale * rgb.shape[0]:
            raise UsageError(f"the model upscales ×{sr.shape[0] // rgb.shape[0]}, not ×{scale}")
        if grey:
            sr = sr.mean(axis=2)
        if alpha is not None:
            a = bicubic(torch.from_numpy(alpha)[None, None], sr.shape[:2])[0, 0].clamp_(0, 1).numpy()
            sr = np.dstack([sr if sr.ndim == 3 else sr[:, :, None], a])
        write_image(dest, sr)
        written.append(dest)
    if skipped:
        warnings.warn(f"skipped {len(skipped)} unreadable image(s) of {len(targets)}", stacklevel=2)
    if not written:
        raise UsageError(f"none of the {len(targets)} image file(s) could be read")
    return UpscaleResult(tuple(written), tuple(skipped), scale)
