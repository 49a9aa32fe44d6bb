"""Tests for :mod:`srgan.train`: exact resume after SIGKILL, refusal of checkpoints holding
pickled objects, the deterministic data order, the Y-PSNR helper against skimage, and
2-process torchrun (gloo) against one process with the same global batch."""

from __future__ import annotations

import math
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
from skimage.metrics import peak_signal_noise_ratio

from srgan.errors import UsageError
from srgan.train import CHECKPOINT, StepBatchSampler, load_checkpoint, train, y_psnr_ssim
from srgan.weights import load_generator

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))
from _train_helper import Pairs, compact_config, tiny_config  # noqa: E402

ENV = {**os.environ, "PYTHONPATH": os.pathsep.join([str(HERE.parents[1]), str(HERE)]), "OMP_NUM_THREADS": "1"}


def _helper(out: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(HERE / "_train_helper.py"), str(out), *extra], env=ENV,
                          capture_output=True, text=True, timeout=300)


def _assert_same_state(a: dict, b: dict) -> None:
    for key in ("G", "EMA", "D"):
        assert a[key].keys() == b[key].keys()
        for k in a[key]:
            assert torch.equal(a[key][k], b[key][k]), (key, k)
    for key in ("opt_g", "opt_d"):
        sa, sb = a[key]["state"], b[key]["state"]
        assert sa.keys() == sb.keys()
        for i in sa:
            for k in sa[i]:
                assert torch.equal(torch.as_tensor(sa[i][k]), torch.as_tensor(sb[i][k])), (key, i, k)
        assert a[key]["param_groups"] == b[key]["param_groups"]
    assert a["sched_g"] == b["sched_g"] and a["sched_d"] == b["sched_d"]
    assert a["step"] == b["step"] == 10


def test_resume_after_sigkill_is_exact(tmp_path):
    """10 steps straight vs 5 + SIGKILL (while fetching step 6's batch) + resume + 5: identical state."""
    straight, broken = tmp_path / "straight", tmp_path / "broken"
    torch.set_num_threads(1)  # as the helper: the same float reduction order
    train(tiny_config(), Pairs(), None, straight)
    killed = _helper(broken, "--kill-after-items", str(5 * 4 + 2))  # 5 batches of 4, then 2 items of the 6th
    assert killed.returncode == -9, killed.stderr[-2000:]
    assert load_checkpoint(broken / CHECKPOINT)["step"] == 5
    resumed = _helper(broken, "--resume")
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    a, b = load_checkpoint(straight / CHECKPOINT), load_checkpoint(broken / CHECKPOINT)
    _assert_same_state(a, b)
    ga, _ = load_generator(straight / "model.safetensors")
    gb, _ = load_generator(broken / "model.safetensors")
    assert all(torch.equal(x, y) for x, y in zip(ga.state_dict().values(), gb.state_dict().values()))
    # the log holds each step once, in order
    steps = [int(line.split(",")[0]) for line in (broken / "train_log.csv").read_text().splitlines()[1:]]
    assert steps == list(range(1, 11))


