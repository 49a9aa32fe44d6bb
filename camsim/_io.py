"""File input/output helpers.

- Atomic writes (temp file in the same folder + ``os.replace``), so an interrupted run
  never leaves a truncated file behind; the temp files have a recognisable name
  (:data:`TEMP_PATTERN`) so a later run can remove those a killed run left.
- Reading image files at their full depth (16-bit PNGs through pypng, which Pillow
  reads as 8-bit) and upright (EXIF orientation applied).
- Writing 8-bit PNG/TIFF/JPEG and 16-bit PNG/TIFF, with the format checked up front.
"""

from __future__ import annotations

import os
import re
import uuid
from contextlib import contextmanager
from pathlib import Path

import numpy as np

__all__ = ["atomic_path", "write_image", "read_file", "default_images", "is_temp_file", "remove_stale_temp_files",
           "WRITE_FORMATS", "TEMP_PATTERN"]

DATA_DIR = Path(__file__).parent / "data"

# Temp files of atomic_path: ".<name>.<32 hex>.tmp<suffix>" (before issue 14: ".<name>.<32 hex><suffix>")
TEMP_PATTERN = re.compile(r"^\..+\.[0-9a-f]{32}(\.tmp)?(\.[A-Za-z0-9]+)?$")
# suffix → bit depths it can hold
WRITE_FORMATS: dict[str, tuple[int, ...]] = {
    ".png": (8, 16), ".tif": (8, 16), ".tiff": (8, 16), ".jpg": (8,), ".jpeg": (8,), ".bmp": (8,), ".webp": (8,),
}


def is_temp_file(path: str | os.PathLike) -> bool:
    """True for the name of a temp file made by :func:`atomic_path`."""
    return bool(TEMP_PATTERN.match(Path(path).name))


def remove_stale_temp_files(folder: str | os.PathLike, *, recursive: bool = True) -> int:
    """
    Remove temp files of :func:`atomic_path` under ``folder`` (left by a killed run);
    the caller must know no other writer is active there. Returns how many were removed.
    """
    folder = Path(folder)
    if not folder.is_dir():
        return 0
    n = 0
    for p in (folder.rglob(".*") if recursive else folder.glob(".*")):
        if p.is_file() and is_temp_file(p):
            try:
                p.unlink()
                n += 1
            except FileNotFoundError:
                pass
    return n


