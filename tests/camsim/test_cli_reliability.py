"""Issue 14: resume knows what it resumes, no name clashes, no leftovers after a kill, friction."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import imageio.v3 as iio
import numpy as np
import pytest

import camsim
from camsim.cli import RECORD_NAME, main

ROOT = Path(__file__).resolve().parents[2]


def _img(path, seed=0, shape=(48, 64, 3)):
    path.parent.mkdir(parents=True, exist_ok=True)
    iio.imwrite(path, (np.random.default_rng(seed).random(shape) * 255).astype(np.uint8))
    return path


def _pngs(folder):
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.png"))


# ------------------------------------------------------------------ item 1: resume records its settings
def test_changed_camera_into_same_out_is_refused_not_kept(tmp_path, capsys):
    src = _img(tmp_path / "in" / "a.png")
    out = tmp_path / "out"
    assert main(["simulate", str(src), "--fnumber", "8", "--pixel-pitch", "5e-6", "--out", str(out), "--quiet"]) == 0
    first = {p: (out / p).read_bytes() for p in _pngs(out)}
    capsys.readouterr()
    rc = main(["simulate", str(src), "--fnumber", "16", "--pixel-pitch", "5e-6", "--out", str(out), "--quiet"])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2 and len(err) == 1 and "another camera" in err[0] and "--overwrite" in err[0]
    assert {p: (out / p).read_bytes() for p in _pngs(out)} == first  # nothing touched
    # --overwrite re-renders with the new camera and leaves no image of the old one
    assert main(["simulate", str(src), "--fnumber", "16", "--pixel-pitch", "5e-6", "--out", str(out), "--quiet",
                 "--overwrite"]) == 0
    assert len(_pngs(out)) == 1 and _pngs(out) != list(first)
    assert (out / RECORD_NAME).exists()


def test_changed_source_or_seed_is_re_rendered(tmp_path, capsys):
    src = _img(tmp_path / "in" / "a.png", seed=1)
    out = tmp_path / "out"
    args = ["simulate", str(src), "--preset", "pixel", "--seed", "4", "--out", str(out), "--quiet"]
    assert main(args) == 0
    _img(src, seed=2)  # the photo changed under the same name
    capsys.readouterr()
    assert main(args) == 0
    assert "1 image(s) written" in capsys.readouterr().out
    assert main(args) == 0
    assert "1 already done" in capsys.readouterr().out
    ref = tmp_path / "ref"
    assert main(["simulate", str(src), "--preset", "pixel", "--seed", "4", "--out", str(ref), "--quiet"]) == 0
    assert (out / "a_pixel.png").read_bytes() == (ref / "a_pixel.png").read_bytes()


def test_unrecorded_existing_output_is_not_kept(tmp_path, capsys):
    src = _img(tmp_path / "in" / "a.png")
    out = tmp_path / "out"
    out.mkdir()
    (out / "a_pixel.png").write_bytes(b"stale")
    assert main(["simulate", str(src), "--preset", "pixel", "--out", str(out), "--quiet"]) == 0
    assert "1 image(s) written" in capsys.readouterr().out
    assert iio.imread(out / "a_pixel.png").ndim == 3


# ------------------------------------------------------------------ item 2: name clashes and labels
def test_same_stem_in_two_folders_gives_two_files(tmp_path, capsys):
    a, b = _img(tmp_path / "in1" / "a.jpg", 1), _img(tmp_path / "in2" / "a.png", 2)
    out = tmp_path / "out"
    assert main(["simulate", str(a.parent), str(b.parent), "--preset", "deblur", "--out", str(out), "--quiet"]) == 0
    assert "2 image(s) written" in capsys.readouterr().out
    assert _pngs(out) == ["a_jpg_deblur.png", "a_png_deblur.png"]


def test_folder_inputs_keep_their_sub_paths(tmp_path):
    _img(tmp_path / "in" / "x" / "a.png", 1)
    _img(tmp_path / "in" / "y" / "a.png", 2)
    out = tmp_path / "out"
    assert main(["simulate", str(tmp_path / "in"), "--preset", "pixel", "--out", str(out), "--quiet"]) == 0
    assert _pngs(out) == ["x/a_pixel.png", "y/a_pixel.png"]


def test_identical_names_that_cannot_be_told_apart_are_refused(tmp_path, capsys):
    a, b = _img(tmp_path / "in1" / "a.png", 1), _img(tmp_path / "in2" / "a.png", 2)
    rc = main(["simulate", str(a), str(b), "--preset", "pixel", "--out", str(tmp_path / "o"), "--quiet"])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2 and len(err) == 1 and "both be written" in err[0]
    assert not (tmp_path / "o").exists()


def test_changed_preset_is_not_labelled_as_the_preset(tmp_path):
    src = _img(tmp_path / "a.png")
    out = tmp_path / "out"
    assert main(["simulate", str(src), "--preset", "deblur", "--aperture", "1e-3", "--out", str(out), "--quiet"]) == 0
    (name,) = _pngs(out)
    assert name.startswith("a_deblur-") and name != "a_deblur.png"


# ------------------------------------------------------------------ item 3: temp files, killed runs
def test_stale_temp_files_are_removed_and_never_read_as_input(tmp_path, capsys):
    from camsim._io import is_temp_file

    src = _img(tmp_path / "in" / "a.png")
    # what a SIGKILL during atomic writes leaves: a hidden temp file, in the input and the output folder
    stale_in = tmp_path / "in" / f".b.png.{'0' * 32}.tmp.png"
    stale_in.write_bytes(b"\x89PNG half")
    out = tmp_path / "out"
    out.mkdir()
    stale_out = out / f".a_pixel.png.{'1' * 32}.tmp.png"
    stale_out.write_bytes(b"\x89PNG half")
    legacy = out / f".b_pixel.png.{'2' * 32}.png"  # the name camsim used before
    legacy.write_bytes(b"\x89PNG half")
    assert is_temp_file(stale_in) and is_temp_file(stale_out) and is_temp_file(legacy)
    assert not is_temp_file(out / "a_pixel.png") and not is_temp_file(out / ".camsim.lock")
    assert main(["simulate", str(src.parent), "--preset", "pixel", "--out", str(out), "--quiet"]) == 0
    assert "1 image(s) written" in capsys.readouterr().out
    assert not stale_out.exists() and not legacy.exists()
    assert [p.name for p in out.iterdir() if p.name.startswith(".") and p.name != ".camsim.lock"] == []


def _session_pids(sid):
    pids = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                fields = (d / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[3]) == sid and fields[0] != "Z":  # field 6 of stat: session id
                pids.append(int(d.name))
    return pids


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc (Linux)")
def test_sigkill_with_two_jobs_leaves_nothing_and_resumes_identically(tmp_path):
    inputs = tmp_path / "in"
    n = 4
    for i in range(n):
        _img(inputs / f"im{i}.png", seed=i, shape=(90, 120, 3))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "camsim", "simulate", str(inputs), "--preset", "deblur", "--seed", "3",
           "--jobs", "2", "--quiet"]
    ref, out = tmp_path / "ref", tmp_path / "out"
    subprocess.run([*cmd, "--out", str(ref)], env=env, check=True, capture_output=True, timeout=300)
    proc = subprocess.Popen([*cmd, "--out", str(out)], env=env, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while not list(out.glob("*.png")) and time.monotonic() < deadline:  # midway: a first image is done
            time.sleep(0.02)
        assert len(_session_pids(proc.pid)) >= 3, "workers were not running"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        t0 = time.monotonic()
        while _session_pids(proc.pid) and time.monotonic() - t0 < 5:
            time.sleep(0.05)
        left = _session_pids(proc.pid)
    finally:
        for pid in _session_pids(proc.pid):  # never leave this test's own processes behind
            os.kill(pid, signal.SIGKILL)
    assert left == [], "camsim processes outlived their parent by 5 s"
    assert len(_pngs(out)) < n, "the run finished before it was killed"
    subprocess.run([*cmd, "--out", str(out)], env=env, check=True, capture_output=True, timeout=300)
    assert _pngs(out) == _pngs(ref) and len(_pngs(ref)) == n
    for name in _pngs(ref):
        assert (out / name).read_bytes() == (ref / name).read_bytes(), name
    assert [p.name for p in out.rglob(".*") if p.name != ".camsim.lock"] == []


# ------------------------------------------------------------------ item 4: before any work
def test_memory_estimate_names_the_numbers(tmp_path, capsys):
    src = _img(tmp_path / "a.png")
    assert main(["simulate", str(src), "--preset", "deblur", "--size", "100000", "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "GiB" in err and "100000×100000" in err and "--max-memory" in err
    assert not (tmp_path / "o").exists()


def test_unwritable_out_is_refused_before_the_first_image(tmp_path, capsys):
    srcs = [_img(tmp_path / "in" / f"{c}.png", i) for i, c in enumerate("ab")]
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["simulate", str(srcs[0].parent), "--preset", "pixel", "--out", str(blocker / "o")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--out" in err[0]


# ------------------------------------------------------------------ item 10: friction
def test_version_and_python_dash_m():
    r = subprocess.run([sys.executable, "-m", "camsim", "--version"], capture_output=True, text=True, timeout=120,
                       env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert r.returncode == 0 and r.stdout.strip() == f"camsim {camsim.__version__}"


def test_info_reports_the_threading_layer(capsys):
    assert main(["info"]) == 0
    line = [x for x in capsys.readouterr().out.splitlines() if x.startswith("numba threading layer")][0]
    assert "not initialised" not in line
    assert line.split(":")[1].split(",")[0].strip() in ("tbb", "omp", "workqueue")


def test_import_keeps_numpy_print_options():
    code = ("import numpy as np; before = np.get_printoptions(); import camsim, colour; "
            "after = np.get_printoptions(); assert before == after, (before, after); print(after['legacy'])")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                       env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "False"


def test_capture_repr_is_short():
    cap = camsim.Camera.preset("pixel", noise=False).capture(np.full((30, 40, 3), 0.5))
    text = repr(cap)
    assert len(text) < 200 and "array(" not in text and "×" in text and "exposure" in text


def test_record_from_before_the_pattern_seed_rename_still_resumes(tmp_path, capsys):
    """Sensor.seed became Sensor.pattern_seed: a record (and label) written with the old key is the same camera."""
    import hashlib
    import json

    src = _img(tmp_path / "a.png")
    out = tmp_path / "out"
    args = ["simulate", str(src), "--preset", "deblur", "--aperture", "1e-3", "--seed", "2", "--out", str(out),
            "--quiet"]
    assert main(args) == 0
    (name,) = _pngs(out)
    rec = json.loads((out / RECORD_NAME).read_text(encoding="utf-8"))
    sensor = rec["settings"]["camera"]["sensor"]
    assert "pattern_seed" in sensor and "seed" not in sensor
    # the label hashes the config as the first records spelled it (sensor key "seed")
    old_config = dict(rec["settings"]["camera"], sensor={("seed" if k == "pattern_seed" else k): v
                                                         for k, v in sensor.items()})
    digest = hashlib.sha256(json.dumps(old_config, sort_keys=True).encode()).hexdigest()[:8]
    assert name == f"a_deblur-{digest}.png"
    rec["settings"]["camera"] = old_config  # as an older camsim wrote it
    (out / RECORD_NAME).write_text(json.dumps(rec), encoding="utf-8")
    capsys.readouterr()
    assert main(args) == 0
    assert "1 already done" in capsys.readouterr().out
    assert _pngs(out) == [name]