class _Boom:
    """Unpickling this would create a file: the checkpoint loader must never run it."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (Path(self.marker),))


def test_checkpoint_with_pickled_object_is_refused(tmp_path):
    marker = tmp_path / "pwned"
    out = tmp_path / "run"
    out.mkdir()
    torch.save({"format": "srgan-train-checkpoint/1", "G": _Boom(str(marker))}, out / CHECKPOINT)
    with pytest.raises(UsageError, match="refused"):
        train(tiny_config(), Pairs(), None, out, resume=True)
    assert not marker.exists()
    (out / CHECKPOINT).write_bytes(b"not a checkpoint")
    with pytest.raises(UsageError, match="corrupt"):
        load_checkpoint(out / CHECKPOINT)


def test_checkpoint_of_another_model_or_scale_is_refused(tmp_path):
    out = tmp_path / "run"
    train(tiny_config(pretrain_steps=2, gan_steps=1), Pairs(), None, out)
    with pytest.raises(UsageError, match="'srresnet' model.*this run builds 'compact'"):
        train(compact_config(), Pairs(), None, out, resume=True)
    with pytest.raises(UsageError, match="×4 model; this run trains ×2"):
        train(tiny_config(scale=2), Pairs(scale=2), None, out, resume=True)
    with pytest.raises(UsageError, match="already holds a checkpoint"):
        train(tiny_config(), Pairs(), None, out)


def test_wrong_channels_and_scale_are_usage_errors(tmp_path):
    with pytest.raises(UsageError, match="3-channel"):
        train(compact_config(), Pairs(channels=1), None, tmp_path / "a")
    with pytest.raises(UsageError, match="is not 4× LR"):
        train(compact_config(), Pairs(scale=2), None, tmp_path / "b")


def test_data_order_is_a_function_of_seed_and_step():
    s = StepBatchSampler(10, 4, seed=3, start_step=0, n_steps=6)
    batches = list(s)
    assert batches == [StepBatchSampler(10, 4, 3, k, 6).batch_of(k) for k in range(6)]
    assert sorted(batches[0] + batches[1]) == sorted(set(batches[0] + batches[1]))  # no repeats in an epoch
    halves = [StepBatchSampler(10, 4, 3, 0, 6, rank=r, world=2).batch_of(4) for r in (0, 1)]
    assert halves[0] + halves[1] == batches[4]
    with pytest.raises(ValueError, match="multiple of the number of processes"):
        StepBatchSampler(10, 3, 0, 0, 1, world=2)


def test_y_psnr_matches_skimage_on_bt601_luma():
    g = torch.Generator().manual_seed(0)
    hr = torch.rand(2, 3, 24, 24, generator=g)
    sr = (hr + 0.05 * torch.randn(hr.shape, generator=g)).clamp(0, 1)
    psnr, ssim_y = y_psnr_ssim(sr, hr, crop=4)

    def y(img):  # BT.601 on 8-bit values, Y in [16, 235]
        q = np.round(img.numpy() * 255.0)
        return (16.0 + (65.481 * q[0] + 128.553 * q[1] + 24.966 * q[2]) / 255.0)[4:-4, 4:-4]

    for i in range(2):
        ref = peak_signal_noise_ratio(y(hr[i]), y(sr[i]), data_range=255)
        assert psnr[i].item() == pytest.approx(ref, abs=1e-3)
    assert ((0 < ssim_y) & (ssim_y < 1)).all()


@pytest.mark.skipif(shutil.which("torchrun") is None and not Path(sys.executable).with_name("torchrun").exists(),
                    reason="torchrun not installed")
def test_torchrun_two_processes_match_one(tmp_path):
    """compact (no batch norm): 20 steps on 2 gloo ranks (4 + 4) = 1 process with batch 8."""
    one, two = tmp_path / "one", tmp_path / "two"
    torch.set_num_threads(1)
    train(compact_config(), Pairs(), None, one)
    cmd = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node=2",
           str(HERE / "_train_helper.py"), str(two), "--kind", "compact"]
    res = subprocess.run(cmd, env=ENV, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr[-3000:]
    a, b = load_checkpoint(one / CHECKPOINT), load_checkpoint(two / CHECKPOINT)
    assert b["world_size"] == 2 and b["step"] == 20
    for key in ("G", "EMA"):
        for k in a[key]:
            assert torch.allclose(a[key][k], b[key][k], atol=1e-5, rtol=1e-4), (key, k)
    # both ranks hold the same weights: rank 1 writes its own copy when asked
    ranks = sorted((two / "ranks").glob("rank*.safetensors"))
    assert len(ranks) == 2
    from safetensors.torch import load_file

    r0, r1 = (load_file(str(p)) for p in ranks)
    assert all(torch.equal(r0[k], r1[k]) for k in r0)


def test_gan_phase_seed_model_ragan_with_every_loss(tmp_path):
    """The study's model + PatchGAN, relativistic loss, a recipe with every content term:
    runs, logs finite losses, validates, and the exported EMA loads back."""
    from srgan.losses import LossRecipe

    recipe = LossRecipe(tuple((n, 0.1) for n in ("l1", "charbonnier", "mse", "fft", "ssim", "msssim", "vgg", "deltae")),
                        vgg_layer="conv3_3")
    cfg = tiny_config(model="seed", model_config=(("channels", 8), ("n_blocks", 1), ("up_channels", 8)),
                      disc_config=(("channels", 4),), pretrain_steps=1, gan_steps=2, adversarial="ragan",
                      gan_loss=recipe, val_every=3, schedule="step", betas=(0.5, 0.999), lr=2e-4)
    summary = train(cfg, Pairs(), Pairs(n=4, seed=9), tmp_path)
    assert summary["steps"] == 3 and math.isfinite(summary["best"]["psnr_y"])
    rows = (tmp_path / "train_log.csv").read_text().splitlines()
    last = dict(zip(rows[0].split(","), rows[-1].split(",")))
    assert last["phase"] == "gan" and all(math.isfinite(float(last[k])) for k in ("loss", "adv_g", "loss_d", "vgg", "deltae"))
    assert "random VGG19" in (tmp_path / "train.log").read_text()
    net, meta = load_generator(tmp_path / "model.safetensors", model="seed", scale=4)
    assert meta["training_steps"] == 3 and meta["training"]["adversarial"] == "ragan"


def test_ctrl_c_checkpoints_the_step_and_resume_is_exact(tmp_path):
    """SIGINT while step 8's batch loads: step 8 finishes, is checkpointed, KeyboardInterrupt; resume → same end state."""
    torch.set_num_threads(1)
    train(tiny_config(), Pairs(), None, tmp_path / "straight")
    with pytest.raises(KeyboardInterrupt):
        train(tiny_config(), Pairs(sigint_after=7 * 4 + 1), None, tmp_path / "int")
    assert load_checkpoint(tmp_path / "int" / CHECKPOINT)["step"] == 8
    assert not (tmp_path / "int" / "model.safetensors").exists()
    train(tiny_config(), Pairs(), None, tmp_path / "int", resume=True)
    _assert_same_state(load_checkpoint(tmp_path / "straight" / CHECKPOINT), load_checkpoint(tmp_path / "int" / CHECKPOINT))


def test_ema_update_rule():
    """ema_update: parameters lerp towards the model by (1 − decay); buffers are copied."""
    from srgan.models import build_generator
    from srgan.train import ema_update

    torch.manual_seed(0)
    a, b = build_generator("srresnet", 2, channels=4, n_blocks=1), build_generator("srresnet", 2, channels=4, n_blocks=1)
    b.blocks[0].body[1].running_mean.fill_(3.0)
    before = [p.clone() for p in a.parameters()]
    ema_update(a, b, 0.75)
    for p0, pa, pb in zip(before, a.parameters(), b.parameters()):
        assert torch.allclose(pa, 0.75 * p0 + 0.25 * pb, atol=1e-7)
    assert torch.equal(a.blocks[0].body[1].running_mean, b.blocks[0].body[1].running_mean)
