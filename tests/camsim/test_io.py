"""Atomic file output: an interrupted write leaves the old file (or nothing) and no debris."""

import os

import imageio.v3 as iio
import numpy as np
import pytest

from camsim._io import atomic_path, write_image


def test_failed_write_keeps_previous_file_and_leaves_no_temp(tmp_path, monkeypatch):
    target = tmp_path / "out.png"
    write_image(target, np.zeros((4, 5, 3)))
    before = target.read_bytes()

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(iio, "imwrite", boom)
    with pytest.raises(RuntimeError):
        write_image(target, np.ones((4, 5, 3)))
    assert target.read_bytes() == before
    assert sorted(os.listdir(tmp_path)) == ["out.png"]


def test_atomic_path_permissions_follow_umask(tmp_path):
    umask = os.umask(0o022)
    try:
        with atomic_path(tmp_path / "a.txt") as tmp:
            tmp.write_text("x")
    finally:
        os.umask(umask)
    assert (tmp_path / "a.txt").stat().st_mode & 0o777 == 0o644


def test_write_image_rejects_bad_input(tmp_path):
    with pytest.raises(ValueError, match="bit_depth"):
        write_image(tmp_path / "a.png", np.zeros((2, 2)), bit_depth=12)
    with pytest.raises(ValueError, match="image"):
        write_image(tmp_path / "a.png", np.full((2, 2), np.nan))
