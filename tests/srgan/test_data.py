"""srgan.data: the pair cache (reuse, rebuild, resume after SIGKILL, workers, skipped
files), the manifest and the Dataset."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import torch

from srgan.data import PairDataset, crop_boxes, pair_seed, prepare, read_manifest
from srgan.errors import UsageError
from srgan.resample import bicubic
from srgan.tasks import get_task

ROOT = Path(__file__).resolve().parents[2]


def _images(folder, n, size=(72, 90)):
    import imageio.v3 as iio

    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(7)
    for i in range(n):
        img = (rng.random((size[0] // 8, size[1] // 8, 3)) * 255).astype(np.uint8).repeat(8, 0).repeat(8, 1)
        iio.imwrite(folder / f"img{i}.png", img)
    return folder


def _shards(d):
    return {f.name: f.read_bytes() for f in sorted(Path(d).glob("*.npz"))}


def test_reuse_rebuild_and_dataset(tmp_path):
    imgs = _images(tmp_path / "imgs", 4)
    task = get_task("sr_deblur", scale=2, lr_size=16)
    s1 = prepare(task, tmp_path / "c", images=[imgs], val_fraction=0.3, progress=False, shard_size=2)
    assert s1.captures == 4 and s1.written == 4 and not s1.skipped
    m = read_manifest(tmp_path / "c")
    assert m["task"]["hr_size"] == 32 and m["task"]["lr_size"] == 16 and m["task"]["camera"]["optics"]["fnumber"] == 22
    assert m["config_hash"] == s1.config_hash and len(m["sources"]) == 4
    before = _shards(tmp_path / "c")
    t0 = time.perf_counter()
    s2 = prepare(task, tmp_path / "c", images=[imgs], val_fraction=0.3, progress=False, shard_size=2)
    assert s2.captures == 0 and s2.reused == 4 and time.perf_counter() - t0 < 5
    assert _shards(tmp_path / "c") == before and s2.config_hash == s1.config_hash
    f8 = get_task("sr_deblur", scale=2, lr_size=16, changes=(("fnumber", 8.0),))
    s3 = prepare(f8, tmp_path / "c", images=[imgs], val_fraction=0.3, progress=False, shard_size=2)
    assert s3.captures == 4 and s3.config_hash != s1.config_hash
    assert not set(_shards(tmp_path / "c")) & set(before)  # old shards removed
    n_train, n_val = s3.pairs["train"], s3.pairs["val"]
    ds = PairDataset(tmp_path / "c", split="train", augment=False)
    assert len(ds) == n_train and n_train + n_val == 4
    lr, hr = ds[0]
    assert lr.shape == (3, 16, 16) and hr.shape == (3, 32, 32) and lr.dtype == torch.float32
    assert 0 <= lr.min() and hr.max() <= 1
    with pytest.raises(UsageError, match="not a pair cache"):
        read_manifest(tmp_path)


def test_augmentation_is_the_same_on_lr_and_hr(tmp_path):
    """For the bicubic task LR = bicubic(HR); flips and 90° turns commute with it, so an
    augmented pair must still satisfy LR ≈ bicubic(HR) (a mismatched transform would not)."""
    prepare("sr", tmp_path / "c", dead_leaves=2, dead_leaves_size=160, embedded=False, val_fraction=0.0, progress=False)
    ds = PairDataset(tmp_path / "c", split="train", augment=True)
    torch.manual_seed(0)
    seen = set()
    for _ in range(24):
        lr, hr = ds[0]
        down = bicubic(hr[None], (32, 32))[0].clamp(0, 1)
        assert (down - lr).abs().max() < 3 / 255
        seen.add(lr.numpy().tobytes())
    assert len(seen) >= 6  # the 8 dihedral transforms are drawn


def test_seeds_are_from_source_hash():
    assert pair_seed("ab" * 32, 0, 0) == pair_seed("ab" * 32, 0, 0) != pair_seed("ab" * 32, 1, 0)
    assert pair_seed("ab" * 32, 0, 1) != pair_seed("ab" * 32, 0, 0)
    boxes = crop_boxes("cd" * 32, (100, 120), 32, 5, 0)
    assert boxes == crop_boxes("cd" * 32, (100, 120), 32, 5, 0)
    assert all(0 <= t <= 68 and 0 <= l <= 88 for t, l in boxes)


def test_workers_give_identical_shards_and_seed_changes_them(tmp_path):
    kw = dict(dead_leaves=3, dead_leaves_size=96, embedded=False, mode="patches", patches=2, val_fraction=0.0,
              progress=False, shard_size=2)
    task = get_task("sr_color", scale=2, lr_size=16)
    a = prepare(task, tmp_path / "a", workers=1, **kw)
    b = prepare(task, tmp_path / "b", workers=2, **kw)
    assert b.pairs == a.pairs
    assert a.pairs["train"] == 6
    assert _shards(tmp_path / "a") == _shards(tmp_path / "b")
    prepare(task, tmp_path / "c", workers=1, seed=1, **kw)
    with np.load(next((tmp_path / "a").glob("train-00000*.npz"))) as za, np.load(next((tmp_path / "c").glob("train-00000*.npz"))) as zc:
        np.testing.assert_array_equal(za["hr"].shape, zc["hr"].shape)
        assert not np.array_equal(za["lr"], zc["lr"])


def test_skipped_files_are_reported_and_exit_zero(tmp_path, capsys):
    import imageio.v3 as iio

    from srgan.cli import main

    d = _images(tmp_path / "imgs", 2)
    jpg = iio.imwrite("<bytes>", np.full((80, 80, 3), 128, np.uint8), extension=".jpg")
    (d / "corrupt.jpg").write_bytes(jpg[: len(jpg) // 3])
    (d / "text.png").write_text("this is not a PNG")
    iio.imwrite(d / "tiny.png", np.zeros((20, 20, 3), np.uint8))
    rc = main(["prepare", "--task", "sr", "--images", str(d), "--out", str(tmp_path / "c"), "--workers", "1",
               "--quiet", "--lr-size", "16", "--scale", "2"])
    assert rc == 0
    m = read_manifest(tmp_path / "c")
    reasons = {Path(p).name: r for p, r in m["skipped"]}
    assert set(reasons) == {"corrupt.jpg", "text.png", "tiny.png"}
    assert "too small" in reasons["tiny.png"] and "unreadable" in reasons["text.png"]
    assert m["pairs"]["train"] + m["pairs"]["val"] == 2
    assert "3 skipped" in capsys.readouterr().out


def _children(pid):
    out = []
    for d in Path("/proc").glob("[0-9]*"):
        try:
            stat = (d / "stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            out.append(int(d.name))
    return out


def _alive(pid):
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


_CHILD = """
import sys
from srgan.data import prepare
from srgan.tasks import get_task
prepare(get_task("sr_deblur", scale=2, lr_size=32), sys.argv[1], dead_leaves=5, dead_leaves_size=192, embedded=False,
        val_fraction=0.0, shard_size=1, workers=int(sys.argv[2]), progress=False)
