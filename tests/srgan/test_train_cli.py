"""``srgan train`` on the command line: a small run through the cache contract of
:mod:`srgan.data` (replaced here by an in-memory stand-in with the same interface), and
every bad input → one line on stderr, exit status 2."""

from __future__ import annotations

import json
import sys
import types
from pathlib import Path

import pytest
import torch

from srgan.cli import main
from srgan.losses import vgg19_features

sys.path.insert(0, str(Path(__file__).parent))
from _train_helper import Pairs  # noqa: E402


@pytest.fixture()
def cache(tmp_path, monkeypatch):
    """A cache folder with a manifest, and a stand-in ``srgan.data`` reading it."""

    def make(task="sr_color", scale=4, channels=3):
        root = tmp_path / f"cache_{task}_{scale}_{channels}"
        root.mkdir(exist_ok=True)
        manifest = {"task": {"name": task, "scale": scale, "lr_size": 32 // scale, "hr_size": 32},
                    "config_hash": "abc123", "test_channels": channels}
        (root / "manifest.json").write_text(json.dumps(manifest))
        fake = types.ModuleType("srgan.data")
        fake.read_manifest = lambda d: json.loads((Path(d) / "manifest.json").read_text())

        def pair_dataset(d, split="train", augment=False):
            m = fake.read_manifest(d)
            return Pairs(n=8 if split == "train" else 4, scale=m["task"]["scale"], channels=m["test_channels"],
                         seed=0 if split == "train" else 1)

        fake.PairDataset = pair_dataset
        monkeypatch.setitem(sys.modules, "srgan.data", fake)
        return root

    return make


def _run(capsys, *argv) -> tuple[int, str]:
    code = main(["train", *map(str, argv)])
    return code, capsys.readouterr().err


def _base(data, out, *extra):
    return ["--task", "sr_color", "--data", data, "--out", out, "--model", "compact", "--steps", "2",
            "--batch-size", "4", "--val-every", "2", "--no-progress", *extra]


def _one_error_line(code, err, pattern):
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert code == 2 and len(lines) == 1 and lines[0].startswith("srgan train: error:"), err
    assert pattern in lines[0], lines[0]


def test_small_run_exports_weights_with_sidecar(cache, tmp_path, capsys):
    code, err = _run(capsys, *_base(cache(), tmp_path / "run"))
    assert code == 0, err
    side = json.loads((tmp_path / "run" / "model.json").read_text())
    assert side["task"] == "sr_color" and side["camera_config_hash"] == "abc123" and side["model"] == "compact"
    assert side["training_steps"] == 2 and side["data"]["train_pairs"] == 8
    assert side["metrics"]["psnr_y"] == side["best"]["psnr_y"]  # validated at the last step
    assert (tmp_path / "run" / "val" / "step_0000002.png").is_file()
    assert (tmp_path / "run" / "best.safetensors").is_file()


def test_cache_of_another_task(cache, tmp_path, capsys):
    data = cache(task="sr_pixel")
    _one_error_line(*_run(capsys, *_base(data, tmp_path / "run")), "holds task 'sr_pixel' pairs, not --task 'sr_color'")


@pytest.mark.parametrize("extra,pattern", [
    (["--model", "nope"], "unknown model 'nope'"),
    (["--pixel-loss", "l1=1,huber=2"], "unknown loss 'huber'"),
    (["--adversarial", "wgan"], "invalid choice"),
    (["--steps", "-1"], "pretrain_steps must be an int >= 0"),
])
def test_unknown_names_and_ranges(cache, tmp_path, capsys, extra, pattern):
    _one_error_line(*_run(capsys, *_base(cache(), tmp_path / "run"), *extra), pattern)


def test_wrong_image_channels(cache, tmp_path, capsys):
    _one_error_line(*_run(capsys, *_base(cache(channels=1), tmp_path / "run")), "3-channel")


def test_checkpoint_errors(cache, tmp_path, capsys):
    data, run = cache(), tmp_path / "run"
    _one_error_line(*_run(capsys, *_base(data, run, "--resume")), "checkpoint.pt' not found")
    assert _run(capsys, *_base(data, run))[0] == 0
    # another architecture
    _one_error_line(*_run(capsys, *_base(data, run, "--resume"), "--model", "srresnet"),
                    "is a 'compact' model")
    # another scale: the cache says ×2, the checkpoint is ×4
    _one_error_line(*_run(capsys, *_base(cache(scale=2), run, "--resume")), "is a ×4 model; this run trains ×2")
    # corrupt and missing explicit file
    (run / "checkpoint.pt").write_bytes(b"\x80\x02garbage")
    _one_error_line(*_run(capsys, *_base(data, run, "--resume")), "corrupt")
    _one_error_line(*_run(capsys, *_base(data, run, "--resume", tmp_path / "none.pt")), "checkpoint not found")


def test_vgg_file_errors(cache, tmp_path, capsys):
    data = cache()
    gan = ["--steps", "0", "--gan-steps", "1", "--gan-loss", "l1=1,vgg=0.01"]
    _one_error_line(*_run(capsys, *_base(data, tmp_path / "a", *gan, "--vgg-weights", tmp_path / "no.pth")),
                    "networked machine")
    bad = {f"features.{k}": v for k, v in vgg19_features(15).state_dict().items()}
    bad["features.0.weight"] = torch.zeros(64, 1, 3, 3)
    torch.save(bad, tmp_path / "bad.pth")
    _one_error_line(*_run(capsys, *_base(data, tmp_path / "b", *gan, "--vgg-layer", "conv3_3",
                                         "--vgg-weights", tmp_path / "bad.pth")),
                    "do not have torchvision's VGG19 features layout")
