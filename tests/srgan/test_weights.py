"""Tests for :mod:`srgan.weights`: bit-exact safetensors round trip with the sidecar,
checks of scale/model/task, bare-name resolution, and refusal of broken files."""

from __future__ import annotations

import json

import pytest
import torch

from srgan.models import build_generator
from srgan.weights import export_generator, load_generator, sidecar_path


@pytest.mark.parametrize("name,cfg", [("compact", {}), ("srresnet", {"channels": 8, "n_blocks": 1}),
                                      ("seed", {"channels": 8, "n_blocks": 1, "up_channels": 8})])
def test_round_trip_bit_exact(tmp_path, name, cfg):
    torch.manual_seed(0)
    g = build_generator(name, 2, **cfg)
    for p in g.parameters():  # non-trivial values everywhere (compact's last layer starts at zero)
        p.data.normal_()
    for m in g.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            m.running_mean.normal_()
            m.running_var.uniform_(0.5, 2)
    path = export_generator(tmp_path / "g.safetensors", g, {"task": "sr", "steps": 7, "metrics": {"psnr": 30.5}})
    net, meta = load_generator(path, scale=2, model=name, task="sr")
    a, b = g.state_dict(), net.state_dict()
    assert a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)
    assert meta["steps"] == 7 and meta["config"]["scale"] == 2 and not net.training
    x = torch.rand(1, 3, 16, 16)
    with torch.no_grad():
        assert torch.equal(g.eval()(x), net(x))
    assert not list(tmp_path.glob(".*tmp"))  # atomic writes leave no temporaries


def test_load_checks_and_errors(tmp_path):
    path = export_generator(tmp_path / "g.safetensors", build_generator("compact", 4), {"task": "sr"})
    with pytest.raises(ValueError, match="scale 4 model; 2 was asked"):
        load_generator(path, scale=2)
    with pytest.raises(ValueError, match="task 'sr' model; 'sr_color'"):
        load_generator(path, task="sr_color")
    with pytest.raises(ValueError, match="no shipped model named 'sr_nope'; available"):
        load_generator("sr_nope")
    side = json.loads(sidecar_path(path).read_text())
    side["config"]["channels"] = 16  # tensors no longer fit
    sidecar_path(path).write_text(json.dumps(side))
    with pytest.raises(ValueError, match="do not fit model 'compact'"):
        load_generator(path)
    (tmp_path / "bad.safetensors").write_bytes(b"\x00garbage")
    sidecar_path(tmp_path / "bad.safetensors").write_text(sidecar_path(path).read_text())
    with pytest.raises(ValueError, match="cannot read weights"):
        load_generator(tmp_path / "bad.safetensors")
    with pytest.raises(ValueError, match="must end in .safetensors"):
        export_generator(tmp_path / "g.pt", build_generator("compact"))


def test_bare_name_resolves_in_the_package_folder(tmp_path, monkeypatch):
    import srgan.weights as w

    monkeypatch.setattr(w, "PRETRAINED_DIR", tmp_path)
    export_generator(tmp_path / "sr_deblur.safetensors", build_generator("compact", 4), {"task": "sr_deblur"})
    net, meta = load_generator("sr_deblur", task="sr_deblur", scale=4)
    assert meta["model"] == "compact" and w.pretrained_names() == ["sr_deblur"]
    with pytest.raises(ValueError, match="available: sr_deblur"):
        load_generator("sr_color")


def test_written_files_get_the_usual_permissions(tmp_path):
    """Atomic writes must not leave mkstemp's owner-only 0600 on shared results."""
    import os

    from srgan._io import atomic_path

    mask = os.umask(0o022)
    try:
        with atomic_path(tmp_path / "r.md") as tmp:
            tmp.write_text("x")
    finally:
        os.umask(mask)
    assert (tmp_path / "r.md").stat().st_mode & 0o777 == 0o644
