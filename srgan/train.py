"""
Training — pixel pre-training, then adversarial fine-tuning, in one readable loop
=================================================================================

:func:`train` takes a :class:`TrainConfig`, a training and a validation
``torch.utils.data.Dataset`` of ``(lr, hr)`` pairs (float CHW in [0, 1]) and a run
folder, and reads top to bottom:

1. distributed setup (``torchrun`` sets ``WORLD_SIZE``: plain ``DistributedDataParallel``,
   gloo on CPU, NCCL on CUDA) and device choice (CUDA → MPS → CPU);
2. models (:func:`srgan.models.build_generator`), the generator's EMA, the losses;
3. Adam optimisers, per-phase cosine/step schedules, a GradScaler (fp16 only);
4. resume from ``RUN/checkpoint.pt`` (``torch.load(weights_only=True)`` only);
5. the data order: a permutation that is a pure function of ``(seed, epoch)``, cut into
   global batches; rank ``r`` takes the ``r``-th slice of each. A step number therefore
   fixes the batch, and resuming at step ``s`` restarts the order at batch ``s``;
6. the loop: phase 1 (``pretrain_steps``, pixel recipe), phase 2 (``gan_steps``, content
   recipe + adversarial loss, one discriminator update per generator update); EMA
   update (decay warmed up as ``min(decay, (1+n)/(10+n))``); CSV (+ TensorBoard when installed) log; validation of the EMA on Y (BT.601)
   PSNR/SSIM with a PNG grid and ``best`` tracking; checkpoints every ``ckpt_every``
   steps and on Ctrl-C (at the end of the step being run);
7. export of the EMA generator as safetensors + JSON (:mod:`srgan.weights`).

Rank 0 alone logs, validates and writes files.

Exactness of ``--resume``: the checkpoint holds every RNG state (python, numpy, torch,
CUDA) at a step boundary and the data order restarts at that step, so with the default
``num_workers=0`` a resumed run is bit-identical to an uninterrupted one on the CPU
(tested), even when the dataset draws augmentations from torch's generator. With
worker processes, torch seeds the workers afresh at the resumed step: random choices
are then exact only if the dataset derives them from the index.

References
----------
- Ledig, C. et al. "Photo-Realistic Single Image Super-Resolution Using a Generative
  Adversarial Network", *CVPR* (2017): MSE pre-training, then GAN with weight 1e-3,
  Adam β₁ = 0.9, lr 1e-4.
- Radford, A., Metz, L., Chintala, S. "Unsupervised Representation Learning with Deep
  Convolutional GANs", *ICLR* (2016): Adam lr 2e-4, β₁ = 0.5 (the study's setting).
- Loshchilov, I., Hutter, F. "SGDR: Stochastic Gradient Descent with Warm Restarts",
  *ICLR* (2017) (cosine schedule).
- Wang, X. et al. "ESRGAN", *ECCVW* (2018); Karras, T. et al. "Progressive Growing of
  GANs", *ICLR* (2018) (EMA of the generator's weights).
- Karpathy, A. nanoGPT (2022) — the one-file training-loop style.
"""

from __future__ import annotations

import csv
import math
import os
import pickle
import random
import signal
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader, Dataset, Sampler

from ._io import atomic_path
from .errors import UsageError
from .losses import ADVERSARIAL, CompositeLoss, LossRecipe, adversarial_d, adversarial_g, ssim
from .models import GENERATORS, build_discriminator, build_generator, config_dict, count_flops, count_parameters
from .resample import bicubic
from .weights import export_generator

__all__ = ["TrainConfig", "train", "generator_step", "discriminator_step", "ema_update", "StepBatchSampler",
           "y_psnr_ssim", "load_checkpoint", "CHECKPOINT", "CKPT_FORMAT"]

CHECKPOINT = "checkpoint.pt"
CKPT_FORMAT = "srgan-train-checkpoint/1"
SCHEDULES = ("cosine", "step", "constant")
AMP = ("bf16", "fp16", "none")


