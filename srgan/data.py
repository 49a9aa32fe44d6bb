"""
Data — LR/HR pair caches and the training dataset
=================================================

:func:`prepare` turns sources (:mod:`srgan.sources`) × a task (:mod:`srgan.tasks`)
into a cache folder: pair shards ``<split>-<index>-<key>.npz`` plus ``manifest.json``.
:class:`PairDataset` serves a cache to :mod:`torch`.

Shards hold uint8 arrays ``lr (n, l, l, 3)`` and ``hr (n, h, h, 3)``: 8 bits is the
precision of the source photos and of a rendered camera image, a quarter of float32's
size (the study's set fits in memory as uint8), and ``.npz`` loads with numpy alone and
without pickle. They are written uncompressed (photographs hardly compress, and loading
stays a copy) with fixed zip timestamps, so the same configuration gives the same
bytes, whatever the number of workers or interruptions.

A shard's file name carries ``key`` = SHA-256 of (generation config, its sources'
hashes): a file that exists was written completely (atomic rename) for exactly this
configuration, so a rerun reuses it without any camera work and an interrupted run
resumes at the first missing shard. Shards of another configuration are deleted.

Every random choice — crop positions, sensor-noise seed — derives from (source SHA-256,
crop index, base seed) (:func:`pair_seed`), never from worker order.

The camera work runs in this process, a local process pool (``workers``) or on a Dask
cluster (``scheduler``: ``"local"`` starts a :class:`~distributed.LocalCluster` of
``workers`` one-thread processes, ``"tcp://host:port"`` uses a running one). Dask workers
stream each source's uint8 pairs back and this process alone writes the shards, in plan
order: the bytes do not depend on the executor, a dying worker cannot leave half a shard,
and the output folder need not be visible to the workers (the input images must be, at
the same path; each worker checks the SHA-256 of what it reads).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import signal
import sys
import threading
import time
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import __version__
from .errors import UsageError
from .sources import Source, dead_leaves_sources, embedded_sources, folder_sources, split_of
from .tasks import MODES, Task, get_task

__all__ = ["FORMAT", "PrepareSummary", "PrepareError", "prepare", "read_manifest", "load_split", "PairDataset",
           "pair_seed", "crop_boxes", "DASK_MISSING"]

FORMAT = "srgan-pairs/1"  # bump when the shard layout or the pairing code changes meaning
MANIFEST = "manifest.json"


# ----------------------------------------------------------------------------- seeds, crops
def pair_seed(sha256: str, index: int, base_seed: int) -> int:
    """Noise seed of crop ``index`` of the source with hash ``sha256``: 63 bits of SHA-256."""
    return int(hashlib.sha256(f"{sha256}:{index}:{base_seed}".encode()).hexdigest()[:16], 16) >> 1


def crop_boxes(sha256: str, shape: tuple[int, int], size: int, n: int, base_seed: int) -> list[tuple[int, int]]:
    """``n`` (top, left) corners of ``size × size`` crops in an image of ``shape``, seeded by (hash, base seed)."""
    rng = np.random.default_rng(pair_seed(sha256, -1, base_seed))
    rows, cols = shape
    return [(int(rng.integers(0, rows - size + 1)), int(rng.integers(0, cols - size + 1))) for _ in range(n)]


# ----------------------------------------------------------------------------- one source → pairs
@dataclass(frozen=True)
class _Job:
    task: Task
    mode: str
    patches: int
    base_seed: int
    upscale_small: bool


def _to_u8(x: np.ndarray) -> np.ndarray:
    return np.round(np.clip(x, 0.0, 1.0) * 255.0).astype(np.uint8)


def _make_pairs(job: _Job, src: Source):
    """→ (lr uint8 (k,l,l,3), hr uint8 (k,h,h,3), crop indices, seeds, None) or (…, reason) if skipped."""
    task, n = job.task, job.task.hr_size
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # a truncated image warns in some readers: treat as unreadable
            img = np.asarray(src.load(), dtype=np.float32)
    except Exception as exc:  # any reader failure → skipped and reported
        msg = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        return None, f"unreadable ({type(exc).__name__}: {msg})"
    rows, cols = img.shape[:2]
    if min(rows, cols) < n:
        if not job.upscale_small:
            return None, f"too small ({rows}×{cols} < HR size {n}); pass upscale_small=True / --upscale-small to upscale"
        from .resample import bicubic_image

        k = n / min(rows, cols)
        img = bicubic_image(img, (max(n, round(rows * k)), max(n, round(cols * k))))
    lrs, hrs, idx, seeds = [], [], [], []
    if job.mode == "whole":
        seed = pair_seed(src.sha256, 0, job.base_seed)
        lr, hr = task.pair(img, seed=seed)
        lrs, hrs, idx, seeds = [lr], [hr], [0], [seed]
    else:
        for i, (top, left) in enumerate(crop_boxes(src.sha256, img.shape[:2], n, job.patches, job.base_seed)):
            seed = pair_seed(src.sha256, i, job.base_seed)
            lr, hr = task.patch_pair(img, top, left, seed=seed)
            lrs.append(lr), hrs.append(hr), idx.append(i), seeds.append(seed)
    return (np.stack([_to_u8(x) for x in lrs]), np.stack([_to_u8(x) for x in hrs]),
            np.asarray(idx, np.int32), np.asarray(seeds, np.uint64)), None


_WORKER_JOB: _Job | None = None


def _worker_init(job: _Job, parent: int) -> None:
    """Worker process: one thread (camsim.set_threads(1)); exits when its parent dies."""
    global _WORKER_JOB
    import camsim

    camsim.set_threads(1)
    _one_torch_thread()
    _WORKER_JOB = job
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops the pool
    if sys.platform.startswith("linux"):
        try:  # the kernel kills us when the parent process dies
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except Exception:
            pass

    def watch():  # portable fallback: poll the parent
        while True:
            if os.getppid() != parent:
                os._exit(1)
            time.sleep(0.5)

    threading.Thread(target=watch, daemon=True).start()
    if os.getppid() != parent:
        os._exit(1)


def _one_torch_thread() -> int:
    """One torch thread (the bicubic resizes); returns the previous count. torch's OpenMP
    threads otherwise spin between calls and slow the numba/FFT camera work several times."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    return before


