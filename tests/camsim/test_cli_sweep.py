"""Issue 18: ``camsim simulate --sweep`` — one folder per combination, each equal to a single run."""

import json
from pathlib import Path

import imageio.v3 as iio
import numpy as np
import pytest

from camsim.cli import RECORD_NAME, SWEEP_NAME, main


def _imgs(folder, n=2):
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        iio.imwrite(folder / f"a{i}.png", (np.random.default_rng(i).random((40, 48, 3)) * 255).astype(np.uint8))
    return folder


def _tree(d):
    return {p.relative_to(d).as_posix(): p.read_bytes() for p in sorted(Path(d).rglob("*.png"))}


def test_2x2_sweep_equals_four_single_runs(tmp_path, capsys):
    src = _imgs(tmp_path / "in")
    out = tmp_path / "sweep"
    assert main(["simulate", str(src), "--out", str(out), "--sweep", "fnumber=4,8", "--sweep", "pixel-pitch=2e-6,4e-6",
                 "--seed", "3", "--quiet", "--jobs", "2"]) == 0
    assert "8 image(s) written to 4 folders" in capsys.readouterr().out
    index = json.loads((out / SWEEP_NAME).read_text())
    folders = sorted(r["folder"] for r in index["runs"])
    assert folders == sorted(p.name for p in out.iterdir() if p.is_dir())
    assert folders == ["fnumber=4_pixel_pitch=2e-06", "fnumber=4_pixel_pitch=4e-06",
                       "fnumber=8_pixel_pitch=2e-06", "fnumber=8_pixel_pitch=4e-06"]
    for run in index["runs"]:
        f, pitch = run["values"]["fnumber"], run["values"]["pixel_pitch"]
        single = tmp_path / f"single-{f:g}-{pitch:g}"
        assert main(["simulate", str(src), "--out", str(single), "--fnumber", f"{f:g}", "--pixel-pitch", f"{pitch:g}",
                     "--seed", "3", "--quiet"]) == 0
        got, ref = _tree(out / run["folder"]), _tree(single)
        assert len(ref) == 2 and got == ref
        rec = json.loads((out / run["folder"] / RECORD_NAME).read_text())
        assert rec["settings"]["camera"] == run["camera"] == json.loads((single / RECORD_NAME).read_text())["settings"]["camera"]
        assert rec["settings"]["camera"]["optics"]["fnumber"] == f
    capsys.readouterr()
    assert main(["simulate", str(src), "--out", str(out), "--sweep", "fnumber=4,8", "--sweep", "pixel_pitch=2e-6,4e-6",
                 "--seed", "3", "--quiet"]) == 0
    assert "8 already done" in capsys.readouterr().out


@pytest.mark.parametrize("argv, msg", [
    (["--sweep", "fnumber"], "expected KEY=V1,V2"),
    (["--sweep", "colour=1,2"], "expected KEY=V1,V2"),
    (["--sweep", "fnumber=4,x"], "'x' is not a number"),
    (["--sweep", "fnumber=4,-1"], "> 0"),
    (["--sweep", "fnumber=4,4.0"], "repeats a value"),
    (["--sweep", "fnumber=4", "--sweep", "fnumber=8"], "given twice"),
    (["--fnumber", "4", "--sweep", "fnumber=8,16"], "--fnumber and --sweep fnumber"),
])
def test_sweep_mistakes_are_one_line(tmp_path, capsys, argv, msg):
    src = _imgs(tmp_path / "in", 1)
    rc = main(["simulate", str(src), "--out", str(tmp_path / "o"), "--preset", "pixel", *argv])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2 and len(err) == 1 and msg in err[0]
    assert not (tmp_path / "o").exists()
