"""
``camsim`` command line
=======================

``camsim simulate INPUT... (--preset NAME | --fnumber N --pixel-pitch M ...) --out DIR``
runs images through a camera and writes PNGs; ``camsim presets`` prints the study's
camera settings; ``camsim info`` prints versions and the numba threading layer.
User mistakes print one line and exit with status 2 (no traceback), before any work.

``--out`` gets ``camsim-record.json``: the camera configuration (:meth:`camsim.Camera.config`),
the capture settings and, per output, its source's SHA-256 and noise seed. A rerun keeps an
existing output only if the record says it was made from the same source, settings and
seed; a folder made with other settings is refused (or, with ``--overwrite``, its images
are replaced). A lock file (``.camsim.lock``) keeps two runs out of one folder, and
temp files a killed run left are removed; ``--jobs`` workers exit when their parent dies.

``--sweep KEY=V1,V2`` (repeatable) expands to one sub-folder of ``--out`` per combination
(``fnumber=2.8_pixel_pitch=1e-06``), each with its own record, plus ``camsim-sweep.json``
listing every combination's folder and camera configuration. ``--scheduler local`` (with
``--jobs`` workers) or ``--scheduler tcp://HOST:PORT`` renders on Dask: the workers read
the inputs (same paths, hash-checked), the PNG bytes come back and are written here, so the
files are those of a run without Dask, and a killed worker's images are redone elsewhere.
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


RECORD_NAME = "camsim-record.json"  # in --out: the settings and sources that made its images
LOCK_NAME = ".camsim.lock"  # in --out: held while a run writes there
RECORD_VERSION = 1
# Camera.config() sensor keys renamed since the first records ({old: new}); old records read as new.
_RENAMED_SENSOR_KEYS = {"seed": "pattern_seed"}
# Working memory of one capture, bytes per padded scene sample and per sensor pixel: the
# traced peaks (tracemalloc) of a 2000×1500 `pixel` and a 500×375 `deblur` capture were
# ~32 and ~47 B; these include a 1.5-2× margin.
BYTES_PER_SCENE_SAMPLE = 48
BYTES_PER_SENSOR_PIXEL = 96


def _inputs(paths: list[str]) -> list[tuple[Path, Path]]:
    """``(file, name)`` per input image: ``name`` is the path below a folder argument (recursive), or the file name."""
    from ._io import is_temp_file

    files: list[tuple[Path, Path]] = []
    for p in map(Path, paths):
        if p.is_dir():
            found = sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in IMAGE_SUFFIXES
                           and not any(part.startswith(".") for part in f.relative_to(p).parts)
                           and not is_temp_file(f))
            if not found:
                raise UsageError(f"no images ({', '.join(sorted(IMAGE_SUFFIXES))}) in folder {p}")
            files.extend((f, f.relative_to(p)) for f in found)
        elif p.is_file():
            files.append((p, Path(p.name)))
        else:
            raise UsageError(f"no such file or folder: {p}")
    return files


def _targets(files: list[tuple[Path, Path]], label: str) -> list[Path]:
    """Output path (relative to --out) per input: ``sub/stem_label.png``; clashing names keep their extension."""
    plain = [name.parent / f"{name.stem}_{label}.png" for _, name in files]
    counts: dict[Path, int] = {}
    for t in plain:
        counts[t] = counts.get(t, 0) + 1
    out = [t if counts[t] == 1 else name.parent / f"{name.stem}_{name.suffix.lstrip('.').lower()}_{label}.png"
           for t, (_, name) in zip(plain, files)]
    seen: dict[Path, Path] = {}
    for t, (f, _) in zip(out, files):
        if t in seen:
            raise UsageError(f"inputs {seen[t]} and {f} would both be written to {t}; rename one or run them separately")
        seen[t] = f
    return out


SWEEP_KEYS = {"fnumber": "fnumber", "aperture": "aperture_diameter", "aperture_diameter": "aperture_diameter",
              "focal_length": "focal_length", "pixel_pitch": "pixel_pitch", "exposure_time": "exposure_time",
              "exposure_bias": "exposure_bias"}  # --sweep name → Camera keyword
SWEEP_NAME = "camsim-sweep.json"  # in --out of a sweep: one entry per combination folder
MAX_COMBINATIONS = 10_000


def _camera(args, overrides: dict | None = None):
    from .camera import Camera

    shortcuts = {k: v for k, v in (("fnumber", args.fnumber), ("aperture_diameter", args.aperture),
                                   ("focal_length", args.focal_length), ("pixel_pitch", args.pixel_pitch),
                                   ("exposure_time", args.exposure_time)) if v is not None}
    if args.noise is not None:
        shortcuts["noise"] = args.noise == "on"
    if args.exposure_bias is not None:
        shortcuts["exposure_bias"] = args.exposure_bias
    shortcuts.update(overrides or {})
    if args.preset:
        return Camera.preset(args.preset, **shortcuts), bool(shortcuts)
    if not shortcuts:
        raise UsageError("give --preset NAME or camera parameters (e.g. --fnumber 22 --pixel-pitch 1e-6)")
    return Camera(**shortcuts), True


def _parse_sweep(specs: list[str] | None, args) -> list[dict]:
    """``--sweep KEY=V1,V2`` (repeatable) → the combinations, each ``{camera keyword: value}`` (``[{}]`` without)."""
    import itertools

    if not specs:
        return [{}]
    axes: dict[str, list[float]] = {}
    for spec in specs:
        key, sep, values = spec.partition("=")
        name = key.strip().replace("-", "_")
        if not sep or name not in SWEEP_KEYS or not values.strip():
            raise UsageError(f"--sweep {spec!r}: expected KEY=V1,V2,... with KEY one of "
                             f"{', '.join(k for k in SWEEP_KEYS if k != 'aperture_diameter')}")
        kw = SWEEP_KEYS[name]
        if kw in axes:
            raise UsageError(f"--sweep {kw} given twice; list all its values in one --sweep")
        flag = {"aperture_diameter": "aperture"}.get(kw, kw)
        if getattr(args, flag) is not None:
            raise UsageError(f"--{flag.replace('_', '-')} and --sweep {name} both set it; give one")
        vals = []
        for text in values.split(","):
            try:
                v = float(text)
            except ValueError:
                raise UsageError(f"--sweep {name}: {text.strip()!r} is not a number") from None
            if not (abs(v) < float("inf")) or (kw != "exposure_bias" and not v > 0):
                raise UsageError(f"--sweep {name}: values must be finite numbers"
                                 + (" > 0" if kw != "exposure_bias" else "") + f"; got {text.strip()!r}")
            if any(f"{v:g}" == f"{u:g}" for u in vals):
                raise UsageError(f"--sweep {name}: {text.strip()!r} repeats a value (or equals one to 6 digits)")
            vals.append(v)
        axes[kw] = vals
    n = 1
    for vals in axes.values():
        n *= len(vals)
    if n > MAX_COMBINATIONS:
        raise UsageError(f"--sweep gives {n} combinations, over {MAX_COMBINATIONS}; sweep fewer values")
    return [dict(zip(axes, combo)) for combo in itertools.product(*axes.values())]


def _combination_folder(combo: dict) -> str:
    """Folder name of one sweep combination, e.g. ``fnumber=2.8_pixel_pitch=1e-06``."""
    return "_".join(f"{k}={v:g}" for k, v in combo.items())


def _label(camera, changed: bool) -> str:
    """Output-name label: the preset name, or ``name-<config hash>`` for a changed preset or a custom camera."""
    if not changed:
        return camera.name
    import hashlib
    import json

    # Hashed in the key names of the first records, so a renamed config key keeps the output names.
    config = _renamed_sensor_keys(camera.config(), {new: old for old, new in _RENAMED_SENSOR_KEYS.items()})
    digest = hashlib.sha256(json.dumps(config, sort_keys=True).encode()).hexdigest()[:8]
    return f"{camera.name}-{digest}"


def _renamed_sensor_keys(config: dict, renames: dict[str, str]) -> dict:
    """A copy of a :meth:`camsim.Camera.config` dict with its sensor keys renamed (``{old: new}``), order kept."""
    sensor = config.get("sensor")
    if not isinstance(sensor, dict) or not any(k in sensor for k in renames):
        return config
    return {**config, "sensor": {renames.get(k, k): v for k, v in sensor.items()}}


def _check_out(out: Path) -> None:
    """--out must be (or become) a writable folder: checked before any work."""
    import uuid

    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out} is a file, not a folder")
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / f".camsim-probe.{uuid.uuid4().hex}.tmp"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise UsageError(f"--out {out} is not a writable folder ({exc.strerror or type(exc).__name__})") from None


def _lock(out: Path):
    """An exclusive lock on --out (released when the process ends, even by SIGKILL); None where unsupported."""
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock, no temp-file clean-up
        return None
    fh = open(out / LOCK_NAME, "a")
    try:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        fh.close()
        raise UsageError(f"another camsim run is writing to --out {out}; wait for it or use another folder") from None
    return fh


def _memory_limit(args) -> float:
    """Bytes: --max-memory (GiB), else half the physical memory (8 GiB if unknown)."""
    if args.max_memory is not None:
        return args.max_memory * 2**30
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2
    except (ValueError, OSError, AttributeError):
        return 8 * 2**30


def _check_memory(camera, files, args) -> None:
    """Refuse, before any work, a capture whose estimated working memory exceeds the limit."""
    import math

    from ._io import image_size

    fov = 10.0 if args.fov is None else args.fov
    distance = 1.2 if args.distance is None else args.distance
    try:
        d_i = camera.optics.image_distance(distance)
    except ValueError as exc:
        raise UsageError(f"--distance {distance:g} m: {exc}") from None
    width = 2 * d_i * math.tan(math.radians(fov) / 2)  # sensor-plane width of the scene, m
    limit = _memory_limit(args)
    worst = (0.0, None)
    for f, _ in files:
        size = image_size(f)
        if size is None:
            continue
        rows, cols = size
        s_cols = width / camera.sensor.pixel_pitch
        s_rows = s_cols * rows / cols
        if camera.sensor.size is not None:
            s_rows, s_cols = camera.sensor.size
        elif camera.sensor.size_rule == "isetcam":
            s_rows = s_cols * 72 / 88
        need = BYTES_PER_SCENE_SAMPLE * rows * cols * 1.25**2 + BYTES_PER_SENSOR_PIXEL * s_rows * s_cols
        if args.size:
            need += args.size**2 * 3 * 8 * 2
        if need > worst[0]:
            worst = (need, (f, rows, cols, s_rows, s_cols))
    need, info = worst
    if need > limit:
        f, rows, cols, s_rows, s_cols = info
        out = f", output {args.size}×{args.size}" if args.size else ""
        raise UsageError(
            f"{f.name}: a capture needs about {need / 2**30:.3g} GiB (image {rows}×{cols}, sensor "
            f"{s_rows:.4g}×{s_cols:.4g} pixels from --fov {fov:g}° and --pixel-pitch {camera.sensor.pixel_pitch:g} m"
            f"{out}), over the limit of {limit / 2**30:.3g} GiB; lower --size/--fov, raise --pixel-pitch, "
            f"or raise --max-memory")


def _check_exposure(camera) -> None:
    """A fixed exposure time must leave room in the well after the dark charge."""
    s = camera.sensor
    t = s.exposure_time
    if t is None:
        return
    t = t * 2.0 ** camera.exposure_bias
    dark = s.dark_current * t if s.noise.dark_current else 0.0
    if dark >= s.full_well:
        raise UsageError(f"--exposure-time {s.exposure_time:g} s: dark current alone ({s.dark_current:g} e⁻/s) fills "
                         f"the {s.full_well:g} e⁻ well after {s.full_well / s.dark_current:.4g} s; give a shorter "
                         "exposure (or leave it out for auto-exposure)")


def _sha256(path: Path) -> str:
    import hashlib

    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _read_record(out: Path) -> dict | None:
    import json

    p = out / RECORD_NAME
    if not p.exists():
        return None
    try:
        rec = json.loads(p.read_text(encoding="utf-8"))
        if rec.get("version") != RECORD_VERSION or not isinstance(rec.get("files"), dict):
            raise ValueError
        settings = rec.get("settings")
        if isinstance(settings, dict) and isinstance(settings.get("camera"), dict):
            rec["settings"] = {**settings, "camera": _renamed_sensor_keys(settings["camera"], _RENAMED_SENSOR_KEYS)}
        return rec
    except (ValueError, OSError, AttributeError):
        raise UsageError(f"--out {out}: {RECORD_NAME} is unreadable; use a new folder or --overwrite") from None


def _write_record(out: Path, record: dict) -> None:
    import json

    from ._io import atomic_path

    with atomic_path(out / RECORD_NAME) as tmp:
        tmp.write_text(json.dumps(record, indent=1, sort_keys=True), encoding="utf-8")


def _render_one(camera, f: Path, target: Path, seed, fov, distance, size, bit_depth) -> str | None:
    """Capture one file and write its PNG; the error message for an unreadable input, else None."""
    import numpy as np

    from ._io import write_image
    from .resize import center_crop_square, resize_area

    try:
        cap = camera.capture(f, fov=fov, distance=distance, seed=seed)
    except ValueError as exc:
        return str(exc)
    except MemoryError:
        return "out of memory (lower --size/--fov or raise --pixel-pitch)"
    img = cap.image
    if size:
        img = np.clip(resize_area(center_crop_square(img), (size, size)), 0, 1)
    write_image(target, img, bit_depth=bit_depth)
    return None


_WORKER_CAMERAS: list = []


def _watch_parent(parent: int) -> None:
    """Worker thread: end this process as soon as the parent is gone (killed, even by SIGKILL)."""
    while True:
        if os.getppid() != parent:
            os._exit(1)
        time.sleep(0.1)


def _worker_init(cameras, parent: int) -> None:
    """Worker process: dies with its parent; one numba thread (the processes share the cores), the cameras."""
    import threading

    import numba

    global _WORKER_CAMERAS
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True, name="camsim-parent-watch").start()
    numba.set_num_threads(1)
    _WORKER_CAMERAS = cameras


def _worker_render(job):
    return _render_one(_WORKER_CAMERAS[job[0]], *job[1])


_DASK_WORKER_READY = False
DASK_MISSING = "Dask is not installed: pip install 'camsim-isetcam[distributed]'"


def _dask_render(camera, f: Path, sha256: str, seed, fov, distance, size, bit_depth):
    """On a Dask worker: capture ``f`` (checked against the client's hash) → ``(PNG bytes, None)``
    or ``(None, error)`` for an unreadable input. The client writes the bytes (no shared --out needed)."""
    import hashlib
    import tempfile

    global _DASK_WORKER_READY
    if not _DASK_WORKER_READY:
        from .threads import set_threads

        set_threads(1)  # one thread per worker: the workers share the cores
        _DASK_WORKER_READY = True
    try:
        data = Path(f).read_bytes()
    except OSError as exc:
        raise RuntimeError(f"the worker cannot read {f} ({exc.strerror or exc}); inputs must be on storage all "
                           "workers see at the same path") from None
    if hashlib.sha256(data).hexdigest() != sha256:
        raise RuntimeError(f"the worker reads other bytes at {f} than the client hashed (not the same shared "
                           "storage, or the file changed)")
    with tempfile.TemporaryDirectory(prefix="camsim-dask-") as tmp:
        target = Path(tmp) / "out.png"
        error = _render_one(camera, f, target, seed, fov, distance, size, bit_depth)
        return (None, error) if error is not None else (target.read_bytes(), None)


def _check_scheduler(args) -> None:
    if args.scheduler is None:
        return
    import re

    if not (args.scheduler == "local" or re.fullmatch(r"(tcp|tls|ucx)://\S+", args.scheduler)):
        raise UsageError(f"--scheduler must be 'local' or a Dask scheduler address like tcp://HOST:PORT; "
                         f"got {args.scheduler!r}")
    if args.scheduler != "local" and args.jobs != 1:
        raise UsageError("--jobs sets the processes on this machine; a --scheduler address uses the cluster's own "
                         "workers (start them with `dask worker ADDRESS --nthreads 1`)")
    try:
        import distributed  # noqa: F401
    except ImportError:
        raise UsageError(DASK_MISSING) from None


def _dask_client(args):
    from distributed import Client, LocalCluster

    if args.scheduler == "local":
        cluster = LocalCluster(n_workers=args.jobs, threads_per_worker=1, processes=True, host="127.0.0.1",
                               dashboard_address=":0", silence_logs=40)
        return Client(cluster), cluster
    try:
        return Client(args.scheduler, timeout="20s"), None
    except (OSError, TimeoutError) as exc:
        raise UsageError(f"cannot reach the Dask scheduler {args.scheduler} ({type(exc).__name__}: {exc})") from None


def _simulate(args) -> int:
    from ._io import remove_stale_temp_files

    files = _inputs(args.inputs)
    _check_scheduler(args)
    combos = _parse_sweep(args.sweep, args)
    out = Path(args.out)
    units = []  # one per output folder: (folder, camera, label, targets, combination)
    for combo in combos:
        where = f"--sweep {', '.join(f'{k}={v:g}' for k, v in combo.items())}: " if combo else ""
        try:
            camera, changed = _camera(args, combo)
        except ValueError as exc:
            raise UsageError(where + str(exc)) from None
        label = _label(camera, changed)
        targets = _targets(files, label)
        try:
            _check_exposure(camera)
            _check_memory(camera, files, args)
        except UsageError as exc:
            raise UsageError(where + str(exc)) from None
        units.append((out / _combination_folder(combo) if args.sweep else out, camera, label, targets, combo))
    _check_out(out)
    locks = []
    try:
        for folder, *_ in units:
            if folder != out:
                _check_out(folder)
        for folder in dict.fromkeys([out] + [u[0] for u in units]):
            lock = _lock(folder)
            locks.append(lock)
            if lock is not None:
                remove_stale_temp_files(folder, recursive=folder != out or not args.sweep)
        if args.sweep:
            _write_sweep(out, units)
        return _simulate_in(args, files, units, out)
    finally:
        for lock in locks:
            if lock is not None:
                lock.close()


def _write_sweep(out: Path, units) -> None:
    """``camsim-sweep.json``: the swept values and, per combination, its folder and camera configuration."""
    import json

    from ._io import atomic_path

    runs = [{"folder": folder.name, "values": combo, "label": label, "camera": camera.config()}
            for folder, camera, label, _, combo in units]
    with atomic_path(out / SWEEP_NAME) as tmp:
        tmp.write_text(json.dumps({"version": RECORD_VERSION, "runs": runs}, indent=1, sort_keys=True),
                       encoding="utf-8")


def _simulate_in(args, files, units, out: Path) -> int:
    """The work of :func:`_simulate`, with every output folder checked and locked."""
    hashes = {f: _sha256(f) for f, _ in files}
    records, todo, skipped = _plan(args, files, units, hashes)
    t0 = time.perf_counter()
    failed = _render_all(args, files, units, todo, records, hashes)
    dt = time.perf_counter() - t0
    done = len(todo) - len(failed)
    where = (f"{out}/ with {units[0][1]!r}" if len(units) == 1 and not args.sweep
             else f"{len(units)} folders under {out}/ (see {SWEEP_NAME})")
    print(f"camsim: {done} image(s) written to {where} in {dt:.1f} s"
          + (f"; {skipped} already done (kept)" if skipped else "")
          + (f"; {len(failed)} failed" if failed else ""))
    for f, error in failed:
        print(f"  failed: {f.name}: {error}", file=sys.stderr)
    return 2 if failed else 0


def _plan(args, files, units, hashes) -> tuple[list[dict], list, int]:
    """Each folder's record (refused or cleared if its settings changed) and the images still to
    render: → (records, todo items ``(unit, job, relative path, record entry)``, images kept)."""
    records, todo, skipped = [], [], 0
    for u, (folder, camera, label, targets, _) in enumerate(units):
        settings = {"camera": camera.config(), "label": label, "fov": args.fov, "distance": args.distance,
                    "size": args.size, "bit_depth": args.bit_depth}
        record = _read_record(folder)
        if record is not None and record.get("settings") != settings:
            if not args.overwrite:
                raise UsageError(f"--out {folder} holds images made with another camera or settings; "
                                 "use a new folder or --overwrite")
            for name in record["files"]:  # the old settings' images: replaced, never mixed in
                (folder / name).unlink(missing_ok=True)
            record = None
        if record is None:
            record = {"version": RECORD_VERSION, "settings": settings, "files": {}}
        for i, ((f, _), rel) in enumerate(zip(files, targets)):  # i: position among all inputs (resume keeps seeds)
            seed = None if args.seed is None else args.seed + i
            entry = {"source": str(f), "sha256": hashes[f], "seed": seed}
            target = folder / rel
            known = record["files"].get(rel.as_posix())
            if (not args.overwrite and target.exists() and known is not None
                    and known.get("sha256") == entry["sha256"] and known.get("seed") == seed):
                skipped += 1  # resume: made from this very source with these settings and seed
            else:
                record["files"].pop(rel.as_posix(), None)
                todo.append((u, (f, target, seed, args.fov, args.distance, args.size, args.bit_depth), rel, entry))
        _write_record(folder, record)
        records.append(record)
    return records, todo, skipped


def _render_all(args, files, units, todo, records, hashes) -> list:
    """Render ``todo`` (Dask, worker processes or here), recording each image as it is written;
    → the failures ``(source, error)``. One failure stops a single-image or ``--strict`` run."""
    from tqdm import tqdm

    failed = []

    def finished(item, error):
        u, job, rel, entry = item
        bar.update()
        if error is None:
            records[u]["files"][rel.as_posix()] = entry
            _write_record(units[u][0], records[u])
        else:
            failed.append((job[0], error))

    name = units[0][2] if len(units) == 1 else f"sweep of {len(units)}"
    bar = tqdm(total=len(todo), desc=f"camsim {name}", unit="img", disable=args.quiet)
    single = len(files) == 1 and len(units) == 1
    if args.scheduler is not None and todo:
        _run_dask(args, units, todo, finished, hashes)
    elif args.jobs > 1 and len(todo) > 1:
        import multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor, as_completed

        with ProcessPoolExecutor(min(args.jobs, len(todo)), mp_context=mp.get_context("spawn"),
                                 initializer=_worker_init, initargs=([u[1] for u in units], os.getpid())) as pool:
            futures = {pool.submit(_worker_render, (item[0], item[1])): item for item in todo}
            for fut in as_completed(futures):
                finished(futures[fut], fut.result())
    else:
        for item in todo:
            error = _render_one(units[item[0]][1], *item[1])
            finished(item, error)
            if error is not None and (single or args.strict):
                bar.close()
                raise UsageError(f"{item[1][0]}: {error}")
    bar.close()
    if failed and (single or args.strict):
        raise UsageError(f"{failed[0][0]}: {failed[0][1]}")
    return failed


def _run_dask(args, units, todo, finished, hashes) -> None:
    """Render ``todo`` on Dask; PNG bytes come back and are written here (atomically) as they finish.
    A task that raised, or whose workers were killed too often, is retried twice, then reported failed."""
    from distributed import as_completed

    from ._io import atomic_path

    client, cluster = _dask_client(args)
    try:
        cameras = client.scatter([u[1] for u in units], broadcast=True)
        futures = {}
        for item in todo:
            u, (f, target, seed, fov, distance, size, bit_depth), _, _ = item
            fut = client.submit(_dask_render, cameras[u], f, hashes[f], seed, fov, distance, size, bit_depth,
                                retries=2, pure=False)
            futures[fut] = item
        for fut in as_completed(futures):
            item = futures.pop(fut)
            try:
                data, error = fut.result()
            except Exception as exc:  # KilledWorker, an exception on the worker, a lost scheduler
                msg = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
                data, error = None, f"failed on the cluster ({type(exc).__name__}: {msg})"
            fut.release()
            if data is not None:
                target = item[1][1]
                target.parent.mkdir(parents=True, exist_ok=True)
                with atomic_path(target) as tmp:
                    tmp.write_bytes(data)
            finished(item, error)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


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
    # The threading layer is chosen on the first parallel execution: run a tiny parallel kernel.
    import numpy as np

    from ._kernels.demosaic import __name__ as _  # noqa: F401 (numba configured as camsim uses it)

    @numba.njit(parallel=True, cache=False)
    def _touch(x):
        s = 0.0
        for i in numba.prange(x.size):
            s += x[i]
        return s

    _touch(np.ones(8))
    try:
        layer = numba.threading_layer()
    except ValueError:
        layer = "not initialised"
    print(f"numba threading layer: {layer}, threads: {numba.get_num_threads()}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    from . import __version__

    p = _Parser(prog="camsim", description="Physically based camera simulator (ISETCam chain).")
    p.add_argument("--version", action="version", version=f"camsim {__version__}")
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
    s.add_argument("--scheduler", metavar="local|tcp://HOST:PORT",
                   help="run the captures on Dask: 'local' starts a LocalCluster of --jobs one-thread processes; an "
                        "address uses a running cluster whose workers see the inputs at the same paths (the PNGs "
                        "come back and are written here). Needs pip install 'camsim-isetcam[distributed]'")
    s.add_argument("--sweep", action="append", metavar="KEY=V1,V2,...",
                   help="parameter sweep (repeatable): one output folder per combination under --out, e.g. "
                        "--sweep fnumber=2.8,4,8 --sweep pixel_pitch=1e-6,2e-6; KEY: fnumber, aperture, "
                        "focal_length, pixel_pitch, exposure_time, exposure_bias")
    s.add_argument("--max-memory", type=_positive_float("--max-memory"),
                   help="GiB a capture may need (estimated before any work; default: half the physical memory)")
    s.add_argument("--overwrite", action="store_true",
                   help="recompute outputs that already exist (and replace those of other settings)")
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
            if args.seed is not None and not 0 <= args.seed < 2**63:
                raise UsageError(f"--seed must be an integer in [0, 2**63); got {args.seed}")
            if args.fov is not None and not args.fov < 180:
                raise UsageError(f"--fov must be in (0, 180) degrees; got {args.fov:g}")
        return args.func(args)
    except UsageError as exc:
        print(f"camsim: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("camsim: interrupted (finished images are kept; rerun to resume)", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
