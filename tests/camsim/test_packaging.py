"""
Issue 14 item 9: a normal (non-editable) install ships the embedded images and the
ISETCam tables, so ``python -m camsim.demo`` works from an installed wheel.

The wheel is built from this checkout (``pip wheel --no-deps --no-build-isolation``: no
network) and installed with ``pip install --no-deps --target`` into a fresh venv whose
other dependencies come from the running interpreter's site-packages through a ``.pth``
line (so nothing is downloaded; the editable install's finder is not loaded there).
About 20-30 s on 2 cores.
"""

import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    pytest.importorskip("setuptools")
    import shutil

    out = tmp_path_factory.mktemp("wheel")
    # A copy of the sources, so the build's build/ and *.egg-info never land in (or come stale from) the checkout.
    src = tmp_path_factory.mktemp("src") / "tree"
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(".git", ".venv", "build", "*.egg-info", "__pycache__",
                                                              "out", ".pytest_cache", "dist", "runs", "*.pt"))
    r = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                        "-w", str(out), str(src)], capture_output=True, text=True, timeout=300, cwd=src)
    assert r.returncode == 0, r.stderr[-2000:]
    (whl,) = out.glob("*.whl")
    return whl


def test_wheel_ships_the_data_files(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    data = Path(ROOT / "camsim" / "data")
    expected = sorted(p.relative_to(ROOT).as_posix() for p in data.rglob("*") if p.is_file()
                      and "__pycache__" not in p.parts)
    assert expected, "no data files in the checkout?"
    missing = [n for n in expected if n not in names]
    assert missing == []
    assert any(n.startswith("camsim/data/images/") and n.endswith(".png") for n in names)
    assert any(n.startswith("camsim/data/isetcam/") for n in names)


def test_demo_runs_from_an_installed_wheel(wheel, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    py = venv / "bin" / "python"
    if not py.exists():
        pytest.skip("venv layout without bin/python (not POSIX)")
    site = Path(subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    r = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-compile",
                        "--target", str(site), str(wheel)], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    # the dependencies (numpy, scipy, numba, colour, imageio, ...) from this interpreter, appended after the wheel
    deps = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (site / "zz_camsim_test_deps.pth").write_text("\n".join(sorted(deps)) + "\n")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    run = tmp_path / "run"
    run.mkdir()
    where = subprocess.run([str(py), "-c", "import camsim; print(camsim.__file__)"], capture_output=True, text=True,
                           cwd=run, env=env, timeout=120)
    assert where.returncode == 0, where.stderr[-2000:]
    assert Path(where.stdout.strip()).is_relative_to(site), where.stdout  # the installed copy, not the checkout
    demo = subprocess.run([str(py), "-m", "camsim.demo", "--out", str(run / "demo"), "--size", "32"],
                          capture_output=True, text=True, cwd=run, env=env, timeout=300)
    assert demo.returncode == 0, demo.stderr[-2000:]
    assert (run / "demo" / "side_by_side.png").exists()
    cli = subprocess.run([str(py), "-m", "camsim", "--version"], capture_output=True, text=True, cwd=run, env=env)
    assert cli.returncode == 0 and cli.stdout.startswith("camsim ")
