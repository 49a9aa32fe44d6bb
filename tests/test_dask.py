"""Issue 18: Dask scale-out of ``srgan prepare`` and ``camsim simulate`` — byte-identical
to the runs without Dask, a killed worker loses nothing, per-item failures, resume, and a
one-line exit 2 when Dask is not installed. One LocalCluster (2 single-thread worker
processes, loopback only) is shared by the module."""

import os
import signal
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

distributed = pytest.importorskip("distributed")

from srgan import data as sdata  # noqa: E402
from srgan.data import PrepareError, prepare, read_manifest  # noqa: E402
from srgan.tasks import get_task  # noqa: E402

# 6 procedural sources, one per shard: small, but each capture takes long enough to kill a worker mid-run.
KW = dict(dead_leaves=6, dead_leaves_size=256, embedded=False, val_fraction=0.0, shard_size=1, progress=False)
TASK = get_task("sr_deblur", scale=2, lr_size=32)


def _files(d):
    return {f.name: f.read_bytes() for f in sorted(Path(d).iterdir()) if f.is_file()}


@pytest.fixture(scope="module")
def cluster():
    c = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                 dashboard_address=":0", silence_logs=40)
    client = distributed.Client(c)
    try:
        yield c, client
    finally:
        client.close()
        c.close()


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    out = tmp_path_factory.mktemp("serial")
    prepare(TASK, out, workers=1, **KW)
    return _files(out)


def test_local_cluster_gives_the_serial_bytes(tmp_path, reference):
    s = prepare(TASK, tmp_path / "c", workers=2, scheduler="local", **KW)
    assert s.captures == 6 and s.written == 6
    got = _files(tmp_path / "c")
    assert set(got) == set(reference) and "manifest.json" in got and len(got) == 7
    assert got == reference  # shards and manifest, byte for byte


def test_killed_worker_loses_nothing(tmp_path, cluster, reference):
    c, client = cluster
    pids = list(client.run(os.getpid).values())
    out = tmp_path / "c"
    seen = {}

    def killer():
        deadline = time.time() + 120
        while time.time() < deadline and not list(out.glob("train-*.npz")):
            time.sleep(0.01)
        seen["shards"] = len(list(out.glob("train-*.npz")))
        os.kill(pids[0], signal.SIGKILL)

    t = threading.Thread(target=killer)
    t.start()
    prepare(TASK, out, scheduler=c.scheduler_address, **KW)
    t.join()
    assert 0 < seen["shards"] < 6, "the kill should land midway"
    assert _files(out) == reference
    deadline = time.time() + 60  # the nanny restarts the killed worker: later tests get two again
    while len(client.scheduler_info()["workers"]) < 2 and time.time() < deadline:
        time.sleep(0.2)


def test_a_source_failing_on_the_cluster_is_reported_and_the_rerun_resumes(tmp_path, cluster, reference, monkeypatch):
    c, _ = cluster
    real = sdata._dask_results

    def one_fails(job, flat, client, retries=2):
        for i, res in enumerate(real(job, flat, client, retries)):
            yield (None, sdata._Failed("failed on the cluster (KilledWorker: test)")) if i == 2 else res

    monkeypatch.setattr(sdata, "_dask_results", one_fails)
    with pytest.raises(PrepareError, match="1 source"):
        prepare(TASK, tmp_path / "c", scheduler=c.scheduler_address, **KW)
    got = _files(tmp_path / "c")
    assert len([n for n in got if n.endswith(".npz")]) == 5  # every other shard written, and correct
    assert all(got[n] == reference[n] for n in got if n.endswith(".npz"))
    with pytest.raises(Exception, match="incomplete"):
        read_manifest(tmp_path / "c")
    monkeypatch.setattr(sdata, "_dask_results", real)
    s = prepare(TASK, tmp_path / "c", scheduler=c.scheduler_address, **KW)
    assert s.reused == 5 and s.captures == 1 and _files(tmp_path / "c") == reference


