"""
Image files for evaluate / analyze / upscale: discovery, reading (grey, RGB, RGBA,
8/16-bit), atomic writes (temp file in the same folder + ``os.replace``), and the
lazy model loader with its scale/task checks.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from typing import Iterable

import numpy as np

from ._io import atomic_path
from .errors import UsageError

__all__ = [
    "IMAGE_SUFFIXES",
    "find_images",
    "read_image_rgba",
    "write_image",
    "atomic_write_text",
    "atomic_savefig",
    "output_dir",
    "load_model",
]

IMAGE_SUFFIXES: tuple[str, ...] = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".webp")


def find_images(paths: Iterable[str | os.PathLike]) -> list[tuple[Path, Path | None]]:
    """
    ``(file, folder)`` for every image under ``paths``: a file is taken as given (folder
    None); a folder is searched recursively for :data:`IMAGE_SUFFIXES` (any case), hidden
    files skipped, sorted. A path that does not exist raises :class:`UsageError`.
    """
    found: list[tuple[Path, Path | None]] = []
    for p in map(Path, paths):
        if p.is_dir():
            files = sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in IMAGE_SUFFIXES
                           and not any(part.startswith(".") for part in f.relative_to(p).parts))
            found.extend((f, p) for f in files)
        elif p.is_file():
            found.append((p, None))
        else:
            raise UsageError(f"no such file or folder: {str(p)!r}")
    return found


def read_image_rgba(path: str | os.PathLike) -> tuple[np.ndarray, np.ndarray | None, bool]:
    """
    ``(rgb, alpha, grey)`` of an image file: ``rgb`` float32 ``(rows, cols, 3)`` in [0, 1]
    (8-bit / 255, 16-bit / 65535, float as is), ``alpha`` ``(rows, cols)`` or None,
    ``grey`` True for one-channel (or grey + alpha) files, whose channel is replicated.
    Unreadable files raise ``ValueError`` naming the file.
    """
    from camsim.io import read_pixels

    arr = np.asarray(read_pixels(path))  # 16-bit PNGs at 16 bits, EXIF orientation applied
    if arr.dtype == np.uint8:
        x = arr.astype(np.float64) / 255.0  # correctly rounded k/255 once cast
    elif arr.dtype == np.uint16:
        x = arr.astype(np.float64) / 65535.0
    elif np.issubdtype(arr.dtype, np.floating):
        x = arr.astype(np.float64)
    else:
        raise ValueError(f"{str(path)!r}: unsupported pixel type {arr.dtype}")
    if x.ndim == 2:
        x = x[:, :, None]
    if x.ndim != 3 or x.shape[2] not in (1, 2, 3, 4) or min(x.shape[:2]) < 1:
        raise ValueError(f"{str(path)!r}: unsupported image shape {arr.shape}")
    if not np.all(np.isfinite(x)):
        raise ValueError(f"{str(path)!r}: contains NaN or inf")
    x = np.clip(x, 0.0, 1.0)
    grey = x.shape[2] in (1, 2)
    alpha = x[:, :, -1].copy() if x.shape[2] in (2, 4) else None
    rgb = np.repeat(x[:, :, :1], 3, axis=2) if grey else x[:, :, :3]
    return (np.ascontiguousarray(rgb, dtype=np.float32), None if alpha is None else alpha.astype(np.float32), grey)


def read_or_skip(path: str | os.PathLike, skipped: list[str]):
    """:func:`read_image_rgba` of ``path``, or None after warning and appending the reason
    to ``skipped`` if the file cannot be read (batch commands skip and count such files)."""
    import warnings

    try:
        return read_image_rgba(path)
    except ValueError as exc:
        warnings.warn(f"skipped: {exc}", stacklevel=3)
        skipped.append(str(exc))
        return None


def write_image(path: str | os.PathLike, image: np.ndarray) -> Path:
    """Atomic 8-bit image write (:func:`camsim.io.write_image`)."""
    from camsim.io import write_image as _write

    return _write(path, image, bit_depth=8)


def atomic_write_text(path: str | os.PathLike, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` through a temporary file in the same folder."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path)


def atomic_savefig(fig, path: str | os.PathLike, **kwargs) -> Path:
    """``fig.savefig`` to ``path`` atomically (format from the suffix), then close the figure."""
    import matplotlib.pyplot as plt

    try:
        with atomic_path(path) as tmp:
            fig.savefig(tmp, format=Path(path).suffix.lstrip(".") or "png", **kwargs)
    finally:
        plt.close(fig)
    return Path(path)


def output_dir(path: str | os.PathLike) -> Path:
    """Create folder ``path`` if needed; a path that exists and is not a folder raises :class:`UsageError`."""
    p = Path(path)
    if p.exists() and not p.is_dir():
        raise UsageError(f"--out {str(p)!r} exists and is not a folder")
    try:
        p.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise UsageError(f"--out {str(p)!r}: a parent is not a folder") from None
    return p


def load_model(model: str, *, task: str | None = None, scale: int | None = None):
    """
    ``(generator, meta)`` from :func:`srgan.weights.load_generator` (a weights file or a
    shipped name), in eval mode. With ``task`` / ``scale``, weights whose ``meta`` says
    another task or scale are refused. Every failure is one :class:`UsageError` line.
    """
    if not isinstance(model, str) or not model:
        raise UsageError(f"--model must be a weights file or a shipped model name; got {model!r}")
    try:
        load_generator = importlib.import_module("srgan.weights").load_generator
    except ImportError as exc:
        raise UsageError(f"cannot load models: srgan.weights is unavailable ({exc})") from None
    try:
        net, meta = load_generator(model)
    except (FileNotFoundError, KeyError, ValueError, OSError, RuntimeError) as exc:
        text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise UsageError(f"--model {model!r}: {text}") from None
    meta = dict(meta or {})
    if scale is not None and meta.get("scale") is not None and int(meta["scale"]) != int(scale):
        raise UsageError(f"--model {model!r} upscales ×{meta['scale']}, but ×{scale} was asked for")
    if task is not None and meta.get("task") is not None and meta["task"] != task:
        raise UsageError(f"--model {model!r} was trained for task {meta['task']!r}, not --task {task!r}")
    net.eval()
    return net, meta


def command_model(args) -> tuple:
    """``(task, generator, meta)`` for a command with ``--task --scale --model --seed --out``:
    the seed checked, the output folder made, the model loaded for the task (one line on error)."""
    from .tasks import get_task

    if args.seed < 0:
        raise UsageError(f"--seed must be >= 0; got {args.seed}")
    output_dir(args.out)
    task = get_task(args.task, scale=args.scale)
    net, meta = load_model_for(args.model, task)
    return task, net, meta


def load_model_for(model: str, task) -> tuple:
    """:func:`load_model` for a :class:`srgan.tasks.Task`, also checking the network's
    measured scale (weights without a sidecar scale are probed)."""
    from .evaluate import model_scale

    net, meta = load_model(model, task=task.name, scale=task.scale)
    s = model_scale(net, meta)
    if s != task.scale:
        raise UsageError(f"--model {model!r} upscales ×{s}, but --scale is {task.scale}")
    return net, meta