@dataclass(frozen=True)
class TrainConfig:
    """
    Everything that shapes a run. Defaults: SRGAN's recipe (pixel MSE pre-training,
    Adam lr 1e-4, β = (0.9, 0.999), adversarial BCE weight 1e-3); the study used
    lr 2e-4, β₁ = 0.5 (``lr=2e-4, betas=(0.5, 0.999)``).

    Raises
    ------
    ValueError
        A field out of range; the message names it and the allowed range.
    """

    model: str = "srresnet"
    model_config: tuple[tuple[str, Any], ...] = ()  # extra generator config fields (name, value)
    disc_config: tuple[tuple[str, Any], ...] = ()  # discriminator config fields (name, value)
    scale: int = 4
    seed: int = 0
    batch_size: int = 16  # global batch (split over the ranks)
    pretrain_steps: int = 1000  # phase 1; 0 skips it
    gan_steps: int = 0  # phase 2; 0 skips it
    lr: float = 1e-4
    lr_d: float = 1e-4
    betas: tuple[float, float] = (0.9, 0.999)
    schedule: str = "cosine"  # per phase: cosine to 0, step (×gamma at each step_fraction), constant
    step_fractions: tuple[float, ...] = (0.5,)
    step_gamma: float = 0.1
    pixel_loss: LossRecipe = field(default_factory=lambda: LossRecipe((("mse", 1.0),)))
    gan_loss: LossRecipe = field(default_factory=lambda: LossRecipe((("mse", 1.0), ("vgg", 6e-3))))
    adversarial: str = "bce"
    adv_weight: float = 1e-3
    ema_decay: float = 0.999
    ema_warmup: bool = True  # decay min(ema_decay, (1 + n)/(10 + n)) after n updates (TensorFlow's num_updates rule)
    log_every: int = 10
    val_every: int = 500  # 0: only at the end
    ckpt_every: int = 500  # 0: only at the end and on Ctrl-C
    val_images: int = 64  # at most this many validation pairs are scored
    grid_images: int = 4
    device: str = "auto"
    amp: str = "bf16"  # CUDA only: bf16 autocast; fp16 autocast + GradScaler; none
    num_workers: int = 0
    sync_bn: bool = False
    progress: bool = True  # tqdm bar on rank 0

    def __post_init__(self) -> None:
        def positive(name: str, allow_zero: bool = False) -> None:
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int) or v < (0 if allow_zero else 1):
                raise ValueError(f"TrainConfig.{name} must be an int >= {0 if allow_zero else 1}; got {v!r}")

        if self.model not in GENERATORS:
            raise ValueError(f"unknown model {self.model!r}; available: {', '.join(sorted(GENERATORS))}")
        for name in ("batch_size", "log_every", "grid_images", "val_images"):
            positive(name)
        for name in ("pretrain_steps", "gan_steps", "val_every", "ckpt_every", "num_workers", "seed"):
            positive(name, allow_zero=True)
        if self.pretrain_steps + self.gan_steps == 0:
            raise ValueError("TrainConfig.pretrain_steps + gan_steps must be >= 1")
        for name in ("lr", "lr_d"):
            if not (isinstance(getattr(self, name), (int, float)) and 0 < getattr(self, name) < 1):
                raise ValueError(f"TrainConfig.{name} must be in (0, 1); got {getattr(self, name)!r}")
        if len(self.betas) != 2 or not all(0 <= b < 1 for b in self.betas):
            raise ValueError(f"TrainConfig.betas must be two numbers in [0, 1); got {self.betas!r}")
        if self.schedule not in SCHEDULES:
            raise ValueError(f"TrainConfig.schedule must be one of {SCHEDULES}; got {self.schedule!r}")
        if not all(0 < f < 1 for f in self.step_fractions) or not 0 < self.step_gamma <= 1:
            raise ValueError("TrainConfig.step_fractions must lie in (0, 1) and step_gamma in (0, 1]")
        if self.adversarial not in ADVERSARIAL:
            raise ValueError(f"TrainConfig.adversarial must be one of {ADVERSARIAL}; got {self.adversarial!r}")
        if not self.adv_weight >= 0:
            raise ValueError(f"TrainConfig.adv_weight must be >= 0; got {self.adv_weight!r}")
        if not 0 <= self.ema_decay < 1:
            raise ValueError(f"TrainConfig.ema_decay must be in [0, 1); got {self.ema_decay!r}")
        if self.amp not in AMP:
            raise ValueError(f"TrainConfig.amp must be one of {AMP}; got {self.amp!r}")
        if self.device not in ("auto", "cpu", "cuda", "mps") and not self.device.startswith("cuda:"):
            raise ValueError(f"TrainConfig.device must be auto, cpu, cuda[:N] or mps; got {self.device!r}")
        build_generator(self.model, self.scale, **dict(self.model_config))  # validates the model configs
        if self.gan_steps:
            build_discriminator(self.model, **dict(self.disc_config))

    @property
    def total_steps(self) -> int:
        return self.pretrain_steps + self.gan_steps


# --------------------------------------------------------------------------- data order