@contextmanager
def atomic_path(path: str | os.PathLike, suffix: str | None = None):
    """
    Yield a temporary path beside ``path``; rename it onto ``path`` only on success.

    The temporary file is created exclusively under a unique name matching
    :data:`TEMP_PATTERN`, with the usual permissions (0666 less the umask;
    ``tempfile.mkstemp`` would make it 0600).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f".{path.name}.{uuid.uuid4().hex}.tmp{suffix or path.suffix}"
    with open(tmp, "xb"):
        pass
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def check_write_format(path: str | os.PathLike, bit_depth: int) -> str:
    """The lower-case suffix of ``path`` after checking it is a format that holds ``bit_depth``."""
    if isinstance(bit_depth, (bool, np.bool_)) or not isinstance(bit_depth, (int, np.integer)):
        raise TypeError(f"`bit_depth` must be the integer 8 or 16; got {bit_depth!r}")
    if bit_depth not in (8, 16):
        raise ValueError(f"`bit_depth` must be 8 or 16; got {bit_depth!r}")
    suffix = Path(path).suffix.lower()
    if suffix not in WRITE_FORMATS:
        raise ValueError(f"`path` must end in one of {', '.join(WRITE_FORMATS)} (the format is taken from it); "
                         f"got {os.fspath(path)!r}")
    if bit_depth not in WRITE_FORMATS[suffix]:
        raise ValueError(f"`bit_depth` 16 needs a .png or .tif/.tiff `path`; {suffix} holds 8 bits only")
    return suffix


def write_image(path: str | os.PathLike, image: np.ndarray, *, bit_depth: int = 8, quality: int | None = None) -> Path:
    """
    Write a float image in [0, 1] atomically: ``(rows, cols)`` or ``(rows, cols, c)``
    with c = 1 (grey), 2 (grey + alpha), 3 (RGB) or 4 (RGBA).

    The format comes from the suffix: ``.png``, ``.tif``/``.tiff`` (8 or 16 bits),
    ``.jpg``/``.jpeg``, ``.bmp``, ``.webp`` (8 bits). ``quality`` (1–100, default 95)
    applies to JPEG only. Values are clipped to [0, 1] and rounded to the nearest code.
    """
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"`path` must be a str or os.PathLike; got {type(path).__name__}")
    suffix = check_write_format(path, bit_depth)
    if quality is not None:
        if suffix not in (".jpg", ".jpeg"):
            raise ValueError(f"`quality` applies to .jpg/.jpeg only; got it with {suffix}")
        if isinstance(quality, (bool, np.bool_)) or not isinstance(quality, (int, np.integer)):
            raise TypeError(f"`quality` must be an integer in [1, 100]; got {quality!r}")
        if not 1 <= quality <= 100:
            raise ValueError(f"`quality` must be an integer in [1, 100]; got {quality!r}")
    import imageio.v3 as iio

    try:
        img = np.asarray(image, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"`image` must be a numeric array; got {type(image).__name__}") from None
    if img.ndim not in (2, 3) or (img.ndim == 3 and not 1 <= img.shape[2] <= 4) or img.size == 0:
        raise ValueError(f"`image` must be a (rows, cols) or (rows, cols, channels) array with 1-4 channels "
                         f"(grey, grey+alpha, RGB, RGBA); got shape {img.shape}")
    if img.ndim == 3 and img.shape[2] == 1:
        img = img[:, :, 0]
    if img.ndim == 3 and img.shape[2] in (2, 4) and suffix in (".jpg", ".jpeg", ".bmp"):
        raise ValueError(f"`image` has an alpha channel, which {suffix} cannot hold; use .png, .tif or .webp")
    if not np.all(np.isfinite(img)):
        raise ValueError("`image` contains NaN or inf")
    scale, dtype = (255, np.uint8) if bit_depth == 8 else (65535, np.uint16)
    data = np.round(np.clip(img, 0, 1) * scale).astype(dtype)
    with atomic_path(path) as tmp:
        if bit_depth == 16 and suffix == ".png":
            tmp.write_bytes(_png16(data))  # Pillow cannot write 16-bit RGB PNGs
        elif suffix in (".jpg", ".jpeg"):
            iio.imwrite(tmp, data, extension=suffix, quality=95 if quality is None else int(quality))
        else:
            iio.imwrite(tmp, data, extension=suffix)
    return Path(path)


def _png16(data: np.ndarray) -> bytes:
    """Encode a uint16 grey, grey+alpha, RGB or RGBA image as a PNG (PNG spec, ISO/IEC 15948: IHDR, IDAT, IEND)."""
    import struct
    import zlib

    rows, cols = data.shape[:2]
    colour_type = 0 if data.ndim == 2 else {1: 0, 2: 4, 3: 2, 4: 6}[data.shape[2]]  # grey, grey+alpha, RGB, RGBA
    big_endian = np.ascontiguousarray(data, dtype=">u2").reshape(rows, -1).view(np.uint8)
    scanlines = np.concatenate([np.zeros((rows, 1), np.uint8), big_endian], axis=1)  # filter 0 per row

    def chunk(tag: bytes, payload: bytes) -> bytes:
        return struct.pack(">I", len(payload)) + tag + payload + struct.pack(">I", zlib.crc32(tag + payload))

    header = struct.pack(">IIBBBBB", cols, rows, 16, colour_type, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(scanlines.tobytes(), 6)) + chunk(b"IEND", b""))


def _png_bit_depth(path: str) -> int | None:
    """The IHDR bit depth of a PNG file, or None if ``path`` is not a PNG."""
    with open(path, "rb") as f:
        head = f.read(29)
    if len(head) < 29 or head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        return None
    return head[24]


def read_file(path: str | os.PathLike) -> np.ndarray:
    """
    The pixels of an image file in their own dtype (uint8, uint16 or float),
    ``(rows, cols)`` or ``(rows, cols, channels)``: 16-bit PNGs at 16 bits (pypng),
    other files through imageio with the EXIF orientation applied (upright).
    Raises ``ValueError`` naming the file if it is missing or unreadable.
    """
    import warnings

    p = os.fspath(path)
    if not os.path.isfile(p):
        raise ValueError(f"`image`: no such file {p!r}")
    try:
        if _png_bit_depth(p) == 16:
            import png

            width, height, rows, info = png.Reader(filename=p).asDirect()
            planes = info["planes"]
            arr = np.vstack([np.asarray(r, dtype=np.uint16) for r in rows]).reshape(height, width, planes)
            return arr[:, :, 0] if planes == 1 else arr
        import imageio.v3 as iio

        if p.lower().endswith((".tif", ".tiff")):  # tifffile keeps 16 bits; Pillow would not
            return np.asarray(iio.imread(p))
        with warnings.catch_warnings():  # imageio's plugin probing of a broken file warns
            warnings.simplefilter("ignore")
            try:
                return np.asarray(iio.imread(p, plugin="pillow", rotate=True))
            except Exception:  # not a Pillow format (or Pillow failed): imageio's other plugins
                return np.asarray(iio.imread(p))
    except Exception as exc:  # imageio/pypng raise many types for unreadable files
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        raise ValueError(f"`image`: cannot read {p!r} as an image ({type(exc).__name__}: {first_line})") from None


def image_size(path: str | os.PathLike) -> tuple[int, int] | None:
    """``(rows, cols)`` of an image file, upright, from its header only; None if unknown."""
    try:
        from PIL import Image

        with Image.open(path) as im:
            cols, rows = im.size
            orientation = im.getexif().get(0x0112, 1)
        return (cols, rows) if orientation in (5, 6, 7, 8) else (rows, cols)
    except Exception:
        return None


def default_images() -> list[Path]:
    """The embedded default images (see camsim/data/images/PROVENANCE.md)."""
    return sorted((DATA_DIR / "images").glob("*.png"))