def test_worker_reading_other_bytes_fails_that_item_only(tmp_path, cluster):
    import imageio.v3 as iio

    from srgan.sources import folder_sources

    _, client = cluster
    for i in range(2):
        iio.imwrite(tmp_path / f"im{i}.png", (np.random.default_rng(i).random((64, 64, 3)) * 255).astype(np.uint8))
    srcs, _ = folder_sources(tmp_path, split="train")
    bad = type(srcs[0])(srcs[0].id, "0" * 64, srcs[0].path, "train", srcs[0].loader)  # as if storage differed
    job = sdata._Job(get_task("sr", scale=2, lr_size=16), "whole", 1, 0, False)
    res = list(sdata._dask_results(job, [bad, srcs[1]], client, retries=0))
    assert res[0][0] is None and isinstance(res[0][1], sdata._Failed) and "other bytes" in res[0][1]
    assert res[1][1] is None and res[1][0][0].shape == (1, 16, 16, 3)


def _imgs(folder, n=2):
    import imageio.v3 as iio

    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        iio.imwrite(folder / f"a{i}.png", (np.random.default_rng(i).random((40, 48, 3)) * 255).astype(np.uint8))
    return folder


def _tree(d):
    return {p.relative_to(d).as_posix(): p.read_bytes() for p in sorted(Path(d).rglob("*.png"))}


def test_camsim_sweep_on_dask_equals_the_serial_sweep(tmp_path, cluster, capsys):
    from camsim.cli import main

    c, _ = cluster
    src = _imgs(tmp_path / "in")
    sweep = ["--sweep", "fnumber=4,8", "--sweep", "pixel_pitch=2e-6,4e-6", "--seed", "3", "--quiet"]
    assert main(["simulate", str(src), "--out", str(tmp_path / "s"), *sweep]) == 0
    assert main(["simulate", str(src), "--out", str(tmp_path / "d"), *sweep, "--scheduler", c.scheduler_address]) == 0
    ref = _tree(tmp_path / "s")
    assert len(ref) == 8 and _tree(tmp_path / "d") == ref
    capsys.readouterr()
    assert main(["simulate", str(src), "--out", str(tmp_path / "d"), *sweep, "--scheduler", c.scheduler_address]) == 0
    assert "8 already done" in capsys.readouterr().out  # resume works the same on Dask


@pytest.mark.parametrize("which", ["srgan", "camsim"])
def test_missing_dask_is_one_line_exit_2(tmp_path, monkeypatch, capsys, which):
    monkeypatch.setitem(sys.modules, "distributed", None)  # `import distributed` raises ImportError
    if which == "srgan":
        from srgan.cli import main

        rc = main(["prepare", "--task", "sr", "--out", str(tmp_path / "c"), "--dead-leaves", "1", "--quiet",
                   "--scheduler", "local"])
    else:
        from camsim.cli import main

        rc = main(["simulate", str(_imgs(tmp_path / "in", 1)), "--preset", "pixel", "--out", str(tmp_path / "o"),
                   "--scheduler", "local", "--jobs", "2"])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2 and len(err) == 1 and "pip install 'camsim-isetcam[distributed]'" in err[0]
    assert not list((tmp_path / "c").glob("*.npz"))


@pytest.mark.parametrize("argv, msg", [
    (["--scheduler", "cluster-1"], "--scheduler must be 'local' or a Dask scheduler address"),
    (["--scheduler", "tcp://127.0.0.1:1", "--jobs", "3"], "--jobs sets the processes on this machine"),
])
def test_camsim_scheduler_mistakes(tmp_path, capsys, argv, msg):
    from camsim.cli import main

    rc = main(["simulate", str(_imgs(tmp_path / "in", 1)), "--preset", "pixel", "--out", str(tmp_path / "o"), *argv])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2 and len(err) == 1 and msg in err[0]


def test_srgan_scheduler_mistakes(tmp_path, capsys):
    from srgan.cli import main

    rc = main(["prepare", "--task", "sr", "--out", str(tmp_path / "c"), "--scheduler", "tcp://127.0.0.1:1",
               "--workers", "2", "--quiet"])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2 and len(err) == 1 and "--workers sets the processes" in err[0]
    with pytest.raises(ValueError, match="`scheduler`"):
        prepare("sr", tmp_path / "c", dead_leaves=1, embedded=False, scheduler="yarn")