class StepBatchSampler(Sampler[list[int]]):
    """
    Batches of dataset indices for steps ``start_step … n_steps − 1``: epoch ``e`` is the
    permutation ``randperm(n, seed = seed·1_000_003 + e)`` cut into ``n // batch_size``
    global batches (the remainder is dropped); rank ``r`` of ``world`` takes the ``r``-th
    of ``world`` equal slices of each. The batch of a step depends on (seed, step) only.
    """

    def __init__(self, n: int, batch_size: int, seed: int, start_step: int, n_steps: int,
                 rank: int = 0, world: int = 1) -> None:
        if batch_size % world:
            raise ValueError(f"batch_size ({batch_size}) must be a multiple of the number of processes ({world})")
        if n < batch_size:
            raise ValueError(f"the training set has {n} pairs, fewer than one batch ({batch_size})")
        self.n, self.batch, self.seed, self.start, self.stop = n, batch_size, seed, start_step, n_steps
        self.rank, self.world = rank, world
        self.per_epoch = n // batch_size
        self._perm: tuple[int, torch.Tensor] | None = None

    def batch_of(self, step: int) -> list[int]:
        epoch, b = divmod(step, self.per_epoch)
        if self._perm is None or self._perm[0] != epoch:
            gen = torch.Generator().manual_seed(self.seed * 1_000_003 + epoch)
            self._perm = (epoch, torch.randperm(self.n, generator=gen))
        batch = self._perm[1][b * self.batch:(b + 1) * self.batch]
        local = self.batch // self.world
        return batch[self.rank * local:(self.rank + 1) * local].tolist()

    def __iter__(self):
        for step in range(self.start, self.stop):
            yield self.batch_of(step)

    def __len__(self) -> int:
        return max(0, self.stop - self.start)


# --------------------------------------------------------------------------- metrics


def _y_bt601(img: torch.Tensor) -> torch.Tensor:
    """BT.601 luma Y (16…235) of 8-bit-rounded sRGB ``(N, 3, H, W)`` in [0, 1] → ``(N, 1, H, W)``."""
    q = torch.round(img.float().clamp(0, 1) * 255.0) / 255.0
    return (16.0 + 65.481 * q[:, 0] + 128.553 * q[:, 1] + 24.966 * q[:, 2]).unsqueeze(1)


def y_psnr_ssim(sr: torch.Tensor, hr: torch.Tensor, crop: int) -> tuple[torch.Tensor, torch.Tensor]:
    """
    Per-image PSNR (dB, peak 255) and SSIM on the BT.601 Y channel of 8-bit-rounded
    images with ``crop`` border pixels removed — the usual SR convention. Returns two
    ``(N,)`` tensors.
    """
    if crop < 0 or 2 * crop >= min(hr.shape[-2:]):
        raise ValueError(f"`crop` must be in [0, {min(hr.shape[-2:]) // 2}); got {crop}")
    ys, yh = _y_bt601(sr), _y_bt601(hr)
    if crop:
        ys, yh = ys[..., crop:-crop, crop:-crop], yh[..., crop:-crop, crop:-crop]
    mse = ((ys.double() - yh.double()) ** 2).mean(dim=(1, 2, 3))
    psnr = 10.0 * torch.log10(255.0**2 / mse.clamp_min(1e-12))
    return psnr.float(), ssim(ys / 255.0, yh / 255.0, reduction="none")


# --------------------------------------------------------------------------- helpers


def _dist_env() -> tuple[int, int, int]:
    world = int(os.environ.get("WORLD_SIZE", "1"))
    return int(os.environ.get("RANK", "0")), world, int(os.environ.get("LOCAL_RANK", "0"))


def _pick_device(name: str, local_rank: int) -> torch.device:
    if name == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda", local_rank)
        if getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available():
            return torch.device("mps")
        return torch.device("cpu")
    if name.startswith("cuda") and not torch.cuda.is_available():
        raise UsageError(f"--device {name}: CUDA is not available here")
    return torch.device("cuda", local_rank) if name == "cuda" else torch.device(name)


def _lr_factor(cfg: TrainConfig, step_in_phase: int, phase_len: int) -> float:
    if phase_len <= 0 or cfg.schedule == "constant":
        return 1.0
    t = min(step_in_phase, phase_len) / phase_len
    if cfg.schedule == "cosine":
        return 0.5 * (1.0 + math.cos(math.pi * t))
    return cfg.step_gamma ** sum(t >= f for f in cfg.step_fractions)


def _rng_state() -> dict[str, Any]:
    np_state = np.random.get_state()
    return {
        "python": random.getstate(),
        "numpy": (np_state[0], torch.from_numpy(np_state[1].astype(np.int64)), *np_state[2:]),
        "torch": torch.get_rng_state(),
        "cuda": torch.cuda.get_rng_state_all() if torch.cuda.is_available() else [],
    }


def _set_rng_state(state: dict[str, Any]) -> None:
    random.setstate(state["python"])
    name, keys, *rest = state["numpy"]
    np.random.set_state((name, keys.numpy().astype(np.uint32), *rest))
    torch.set_rng_state(state["torch"])
    if state["cuda"] and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state["cuda"])