"""


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
def test_sigkill_midway_then_resume_gives_the_same_bytes(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    run = [sys.executable, "-c", _CHILD]
    subprocess.run([*run, str(tmp_path / "ref"), "1"], env=env, check=True, timeout=300)
    ref = _shards(tmp_path / "ref")
    assert len(ref) == 5
    p = subprocess.Popen([*run, str(tmp_path / "cut"), "2"], env=env, start_new_session=False)
    try:
        deadline = time.time() + 120
        while len(list((tmp_path / "cut").glob("train-*.npz"))) < 2 and time.time() < deadline and p.poll() is None:
            time.sleep(0.05)
        children = _children(p.pid)
        p.send_signal(signal.SIGKILL)
        p.wait(timeout=30)
    finally:
        if p.poll() is None:
            p.kill()
    done = _shards(tmp_path / "cut")
    assert 0 < len(done) < 5, "the kill should land midway"
    with pytest.raises(UsageError, match="incomplete"):
        read_manifest(tmp_path / "cut")
    for name, data in done.items():  # every shard on disk is complete and correct
        assert data == ref[name]
    assert children, "the run should have had worker processes"
    deadline = time.time() + 10  # the workers die with their parent (PR_SET_PDEATHSIG / ppid watch)
    while [c for c in children if _alive(c)] and time.time() < deadline:
        time.sleep(0.1)
    assert not [c for c in children if _alive(c)]
    subprocess.run([*run, str(tmp_path / "cut"), "1"], env=env, check=True, timeout=300)
    assert _shards(tmp_path / "cut") == ref
    assert not [f for f in (tmp_path / "cut").iterdir() if f.name.startswith(".")]
