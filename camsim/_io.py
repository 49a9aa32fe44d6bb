"""File output helpers: atomic writes (temp file in the same folder + os.replace), so an
interrupted run never leaves a truncated file behind."""

from __future__ import annotations

import os
import uuid
from contextlib import contextmanager
from pathlib import Path

import numpy as np

__all__ = ["atomic_path", "write_image", "default_images"]

DATA_DIR = Path(__file__).parent / "data"


@contextmanager
def atomic_path(path: str | os.PathLike, suffix: str | None = None):
    """
    Yield a temporary path beside ``path``; rename it onto ``path`` only on success.

    The temporary file is created exclusively under a unique name with the usual
    permissions (0666 less the umask; ``tempfile.mkstemp`` would make it 0600).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f".{path.name}.{uuid.uuid4().hex}{suffix or path.suffix}"
    with open(tmp, "xb"):
        pass
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def write_image(path: str | os.PathLike, image: np.ndarray, *, bit_depth: int = 8) -> Path:
    """
    Write a float image in [0, 1] (``(rows, cols)`` or ``(rows, cols, 3)``) as an 8- or
    16-bit PNG (or any format imageio infers from the suffix), atomically.
    """
    import imageio.v3 as iio

    if bit_depth not in (8, 16):
        raise ValueError(f"`bit_depth` must be 8 or 16; got {bit_depth!r}")
    img = np.asarray(image, dtype=np.float64)
    if img.ndim not in (2, 3) or not np.all(np.isfinite(img)):
        raise ValueError(f"`image` must be a finite (rows, cols[, 3]) array; got shape {img.shape}")
    scale, dtype = (255, np.uint8) if bit_depth == 8 else (65535, np.uint16)
    data = np.round(np.clip(img, 0, 1) * scale).astype(dtype)
    suffix = Path(path).suffix.lower() or ".png"
    with atomic_path(path) as tmp:
        if bit_depth == 16 and suffix == ".png":
            tmp.write_bytes(_png16(data))  # Pillow cannot write 16-bit RGB PNGs
        else:
            iio.imwrite(tmp, data, extension=suffix)
    return Path(path)


def _png16(data: np.ndarray) -> bytes:
    """Encode a uint16 grey or RGB image as a PNG (PNG spec, ISO/IEC 15948: IHDR, IDAT, IEND)."""
    import struct
    import zlib

    rows, cols = data.shape[:2]
    colour_type = 0 if data.ndim == 2 else 2
    big_endian = np.ascontiguousarray(data, dtype=">u2").reshape(rows, -1).view(np.uint8)
    scanlines = np.concatenate([np.zeros((rows, 1), np.uint8), big_endian], axis=1)  # filter 0 per row

    def chunk(tag: bytes, payload: bytes) -> bytes:
        return struct.pack(">I", len(payload)) + tag + payload + struct.pack(">I", zlib.crc32(tag + payload))

    header = struct.pack(">IIBBBBB", cols, rows, 16, colour_type, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(scanlines.tobytes(), 6)) + chunk(b"IEND", b""))


def default_images() -> list[Path]:
    """The embedded default images (see camsim/data/images/PROVENANCE.md)."""
    return sorted((DATA_DIR / "images").glob("*.png"))