def load_checkpoint(path: str | Path) -> dict[str, Any]:
    """
    Read a training checkpoint with ``torch.load(weights_only=True)``: tensors and plain
    containers only, so a file holding any other pickled object is refused unexecuted.

    Raises
    ------
    UsageError
        Missing, unreadable or foreign file.
    """
    p = Path(path)
    if not p.is_file():
        raise UsageError(f"checkpoint {str(p)!r} not found")
    try:
        ckpt = torch.load(str(p), map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as exc:
        why = [ln.strip() for ln in str(exc).splitlines() if "Unsupported global" in ln]
        if why:
            raise UsageError(f"checkpoint {str(p)!r} refused: it holds pickled objects, not only tensors and "
                             f"plain data ({why[0][:120]})") from None
        raise UsageError(f"checkpoint {str(p)!r} is corrupt or not a torch file") from None
    except Exception as exc:  # truncated / not a torch file
        raise UsageError(f"checkpoint {str(p)!r} is corrupt or not a torch file ({type(exc).__name__})") from None
    if not isinstance(ckpt, dict) or ckpt.get("format") != CKPT_FORMAT:
        raise UsageError(f"checkpoint {str(p)!r} is not an srgan training checkpoint ({CKPT_FORMAT})")
    return ckpt


def _check_checkpoint(ckpt: dict[str, Any], cfg: TrainConfig, model_cfg: dict[str, Any], path: Path) -> None:
    if ckpt.get("scale") != cfg.scale:
        raise UsageError(f"checkpoint {str(path)!r} is a ×{ckpt.get('scale')} model; this run trains ×{cfg.scale}")
    if ckpt["model"] != cfg.model or ckpt["model_config"] != model_cfg:
        raise UsageError(f"checkpoint {str(path)!r} is a {ckpt['model']!r} model with config "
                         f"{ckpt['model_config']}; this run builds {cfg.model!r} with {model_cfg}")
    if ckpt["has_d"] != (cfg.gan_steps > 0):
        raise UsageError(f"checkpoint {str(path)!r} was written with gan_steps {'> 0' if ckpt['has_d'] else '= 0'}; keep the phases of the run")


def _save_grid(path: Path, rows: list[torch.Tensor]) -> None:
    """Rows of ``(3, H, W)`` images (bicubic | SR | HR) as one PNG, written atomically."""
    import imageio.v3 as iio

    pad = 2
    lines = [torch.cat([F.pad(t.clamp(0, 1), (pad, pad, pad, pad), value=1.0) for t in row], dim=2) for row in rows]
    img = (torch.cat(lines, dim=1).permute(1, 2, 0).cpu().numpy() * 255.0 + 0.5).astype(np.uint8)
    with atomic_path(path) as tmp:
        iio.imwrite(tmp, img, extension=".png")


class _CsvLog:
    """Append-only CSV with a fixed header; on resume rows after the restored step are dropped."""

    def __init__(self, path: Path, columns: list[str], keep_until: int | None) -> None:
        self.path, self.columns = path, columns
        rows: list[list[str]] = []
        if keep_until is not None and path.is_file():
            with open(path, newline="") as fh:
                reader = csv.reader(fh)
                header = next(reader, None)
                if header == columns:
                    rows = [r for r in reader if r and int(r[0]) <= keep_until]
        with atomic_path(path) as tmp, open(tmp, "w", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(columns)
            w.writerows(rows)
        self.fh = open(path, "a", newline="")
        self.writer = csv.writer(self.fh)

    def write(self, values: dict[str, Any]) -> None:
        self.writer.writerow([_fmt(values.get(c, "")) for c in self.columns])
        self.fh.flush()

    def close(self) -> None:
        self.fh.close()


def _fmt(v: Any) -> str:
    return f"{v:.6g}" if isinstance(v, float) else str(v)


# --------------------------------------------------------------------------- the steps


def generator_step(g: nn.Module, d_raw: nn.Module | None, opt_g: torch.optim.Optimizer, scaler: torch.amp.GradScaler,
                   crit: CompositeLoss, lr_b: torch.Tensor, hr_b: torch.Tensor, cfg: TrainConfig,
                   amp: dict[str, Any]) -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
    """
    One generator update: content loss (the recipe ``crit``), plus with a discriminator
    ``cfg.adv_weight`` × the adversarial loss. ``d_raw`` is the bare module (not its DDP
    wrapper: a DDP forward here would expect a D backward) with gradients off, so this
    backward leaves nothing on D. Returns the SR batch and detached loss tensors.
    """
    with torch.autocast(**amp):
        sr = g(lr_b)
        loss, values = crit(sr, hr_b)
        if d_raw is not None and cfg.adv_weight > 0:
            d_raw.requires_grad_(False)
            real_logits = d_raw(hr_b).detach() if cfg.adversarial == "ragan" else None
            adv = adversarial_g(d_raw(sr), real_logits, cfg.adversarial)
            d_raw.requires_grad_(True)
            loss = loss + cfg.adv_weight * adv
            values["adv_g"] = adv.detach()
    opt_g.zero_grad(set_to_none=True)
    scaler.scale(loss).backward()
    scaler.step(opt_g)
    values["loss"] = loss.detach()
    return sr, values


def discriminator_step(d: nn.Module, opt_d: torch.optim.Optimizer, scaler: torch.amp.GradScaler, hr_b: torch.Tensor,
                       sr_b: torch.Tensor, cfg: TrainConfig, amp: dict[str, Any]) -> dict[str, torch.Tensor]:
    """
    One discriminator update on real HR and the detached SR batch. Both go through one
    forward (one DDP call per step, so one gradient all-reduce); batch norm therefore sees
    real and fake in one batch.
    """
    with torch.autocast(**amp):
        logits = d(torch.cat([hr_b, sr_b.detach()]))
        loss_d = adversarial_d(logits[: len(hr_b)], logits[len(hr_b):], cfg.adversarial)
    opt_d.zero_grad(set_to_none=True)
    scaler.scale(loss_d).backward()
    scaler.step(opt_d)
    return {"loss_d": loss_d.detach()}


@torch.no_grad()
def ema_update(ema: nn.Module, model: nn.Module, decay: float) -> None:
    """``ema ← decay·ema + (1 − decay)·model`` for parameters; buffers (BN statistics) copied."""
    for pe, p in zip(ema.parameters(), model.parameters()):
        pe.lerp_(p.detach(), 1.0 - decay)
    for be, b in zip(ema.buffers(), model.buffers()):
        be.copy_(b)


# --------------------------------------------------------------------------- the loop


def train(cfg: TrainConfig, train_set: Dataset, val_set: Dataset | None, out_dir: str | Path, *,
          resume: bool | str | Path = False, meta: dict[str, Any] | None = None) -> dict[str, Any]:
    """
    Train a generator (see the module docstring for the order of things) and export its
    EMA to ``out_dir/model.safetensors`` (+ ``best.safetensors`` at the best validation
    Y-PSNR). ``resume``: ``True`` continues from ``out_dir/checkpoint.pt``, a path from
    that file. ``meta`` (JSON data: task, camera config hash, data description) goes into
    the exported sidecars. Returns a summary dict (steps, best metrics, paths, and the
    trained ``generator`` and its ``ema`` modules).

    Raises
    ------
    ValueError / UsageError
        Bad config, a checkpoint of another model or run shape, images that are not
        3-channel pairs at this scale, a run folder that holds a checkpoint while
        ``resume`` is off.
    """
    if not isinstance(cfg, TrainConfig):
        raise ValueError(f"`cfg` must be a TrainConfig; got {type(cfg).__name__}")
    out = Path(out_dir)
    ckpt_path = out / CHECKPOINT
    resume_from = (ckpt_path if resume is True else Path(resume)) if resume else None
    if resume_from is None and ckpt_path.exists():
        raise UsageError(f"{str(out)!r} already holds a checkpoint; pass --resume to continue it or choose another --out")

    # 1. processes and device -------------------------------------------------------------
    rank, world, local_rank = _dist_env()
    device = _pick_device(cfg.device, local_rank)
    if cfg.sync_bn and world > 1 and device.type != "cuda":
        raise UsageError("--sync-bn needs CUDA devices (torch's SyncBatchNorm is GPU-only); drop it on CPU")
    if world > 1 and not dist.is_initialized():
        dist.init_process_group("nccl" if device.type == "cuda" else "gloo")
    if device.type == "cuda":
        torch.cuda.set_device(device)
    main = rank == 0
    use_amp = device.type == "cuda" and cfg.amp != "none"
    amp_dtype = torch.float16 if cfg.amp == "fp16" else torch.bfloat16
    amp = {"device_type": device.type, "dtype": amp_dtype, "enabled": use_amp}  # torch.autocast arguments
    mem = torch.channels_last if device.type == "cuda" else torch.contiguous_format

    def log(msg: str) -> None:
        if main:
            print(msg, flush=True)
            with open(out / "train.log", "a", encoding="utf-8") as fh:
                fh.write(msg + "\n")

    if main:
        out.mkdir(parents=True, exist_ok=True)
    random.seed(cfg.seed)
    np.random.seed(cfg.seed)
    torch.manual_seed(cfg.seed)

    # the data must be what the model expects: 3 channels, HR = scale × LR
    lr0, hr0 = train_set[0]
    if lr0.ndim != 3 or lr0.shape[0] != 3 or hr0.shape[0] != 3:
        raise UsageError(f"training pairs must be 3-channel CHW images; got LR {tuple(lr0.shape)}, HR {tuple(hr0.shape)}")
    if tuple(hr0.shape[1:]) != (lr0.shape[1] * cfg.scale, lr0.shape[2] * cfg.scale):
        raise UsageError(f"HR {tuple(hr0.shape[1:])} is not {cfg.scale}× LR {tuple(lr0.shape[1:])}; the data and --scale disagree")

    # 2. models, EMA, losses --------------------------------------------------------------
    g_raw = build_generator(cfg.model, cfg.scale, **dict(cfg.model_config))
    model_cfg = config_dict(g_raw)
    flops = count_flops(g_raw, lr0.shape[-1])
    g_raw = g_raw.to(device, memory_format=mem)
    ema = build_generator(cfg.model, cfg.scale, **dict(cfg.model_config)).to(device, memory_format=mem)
    ema.load_state_dict(g_raw.state_dict())
    ema.requires_grad_(False).eval()
    d_raw = build_discriminator(cfg.model, **dict(cfg.disc_config)).to(device, memory_format=mem) if cfg.gan_steps else None
    if world > 1 and cfg.sync_bn:
        g_raw = nn.SyncBatchNorm.convert_sync_batchnorm(g_raw)
        d_raw = nn.SyncBatchNorm.convert_sync_batchnorm(d_raw) if d_raw is not None else None
    ddp_kw = {"device_ids": [device.index]} if device.type == "cuda" else {}
    g = nn.parallel.DistributedDataParallel(g_raw, **ddp_kw) if world > 1 else g_raw
    d = (nn.parallel.DistributedDataParallel(d_raw, **ddp_kw) if world > 1 else d_raw) if d_raw is not None else None
    pixel_crit = CompositeLoss(cfg.pixel_loss, seed=cfg.seed).to(device) if cfg.pretrain_steps else None
    gan_crit = CompositeLoss(cfg.gan_loss, seed=cfg.seed).to(device) if cfg.gan_steps else None

    # 3. optimisers and schedules ---------------------------------------------------------
    opt_g = torch.optim.Adam(g_raw.parameters(), lr=cfg.lr, betas=cfg.betas)
    opt_d = torch.optim.Adam(d_raw.parameters(), lr=cfg.lr_d, betas=cfg.betas) if d_raw is not None else None

    def g_factor(step: int) -> float:  # restarts at the phase boundary
        if step < cfg.pretrain_steps:
            return _lr_factor(cfg, step, cfg.pretrain_steps)
        return _lr_factor(cfg, step - cfg.pretrain_steps, cfg.gan_steps)

    sched_g = torch.optim.lr_scheduler.LambdaLR(opt_g, g_factor)
    sched_d = (torch.optim.lr_scheduler.LambdaLR(opt_d, lambda s: _lr_factor(cfg, s, cfg.gan_steps))
               if opt_d is not None else None)
    scaler = torch.amp.GradScaler(device.type if device.type == "cuda" else "cpu",
                                  enabled=use_amp and cfg.amp == "fp16")

    # 4. resume ---------------------------------------------------------------------------
    step, best = 0, {"psnr_y": -math.inf, "ssim_y": None, "step": None}
    last_metrics: dict[str, float] | None = None  # the latest validation, for the exported sidecar
    if resume_from is not None:
        ckpt = load_checkpoint(resume_from)
        _check_checkpoint(ckpt, cfg, model_cfg, resume_from)
        try:
            g_raw.load_state_dict(ckpt["G"])
            ema.load_state_dict(ckpt["EMA"])
            opt_g.load_state_dict(ckpt["opt_g"])
            sched_g.load_state_dict(ckpt["sched_g"])
            if d_raw is not None:
                d_raw.load_state_dict(ckpt["D"])
                opt_d.load_state_dict(ckpt["opt_d"])
                sched_d.load_state_dict(ckpt["sched_d"])
            scaler.load_state_dict(ckpt["scaler"])
        except (RuntimeError, KeyError, ValueError) as exc:
            raise UsageError(f"checkpoint {str(resume_from)!r} does not fit this run ({str(exc).splitlines()[0][:160]})") from None
        step, best = int(ckpt["step"]), dict(ckpt["best"])
        _set_rng_state(ckpt["rng"])
        if step > cfg.total_steps:
            raise UsageError(f"checkpoint is at step {step}, past this run's {cfg.total_steps} steps")

    def save_checkpoint() -> None:
        if not main:
            return
        state = {
            "format": CKPT_FORMAT, "config": asdict(cfg), "phase": "gan" if step >= cfg.pretrain_steps else "pretrain",
            "model": cfg.model, "model_config": model_cfg, "scale": cfg.scale,
            "has_d": d_raw is not None, "step": step, "best": best, "world_size": world,
            "data_position": {"step": step, "epoch": step // sampler.per_epoch, "batch": step % sampler.per_epoch},
            "G": g_raw.state_dict(), "EMA": ema.state_dict(), "opt_g": opt_g.state_dict(),
            "sched_g": sched_g.state_dict(), "scaler": scaler.state_dict(), "rng": _rng_state(),
        }
        if d_raw is not None:
            state.update(D=d_raw.state_dict(), opt_d=opt_d.state_dict(), sched_d=sched_d.state_dict())
        with atomic_path(ckpt_path) as tmp:
            torch.save(state, tmp)

    # 5. data order -----------------------------------------------------------------------
    sampler = StepBatchSampler(len(train_set), cfg.batch_size, cfg.seed, step, cfg.total_steps, rank, world)
    loader = DataLoader(train_set, batch_sampler=sampler, num_workers=cfg.num_workers,
                        pin_memory=device.type == "cuda",
                        generator=torch.Generator().manual_seed(cfg.seed * 7919 + step * 31 + rank))
    val_pairs: list[tuple[torch.Tensor, torch.Tensor]] = []
    if main and val_set is not None and len(val_set):
        val_pairs = [val_set[i] for i in range(min(cfg.val_images, len(val_set)))]

    def validate() -> dict[str, float]:
        ps, ss, bps, bss, grid = [], [], [], [], []
        for i in range(0, len(val_pairs), cfg.batch_size):
            lr_b = torch.stack([p[0] for p in val_pairs[i:i + cfg.batch_size]]).to(device, memory_format=mem)
            hr_b = torch.stack([p[1] for p in val_pairs[i:i + cfg.batch_size]]).to(device)
            with torch.no_grad(), torch.autocast(**amp):
                sr_b = ema(lr_b).float()
            bic_b = bicubic(lr_b.float(), tuple(hr_b.shape[-2:]))
            p, s = y_psnr_ssim(sr_b, hr_b, cfg.scale)
            bp, bs = y_psnr_ssim(bic_b, hr_b, cfg.scale)
            ps.append(p), ss.append(s), bps.append(bp), bss.append(bs)
            for j in range(min(cfg.grid_images - len(grid), len(hr_b))):
                grid.append([bic_b[j], sr_b[j], hr_b[j]])
        _save_grid(out / "val" / f"step_{step:07d}.png", grid)
        return {"psnr_y": torch.cat(ps).mean().item(), "ssim_y": torch.cat(ss).mean().item(),
                "bicubic_psnr_y": torch.cat(bps).mean().item(), "bicubic_ssim_y": torch.cat(bss).mean().item()}

    # logs ----------------------------------------------------------------------------------
    terms = sorted({n for r in (cfg.pixel_loss, cfg.gan_loss) for n, _ in r.terms})
    train_log = val_log = tb = None
    if main:
        keep = step if resume_from is not None else None
        train_log = _CsvLog(out / "train_log.csv", ["step", "phase", "lr", "loss", *terms, "adv_g", "loss_d", "it_s"], keep)
        val_log = _CsvLog(out / "val_log.csv", ["step", "psnr_y", "ssim_y", "bicubic_psnr_y", "bicubic_ssim_y"], keep)
        try:
            from torch.utils.tensorboard import SummaryWriter

            tb = SummaryWriter(str(out / "tensorboard"))
        except ImportError:
            tb = None
        log(f"srgan train: {cfg.model} ×{cfg.scale}, {count_parameters(g_raw):,} parameters, "
            f"{flops / 1e6:.1f} MFLOPs per {lr0.shape[-1]}×{lr0.shape[-1]} input; device {device}"
            f"{' (' + cfg.amp + ' autocast, channels_last)' if use_amp else ''}; {world} process(es)")
        log(f"phase 1 (pre-training): {cfg.pretrain_steps} steps, loss {cfg.pixel_loss}")
        log(f"phase 2 (adversarial):  {cfg.gan_steps} steps, loss {cfg.gan_loss} + {cfg.adv_weight:g}·{cfg.adversarial}")
        for crit in (pixel_crit, gan_crit):
            if crit is not None and crit.vgg is not None:
                log(f"perceptual loss: {crit.vgg.source}")
        log(f"Adam lr {cfg.lr:g} (D {cfg.lr_d:g}), betas {tuple(cfg.betas)}, {cfg.schedule} schedule per phase; "
            f"EMA decay {cfg.ema_decay}{' (warm-up)' if cfg.ema_warmup else ''}; batch {cfg.batch_size}; {len(train_set)} training pairs, {len(val_pairs)} validation")
        if tb is None:
            log("TensorBoard not installed: CSV logs only")
        if resume_from is not None:
            log(f"resumed from {resume_from} at step {step}")

    # Ctrl-C: finish the step under way, then checkpoint and stop (all ranks together).
    stop = {"flag": False}
    old_handler = None
    if threading_main():
        old_handler = signal.signal(signal.SIGINT, lambda *_: stop.__setitem__("flag", True))

    # 6. the loop -----------------------------------------------------------------------------
    from tqdm import tqdm

    bar = tqdm(total=cfg.total_steps, initial=step, disable=not (main and cfg.progress), dynamic_ncols=True,
               mininterval=1.0, file=sys.stderr)
    g.train()
    if d is not None:
        d.train()
    t_last, step_last = time.perf_counter(), step
    interrupted = False
    try:
        for lr_b, hr_b in loader:
            lr_b = lr_b.to(device, non_blocking=True, memory_format=mem)
            hr_b = hr_b.to(device, non_blocking=True, memory_format=mem)
            gan_phase = step >= cfg.pretrain_steps

            # one generator update, then (phase 2) one discriminator update
            crit = gan_crit if gan_phase else pixel_crit
            sr_b, values = generator_step(g, d_raw if gan_phase else None, opt_g, scaler, crit, lr_b, hr_b, cfg, amp)
            if gan_phase:
                values.update(discriminator_step(d, opt_d, scaler, hr_b, sr_b, cfg, amp))
                sched_d.step()
            scaler.update()  # a no-op outside fp16
            sched_g.step()
            # the warm-up lets a short run's EMA leave the initial weights: 0.999 alone lags ~1000 steps
            decay = min(cfg.ema_decay, (1 + step) / (10 + step)) if cfg.ema_warmup else cfg.ema_decay
            ema_update(ema, g_raw, decay)
            step += 1
            bar.update(1)

            if main and (step % cfg.log_every == 0 or step == cfg.total_steps):
                now = time.perf_counter()
                it_s = (step - step_last) / max(now - t_last, 1e-9)
                t_last, step_last = now, step
                # .item() waits for the device: only on logging steps
                values = {k: v.item() for k, v in values.items()}
                values.update(step=step, phase="gan" if gan_phase else "pretrain", lr=opt_g.param_groups[0]["lr"], it_s=it_s)
                train_log.write(values)
                if tb is not None:
                    for k, v in values.items():
                        if isinstance(v, float):
                            tb.add_scalar(f"train/{k}", v, step)
                bar.set_postfix({k: f"{values[k]:.4g}" for k in ("loss", "adv_g", "loss_d") if k in values} | {"it/s": f"{it_s:.1f}"})

            if main and val_pairs and ((cfg.val_every and step % cfg.val_every == 0) or step == cfg.total_steps):
                m = last_metrics = validate()
                val_log.write({"step": step, **m})
                if tb is not None:
                    for k, v in m.items():
                        tb.add_scalar(f"val/{k}", v, step)
                if m["psnr_y"] > best["psnr_y"]:
                    best = {"psnr_y": m["psnr_y"], "ssim_y": m["ssim_y"], "step": step}
                    export_generator(out / "best.safetensors", ema, _sidecar(cfg, meta, step, m, best))
                log(f"step {step}: val Y-PSNR {m['psnr_y']:.3f} dB, SSIM {m['ssim_y']:.4f} "
                    f"(bicubic {m['bicubic_psnr_y']:.3f} dB, {m['bicubic_ssim_y']:.4f}); best {best['psnr_y']:.3f} at {best['step']}")

            if cfg.ckpt_every and step % cfg.ckpt_every == 0:
                save_checkpoint()
            if world > 1:  # every rank stops at the same step
                flag = torch.tensor([float(stop["flag"])], device=device)
                dist.all_reduce(flag, op=dist.ReduceOp.MAX)
                stop["flag"] = bool(flag.item())
            if stop["flag"]:
                interrupted = True
                break
    finally:
        bar.close()
        if old_handler is not None:
            signal.signal(signal.SIGINT, old_handler)

    # 7. checkpoint and export ------------------------------------------------------------------
    save_checkpoint()
    summary: dict[str, Any] = {"steps": step, "best": best, "interrupted": interrupted, "out": str(out),
                               "generator": g_raw, "ema": ema}
    if main:
        train_log.close()
        val_log.close()
        if tb is not None:
            tb.close()
        if not interrupted:
            path = export_generator(out / "model.safetensors", ema, _sidecar(cfg, meta, step, last_metrics, best))
            summary["model"] = str(path)
            log(f"exported EMA generator to {path}")
    if world > 1:
        dist.barrier()
    if interrupted:
        log(f"interrupted at step {step}; checkpoint written, continue with --resume")
        raise KeyboardInterrupt
    return summary


def threading_main() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


def _sidecar(cfg: TrainConfig, meta: dict[str, Any] | None, step: int, metrics: dict[str, float] | None,
             best: dict[str, Any]) -> dict[str, Any]:
    train_cfg = asdict(cfg)
    return {**dict(meta or {}), "training_steps": step, "metrics": metrics, "best": best,
            "training": {k: train_cfg[k] for k in ("seed", "batch_size", "pretrain_steps", "gan_steps", "lr", "betas",
                                                   "schedule", "adversarial", "adv_weight", "ema_decay")}
            | {"pixel_loss": str(cfg.pixel_loss), "gan_loss": str(cfg.gan_loss)}}