def _worker_run(src: Source):
    return _make_pairs(_WORKER_JOB, src)


# ----------------------------------------------------------------------------- Dask
DASK_MISSING = "Dask is not installed: pip install 'camsim-isetcam[distributed]'"
_DASK_WORKER_READY = False


class PrepareError(RuntimeError):
    """Some sources could not be processed on the workers (not a user mistake); finished shards are kept."""


def _check_scheduler(scheduler) -> str | None:
    if scheduler is None:
        return None
    if not isinstance(scheduler, str) or not (scheduler == "local" or re.fullmatch(r"(tcp|tls|ucx)://\S+", scheduler)):
        raise ValueError(f"`scheduler` must be 'local' or a Dask scheduler address like tcp://HOST:PORT; got {scheduler!r}")
    return scheduler


def _dask_client(scheduler: str, workers: int):
    """``(client, cluster or None)``: a LocalCluster of ``workers`` one-thread processes, or a connection."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise UsageError(DASK_MISSING) from None
    if scheduler == "local":
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                               dashboard_address=":0", silence_logs=40)
        return Client(cluster), cluster
    try:
        return Client(scheduler, timeout="20s"), None
    except (OSError, TimeoutError) as exc:
        raise UsageError(f"cannot reach the Dask scheduler {scheduler} ({type(exc).__name__}: {exc})") from None


def _dask_pairs(job: _Job, src: Source):
    """On a Dask worker: one camsim/torch thread (set once per process), then :func:`_make_pairs`."""
    global _DASK_WORKER_READY
    if not _DASK_WORKER_READY:
        import camsim

        camsim.set_threads(1)
        _one_torch_thread()
        _DASK_WORKER_READY = True
    if src.path is not None:
        h = hashlib.sha256()
        try:
            with open(src.path, "rb") as fh:
                for block in iter(lambda: fh.read(1 << 20), b""):
                    h.update(block)
        except OSError as exc:
            raise RuntimeError(f"the worker cannot read {src.path} ({exc.strerror or exc}); inputs must be on storage "
                               "all workers see at the same path") from None
        if h.hexdigest() != src.sha256:
            raise RuntimeError(f"the worker reads other bytes at {src.path} than the client hashed (not the same shared "
                               "storage, or the file changed)")
    return _make_pairs(job, src)


class _Failed(str):
    """A per-source failure on the cluster (not a property of the image): its shard is not written."""


def _dask_results(job: _Job, flat: list[Source], client, retries: int = 2):
    """``_make_pairs`` results in the order of ``flat``; a source whose task failed after ``retries``
    (an exception, or workers killed under it ``distributed.scheduler.allowed-failures`` times) gives
    ``(None, _Failed(reason))``. A sliding window of submitted tasks bounds the memory held on the cluster."""
    import uuid
    from collections import deque

    n_threads = sum(w.get("nthreads", 1) for w in client.scheduler_info().get("workers", {}).values()) or 1
    window = max(8, 4 * n_threads)
    token = uuid.uuid4().hex[:8]
    pending: deque = deque()
    it = iter(enumerate(flat))

    def submit_more():
        while len(pending) < window:
            nxt = next(it, None)
            if nxt is None:
                return
            i, s = nxt
            pending.append(client.submit(_dask_pairs, job, s, key=f"srgan-pairs-{token}-{i}-{s.sha256[:12]}",
                                         retries=retries, pure=False))

    submit_more()
    try:
        while pending:
            fut = pending.popleft()
            try:
                res = fut.result()
            except Exception as exc:  # KilledWorker, an exception raised by the task, a lost scheduler
                msg = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
                res = (None, _Failed(f"failed on the cluster ({type(exc).__name__}: {msg})"))
            finally:
                fut.release()
            submit_more()
            yield res
    finally:
        for fut in pending:
            fut.cancel()


# ----------------------------------------------------------------------------- shards
def _write_npz(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """Uncompressed ``.npz`` with fixed timestamps (same arrays → same bytes), written atomically."""
    from camsim.io import atomic_path

    with atomic_path(path) as tmp:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_STORED) as zf:
            for name, arr in arrays.items():
                buf = io.BytesIO()
                np.lib.format.write_array(buf, np.ascontiguousarray(arr), allow_pickle=False)
                info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
                info.external_attr = 0o644 << 16
                zf.writestr(info, buf.getvalue())


def _json_array(obj) -> np.ndarray:
    return np.frombuffer(json.dumps(obj).encode(), dtype=np.uint8)


def _read_shard_meta(path: Path) -> dict:
    with np.load(path, allow_pickle=False) as z:
        return json.loads(bytes(z["meta"]).decode())


# ----------------------------------------------------------------------------- prepare
@dataclass(frozen=True)
class PrepareSummary:
    """What :func:`prepare` did."""

    out: str
    config_hash: str
    pairs: dict  # split → pairs in the cache
    written: int  # pairs generated by this run
    reused: int  # pairs found in existing shards
    captures: int  # camera captures (or bicubic pairs) computed by this run
    skipped: list  # [(source id or path, reason)]
    seconds: float
    pairs_per_s: float
    shards: int = 0
    notes: list = field(default_factory=list)

    def __str__(self) -> str:
        lines = [f"{sum(self.pairs.values())} pairs in {self.out} ({', '.join(f'{k} {v}' for k, v in self.pairs.items())}); "
                 f"{self.written} written, {self.reused} reused in {self.seconds:.1f} s "
                 f"({self.pairs_per_s:.1f} pairs/s); {len(self.skipped)} skipped"]
        lines += [f"  skipped: {s}: {r}" for s, r in self.skipped]
        return "\n".join(lines)


def _collect_sources(images, val_images, embedded, dead_leaves, dead_leaves_size, val_fraction, seed):
    sources, skipped = [], []
    for folders, split in ((images or [], "train" if val_images else None), (val_images or [], "val")):
        for d in folders:
            if not Path(d).is_dir():
                raise UsageError(f"`images`: {str(d)!r} is not a folder")
            found, ignored = folder_sources(d, split=split)
            sources += found
            skipped += ignored
    if embedded:
        sources += embedded_sources()
    if dead_leaves:
        sources += dead_leaves_sources(dead_leaves, size=dead_leaves_size, seed=seed)
    seen, unique = {}, []
    for s in sources:
        if s.sha256 in seen:
            skipped.append((s.path or s.id, f"duplicate of {seen[s.sha256]}"))
            continue
        seen[s.sha256] = s.id
        if s.split is None:
            s = Source(s.id, s.sha256, s.path, split_of(s.sha256, val_fraction), s.loader)
        unique.append(s)
    if not unique:
        raise UsageError("no source images: give --images folders, or use the embedded photos / dead leaves")
    return unique, skipped


def _check_int(name, v, lo, hi):
    if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or not lo <= v <= hi:
        raise ValueError(f"`{name}` must be an integer in [{lo}, {hi}]; got {v!r}")
    return int(v)


def prepare(task: str | Task, out: str | os.PathLike, *, images=None, val_images=None, embedded: bool | None = None,
            dead_leaves: int = 0, dead_leaves_size: int = 256, mode: str = "whole", patches: int = 8,
            val_fraction: float = 0.1, seed: int = 0, workers: int = 1, shard_size: int = 64,
            upscale_small: bool = False, progress: bool = True, scheduler: str | None = None) -> PrepareSummary:
    """
    Make (or reuse) the LR/HR pair cache of ``task`` in ``out``.

    Parameters
    ----------
    task
        A :class:`srgan.tasks.Task` or a registered name (scale 4, LR 32).
    out
        Cache folder (created).
    images, val_images
        Folders of HR images (recursive). With ``val_images`` the split is explicit
        (``images`` → train, ``val_images`` → val); otherwise by hash (``val_fraction``).
    embedded
        Add the photos bundled in installed wheels (default: when no ``images`` given).
    dead_leaves, dead_leaves_size
        Number and side (pixels) of procedural dead-leaves images to add.
    mode
        ``"whole"`` (one pair per image, as the study) or ``"patches"`` (``patches``
        random HR crops per image).
    val_fraction
        Share of sources in validation for the automatic split, in [0, 1).
    seed
        Base seed of crops and sensor noise.
    workers
        Worker processes (each one thread); 1 runs in this process. With ``scheduler="local"``:
        the number of workers of the local Dask cluster.
    shard_size
        Sources per shard, in [1, 100000].
    upscale_small
        Upscale (bicubic) images whose short side is below the HR size instead of skipping them.
    scheduler
        None (default): this process or a process pool. ``"local"``: a Dask LocalCluster of
        ``workers`` one-thread processes. ``"tcp://HOST:PORT"``: a running Dask scheduler (its
        workers must see the input images at the same paths; the shards are written here).
        Shards and manifest are byte-identical whatever the executor. Needs the
        ``distributed`` extra (UsageError if missing).

    Returns
    -------
    PrepareSummary

    Raises
    ------
    PrepareError
        If sources failed on the cluster after retries (killed workers, exceptions): the
        other shards are written, the manifest stays incomplete; rerun to resume.
    """
    if isinstance(task, str):
        task = get_task(task)
    if not isinstance(task, Task):
        raise ValueError(f"`task` must be a task name or srgan.tasks.Task; got {type(task).__name__}")
    if mode not in MODES:
        raise ValueError(f"`mode` must be one of {MODES}; got {mode!r}")
    patches = _check_int("patches", patches, 1, 10_000)
    seed = _check_int("seed", seed, 0, 2**62)
    workers = _check_int("workers", workers, 1, 256)
    shard_size = _check_int("shard_size", shard_size, 1, 100_000)
    scheduler = _check_scheduler(scheduler)
    if scheduler is not None:
        try:
            import distributed  # noqa: F401  (fail before any work)
        except ImportError:
            raise UsageError(DASK_MISSING) from None
    dead_leaves = _check_int("dead_leaves", dead_leaves, 0, 10_000_000)
    if not 0.0 <= val_fraction < 1.0:
        raise ValueError(f"`val_fraction` must be in [0, 1); got {val_fraction!r}")
    if embedded is None:
        embedded = not images and not val_images
    t0 = time.perf_counter()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    sources, skipped = _collect_sources(images, val_images, embedded, dead_leaves, dead_leaves_size, val_fraction, seed)

    generation = {"format": FORMAT, "task": task.config(), "mode": mode, "patches": patches if mode == "patches" else None,
                  "base_seed": seed, "upscale_small": bool(upscale_small),
                  "seeds": "sha256(f'{source_sha256}:{crop_index}:{base_seed}')[:16 hex] >> 1"}
    gen_hash = hashlib.sha256(json.dumps(generation).encode()).hexdigest()
    plan, by_split = [], {}
    for s in sorted(sources, key=lambda s: (s.split, s.id)):
        by_split.setdefault(s.split, []).append(s)
    for split in ("train", "val"):
        group = by_split.get(split, [])
        for i in range(0, len(group), shard_size):
            members = group[i:i + shard_size]
            key = hashlib.sha256((gen_hash + "".join(m.sha256 for m in members)).encode()).hexdigest()
            plan.append((f"{split}-{i // shard_size:05d}-{key[:16]}.npz", split, members))
    config_hash = hashlib.sha256((gen_hash + "".join(f"{n}" for n, _, _ in plan)).encode()).hexdigest()

    # Stale files: shards of other configurations, temporaries of interrupted writes.
    wanted = {name for name, _, _ in plan}
    for f in out.iterdir():
        if f.is_file() and ((f.suffix == ".npz" and f.name not in wanted and f.name[:3] in ("tra", "val"))
                            or (f.name.startswith(".") and f.name.endswith((".npz", ".json")))):
            f.unlink()
    manifest = {"format": FORMAT, "complete": False, "config_hash": config_hash, "generation_hash": gen_hash,
                "task": task.config(), "mode": mode, "patches": generation["patches"], "seed": seed,
                "seeds": generation["seeds"], "upscale_small": bool(upscale_small),
                "versions": {"srgan": __version__, "camsim": _camsim_version(), "numpy": np.__version__},
                "sources": [{"id": s.id, "sha256": s.sha256, "split": s.split} for s in sorted(sources, key=lambda s: s.id)],
                "shards": [], "skipped": [], "pairs": {}}
    _write_json(out / MANIFEST, manifest)

    todo = [(name, split, members) for name, split, members in plan if not (out / name).exists()]
    reused = 0
    shard_info = {}
    for name, split, members in plan:
        if (out / name).exists():
            meta = _read_shard_meta(out / name)
            shard_info[name] = meta
            reused += meta["pairs"]
    job = _Job(task, mode, patches, seed, bool(upscale_small))
    n_src = sum(len(m) for _, _, m in todo)
    written = captures = 0
    from tqdm import tqdm

    bar = tqdm(total=n_src, desc=f"srgan prepare {task.name}", unit="img", disable=not progress, file=sys.stderr)
    flat = [s for _, _, members in todo for s in members]

    def results():
        if scheduler is not None and n_src:
            client, cluster = _dask_client(scheduler, workers)
            try:
                yield from _dask_results(job, flat, client)
            finally:
                client.close()
                if cluster is not None:
                    cluster.close()
        elif workers == 1 or n_src <= 1:
            import camsim

            import torch

            old = camsim.get_threads()
            camsim.set_threads(1)  # the same arithmetic as in a worker: shards identical for any --workers
            old_torch = _one_torch_thread()
            try:
                for s in flat:
                    yield _make_pairs(job, s)
            finally:
                camsim.set_threads(old)
                torch.set_num_threads(old_torch)
        else:
            import multiprocessing as mp
            from concurrent.futures import ProcessPoolExecutor

            pool = ProcessPoolExecutor(min(workers, n_src), mp_context=mp.get_context("spawn"),
                                       initializer=_worker_init, initargs=(job, os.getpid()))
            try:
                yield from pool.map(_worker_run, flat, chunksize=1)
            finally:
                pool.shutdown(wait=True, cancel_futures=True)

    it = results()
    failed = []  # [(source, reason)] failed on the cluster: their shards are not written
    try:
        for name, split, members in todo:
            lrs, hrs, ids, idx, seeds, bad = [], [], [], [], [], []
            shard_failed = False
            for s in members:
                arrays, reason = next(it)
                bar.update()
                if isinstance(reason, _Failed):
                    shard_failed = True
                    failed.append((s.path or s.id, str(reason)))
                    bar.write(f"srgan prepare: {s.path or s.id}: {reason}", file=sys.stderr)
                    continue
                if arrays is None:
                    bad.append([s.path or s.id, reason])
                    bar.write(f"srgan prepare: skipped {s.path or s.id}: {reason}", file=sys.stderr)
                    continue
                lr, hr, ci, sd = arrays
                captures += len(lr)
                lrs.append(lr), hrs.append(hr), idx.append(ci), seeds.append(sd)
                ids += [s.sha256] * len(lr)
            if shard_failed:
                continue
            n, l = task.hr_size, task.lr_size
            meta = {"pairs": len(ids), "split": split, "generation_hash": gen_hash, "skipped": bad}
            _write_npz(out / name, {
                "lr": np.concatenate(lrs) if lrs else np.zeros((0, l, l, 3), np.uint8),
                "hr": np.concatenate(hrs) if hrs else np.zeros((0, n, n, 3), np.uint8),
                "source": np.asarray(ids, dtype="S64").reshape(-1),
                "crop": np.concatenate(idx) if idx else np.zeros(0, np.int32),
                "seed": np.concatenate(seeds) if seeds else np.zeros(0, np.uint64),
                "meta": _json_array(meta)})
            shard_info[name] = meta
            written += len(ids)
    finally:
        it.close()
        bar.close()
    if failed:
        raise PrepareError(f"{len(failed)} source(s) failed on the cluster, e.g. {failed[0][0]}: {failed[0][1]}; "
                           f"their shards were not written (the others were); rerun to resume")

    for meta in shard_info.values():
        skipped += [tuple(b) for b in meta["skipped"]]
    pairs = {"train": 0, "val": 0}
    for name, split, members in plan:
        pairs[split] += shard_info[name]["pairs"]
    dt = time.perf_counter() - t0
    manifest.update(complete=True, pairs=pairs, skipped=[list(s) for s in skipped],
                    shards=[{"file": name, "split": split, "pairs": shard_info[name]["pairs"],
                             "sources": [m.sha256 for m in members]} for name, split, members in plan])
    _write_json(out / MANIFEST, manifest)
    return PrepareSummary(str(out), config_hash, pairs, written, reused, captures, [tuple(s) for s in skipped], dt,
                          written / dt if dt > 0 else 0.0, len(plan))


def _camsim_version() -> str:
    import camsim

    return camsim.__version__


def _write_json(path: Path, obj) -> None:
    from camsim.io import atomic_path

    with atomic_path(path) as tmp:
        tmp.write_text(json.dumps(obj, indent=1) + "\n")


# ----------------------------------------------------------------------------- reading
def read_manifest(cache_dir: str | os.PathLike) -> dict:
    """The ``manifest.json`` of a complete cache; UsageError if ``cache_dir`` is not one."""
    path = Path(cache_dir) / MANIFEST
    if not path.is_file():
        raise UsageError(f"{str(cache_dir)!r} is not a pair cache (no {MANIFEST}); make one with `srgan prepare`")
    try:
        m = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise UsageError(f"{str(path)!r} is not a readable manifest ({exc})") from None
    if not isinstance(m, dict) or m.get("format") != FORMAT:
        raise UsageError(f"{str(path)!r} is not a {FORMAT} manifest")
    if not m.get("complete"):
        raise UsageError(f"the cache {str(cache_dir)!r} is incomplete (interrupted `srgan prepare`); rerun it to finish")
    return m


def load_split(cache_dir: str | os.PathLike, split: str = "train") -> tuple[np.ndarray, np.ndarray]:
    """All pairs of ``split`` as uint8 arrays ``(lr (n, l, l, 3), hr (n, h, h, 3))``."""
    if split not in ("train", "val"):
        raise ValueError(f"`split` must be 'train' or 'val'; got {split!r}")
    m = read_manifest(cache_dir)
    t = m["task"]
    lrs, hrs = [np.zeros((0, t["lr_size"], t["lr_size"], 3), np.uint8)], [np.zeros((0, t["hr_size"], t["hr_size"], 3), np.uint8)]
    for sh in m["shards"]:
        if sh["split"] != split or not sh["pairs"]:
            continue
        f = Path(cache_dir) / sh["file"]
        if not f.is_file():
            raise UsageError(f"shard {str(f)!r} listed in the manifest is missing; rerun `srgan prepare`")
        with np.load(f, allow_pickle=False) as z:
            lrs.append(z["lr"]), hrs.append(z["hr"])
    return np.concatenate(lrs), np.concatenate(hrs)


def _torch_dataset_base():
    import torch.utils.data

    return torch.utils.data.Dataset


class PairDataset(_torch_dataset_base()):
    """
    ``(lr, hr)`` pairs of a cache as float32 CHW tensors in [0, 1].

    The split's shards are loaded once into memory as uint8. With ``augment`` each item
    gets one of the 8 dihedral transforms (random flips and 90° rotations), the same
    on LR and HR, drawn from ``torch``'s generator (seed it, or the DataLoader's workers).
    """

    def __init__(self, cache_dir: str | os.PathLike, split: str = "train", augment: bool = False):
        if not isinstance(augment, bool):
            raise ValueError(f"`augment` must be True or False; got {augment!r}")
        self.manifest = read_manifest(cache_dir)
        self.split, self.augment = split, augment
        self.lr, self.hr = load_split(cache_dir, split)

    def __len__(self) -> int:
        return len(self.lr)

    def __getitem__(self, i: int):
        import torch

        lr = torch.from_numpy(self.lr[i]).permute(2, 0, 1).float().div_(255.0)
        hr = torch.from_numpy(self.hr[i]).permute(2, 0, 1).float().div_(255.0)
        if self.augment:
            k = int(torch.randint(0, 8, (1,)))
            if k & 4:
                lr, hr = lr.flip(-1), hr.flip(-1)
            if k & 3:
                lr, hr = torch.rot90(lr, k & 3, (-2, -1)), torch.rot90(hr, k & 3, (-2, -1))
        return lr.contiguous(), hr.contiguous()
