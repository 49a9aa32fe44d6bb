"""
Study — prepare → train → evaluate → analyse for the four tasks, then ``report.md``
==================================================================================

The original study's question: can one network undo a camera's degradation *and*
upscale? For each task (``sr``, ``sr_color``, ``sr_pixel``, ``sr_deblur``,
:mod:`srgan.tasks`) the runner

1. **prepare** — LR/HR pairs through the task's camsim camera (:func:`srgan.data.prepare`);
2. **train** — a generator on them (:func:`srgan.train.train`);
3. **evaluate** — the generator and bicubic against HR (:func:`srgan.evaluate.evaluate`);
4. **analyze** — what it learned, on charts (:func:`srgan.analyze.analyze`);

and writes ``RUN/report.md`` with every table and figure. Without training (the default)
steps 1–2 are skipped and the shipped weights (:func:`srgan.weights.load_generator` by
task name) are evaluated. Each finished stage leaves ``RUN/<task>/<stage>.json`` holding
its configuration key; a rerun skips stages whose key is unchanged, so an interrupted
study resumes (training itself resumes from its checkpoint).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tqdm.auto import tqdm

from . import __version__
from ._files import atomic_write_text, load_model_for
from .errors import UsageError
from .tasks import get_task, task_names

__all__ = ["BUDGETS", "StudyConfig", "run_study", "pixel_recipe", "STUDY_TASKS"]

STUDY_TASKS: tuple[str, ...] = ("sr", "sr_color", "sr_pixel", "sr_deblur")


@dataclass(frozen=True)
class Budget:
    """How much training a budget buys (per task)."""

    model: str
    model_config: tuple[tuple[str, Any], ...]
    steps: int
    batch_size: int
    lr: float
    dead_leaves: int  # procedural training images added to the photos
    mode: str  # pairing mode of the training data
    patches: int  # HR crops per source image in patches mode
    description: str
    photos: bool = True  # train on the embedded photos when no --images are given (else dead leaves only)


BUDGETS: dict[str, Budget] = {
    # CI smoke test: every stage runs, nothing is learned.
    "smoke": Budget("compact", (), 4, 4, 2e-4, 6, "whole", 1, "4 steps on 6 dead-leaves images (smoke test)",
                    photos=False),
    # `srgan study --train`: a light network, minutes on 2 CPU cores.
    # Photos (embedded or --images) + 200 dead-leaves images, whole-image pairs as the study.
    "cpu": Budget("compact", (("n_conv", 8), ("channels", 32)), 3000, 16, 5e-4, 200, "whole", 1,
                  "compact 8×32, 3,000 steps of batch 16 on the photos + 200 dead-leaves images "
                  "(≈ 15 min on 2 cores for four tasks)"),
    # `srgan study --full`: SRResNet as the paper, for a GPU.
    "full": Budget("srresnet", (), 100_000, 16, 1e-4, 0, "patches", 16, "SRResNet, 100,000 steps of batch 16 (GPU)"),
}


@dataclass(frozen=True)
class StudyConfig:
    """
    One study run.

    Parameters
    ----------
    out
        Run folder (created; reruns resume in it).
    tasks
        Task names (default: the four of the study).
    train
        True: prepare data and train a generator per task at ``budget``; False: use the
        shipped weights (``weights`` overrides with a folder of ``<task>.safetensors``).
    budget
        ``"smoke"``, ``"cpu"`` or ``"full"`` (:data:`BUDGETS`).
    images, val_images
        Training / validation HR folders (default: the photos bundled in installed
        wheels, split by hash).
    eval_images
        Folders or files scored by ``evaluate`` (default: ``val_images``, else the
        embedded photos).
    max_eval_images
        Score at most this many images per task (0: all).
    seed
        Base seed of camera noise, data order and initialisation (integer >= 0).
    workers
        Worker processes for data preparation.
    """

    out: str
    tasks: tuple[str, ...] = STUDY_TASKS
    train: bool = False
    budget: str = "cpu"
    images: tuple[str, ...] = ()
    val_images: tuple[str, ...] = ()
    eval_images: tuple[str, ...] = ()
    weights: str | None = None
    max_eval_images: int = 0
    seed: int = 0
    workers: int = 1
    steps: int | None = None  # overrides the budget's steps

    def __post_init__(self):
        if not isinstance(self.out, (str, os.PathLike)) or not str(self.out):
            raise ValueError(f"`out` must be a folder path; got {self.out!r}")
        object.__setattr__(self, "out", str(self.out))
        if not self.tasks or any(t not in task_names() for t in self.tasks):
            raise ValueError(f"`tasks` must be a non-empty subset of {task_names()}; got {self.tasks!r}")
        if self.budget not in BUDGETS:
            raise ValueError(f"`budget` must be one of {list(BUDGETS)}; got {self.budget!r}")
        for name in ("max_eval_images", "seed"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int) or v < 0:
                raise ValueError(f"`{name}` must be an integer >= 0; got {v!r}")
        if isinstance(self.workers, bool) or not isinstance(self.workers, int) or not 1 <= self.workers <= 64:
            raise ValueError(f"`workers` must be an integer in [1, 64]; got {self.workers!r}")
        if self.steps is not None and (isinstance(self.steps, bool) or not isinstance(self.steps, int)
                                       or not 1 <= self.steps <= 10_000_000):
            raise ValueError(f"`steps` must be an integer in [1, 10000000]; got {self.steps!r}")
        for name in ("images", "val_images", "eval_images"):
            paths = tuple(str(p) for p in getattr(self, name))
            for p in paths:
                if not Path(p).exists():
                    raise UsageError(f"--{name.replace('_', '-')}: no such file or folder: {p!r}")
            object.__setattr__(self, name, paths)
        if self.weights is not None and not Path(self.weights).is_dir():
            raise UsageError(f"--weights must be a folder of <task>.safetensors files; got {self.weights!r}")

    @property
    def plan(self) -> Budget:
        b = BUDGETS[self.budget]
        return b if self.steps is None else dataclasses.replace(b, steps=self.steps)


# ----------------------------------------------------------------------------- stages
def _key(obj: Any) -> str:
    return hashlib.sha256(json.dumps(obj, sort_keys=True, default=str).encode()).hexdigest()[:16]


def _done(path: Path, key: str) -> dict | None:
    """The stored result of a finished stage with this key, else None."""
    try:
        record = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    return record.get("result") if record.get("key") == key else None


def _finish(path: Path, key: str, result: dict) -> dict:
    atomic_write_text(path, json.dumps({"key": key, "result": result}, indent=1, default=str) + "\n")
    return result


def _eval_inputs(cfg: StudyConfig) -> list[str]:
    if cfg.eval_images:
        paths = list(cfg.eval_images)
    elif cfg.val_images:
        paths = list(cfg.val_images)
    else:
        from .sources import embedded_sources

        paths = [s.path for s in embedded_sources()]
        if not paths:
            raise UsageError("no embedded photos found (scikit-image / matplotlib not installed); give --eval-images")
    if cfg.max_eval_images:
        from ._files import find_images

        files = find_images(paths)[: cfg.max_eval_images]
        paths = [str(f) for f, _ in files]
    return paths


def _prepare(cfg: StudyConfig, task: str, run: Path) -> dict:
    from .data import prepare

    plan = cfg.plan
    summary = prepare(get_task(task), run / task / "data", images=list(cfg.images) or None,
                      val_images=list(cfg.val_images) or None, embedded=not cfg.images and plan.photos,
                      dead_leaves=plan.dead_leaves, dead_leaves_size=160, mode=plan.mode,
                      patches=plan.patches, seed=cfg.seed, workers=cfg.workers, progress=True)
    return {"config_hash": summary.config_hash, "pairs": summary.pairs, "skipped": len(summary.skipped),
            "seconds": summary.seconds}


def _train(cfg: StudyConfig, task: str, run: Path, data: dict) -> dict:
    from .data import PairDataset, read_manifest
    from .train import TrainConfig, train

    plan = cfg.plan
    cache = run / task / "data"
    manifest = read_manifest(cache)
    tcfg = TrainConfig(model=plan.model, model_config=plan.model_config, scale=get_task(task).scale, seed=cfg.seed,
                       batch_size=plan.batch_size, pretrain_steps=plan.steps, gan_steps=0, lr=plan.lr,
                       betas=(0.9, 0.999), pixel_loss=pixel_recipe(task), val_every=max(plan.steps // 5, 1),
                       ckpt_every=max(plan.steps // 10, 1), progress=True)
    out = run / task / "train"
    val = PairDataset(cache, split="val", augment=False)
    meta = {"task": task, "camera_config_hash": manifest.get("config_hash"),
            "data": f"{manifest.get('pairs', data.get('pairs'))} pairs from {cache}"}
    summary = train(tcfg, PairDataset(cache, split="train", augment=True), val if len(val) else None, out,
                    resume=(out / "checkpoint.pt").exists(), meta=meta)
    best = out / "best.safetensors"
    return {"weights": str(best if best.exists() else out / "model.safetensors"), "steps": summary["steps"],
            "best": summary["best"]}


def pixel_recipe(task: str):
    """The pixel loss of the study's training for ``task``: L1 (sharper than MSE for SR;
    Lim et al., "EDSR", CVPRW 2017). One recipe for all four tasks, so that differences
    between the models come from the data (the camera), not from the loss."""
    from .losses import LossRecipe

    if task not in task_names():
        raise ValueError(f"`task` must be one of {task_names()}; got {task!r}")
    return LossRecipe((("l1", 1.0),))


def _weights_for(cfg: StudyConfig, task: str, trained: dict | None) -> str:
    if trained is not None:
        return trained["weights"]
    if cfg.weights is not None:
        return str(Path(cfg.weights) / f"{task}.safetensors")
    return task  # a shipped model, by name


def run_study(cfg: StudyConfig) -> Path:
    """Run (or resume) the study described by ``cfg``; returns the path of ``report.md``."""
    if not isinstance(cfg, StudyConfig):
        raise ValueError(f"`cfg` must be a StudyConfig; got {type(cfg).__name__}")
    from .analyze import analyze
    from .evaluate import evaluate

    run = Path(cfg.out)
    if run.exists() and not run.is_dir():
        raise UsageError(f"--out {cfg.out!r} is a file, not a folder")
    run.mkdir(parents=True, exist_ok=True)
    eval_inputs = _eval_inputs(cfg)
    results: dict[str, dict] = {}
    t_start = time.perf_counter()
    stages = (["prepare", "train"] if cfg.train else []) + ["evaluate", "analyze"]
    bar = tqdm(total=len(stages) * len(cfg.tasks), desc="study", unit="stage")
    for task in cfg.tasks:
        folder = run / task
        r: dict[str, Any] = {}
        trained = None
        if cfg.train:
            key = _key(["prepare", task, cfg.images, cfg.val_images, cfg.plan.dead_leaves, cfg.plan.mode,
                        cfg.plan.patches, cfg.seed, __version__])
            bar.set_postfix_str(f"{task}: prepare")
            r["prepare"] = _done(folder / "prepare.json", key) or _finish(folder / "prepare.json", key,
                                                                            _prepare(cfg, task, run))
            bar.update()
            key = _key(["train", task, key, dataclasses.asdict(cfg.plan), r["prepare"]["config_hash"]])
            bar.set_postfix_str(f"{task}: train")
            trained = _done(folder / "train.json", key) or _finish(folder / "train.json", key,
                                                                  _train(cfg, task, run, r["prepare"]))
            r["train"] = trained
            bar.update()
        weights = _weights_for(cfg, task, trained)
        model, meta = load_model_for(weights, get_task(task))
        name = meta.get("model", "model") if isinstance(meta.get("model"), str) else "model"
        wkey = _key([weights, _file_stamp(weights), meta.get("training_steps")])
        key = _key(["evaluate", task, wkey, eval_inputs, cfg.seed])
        bar.set_postfix_str(f"{task}: evaluate")
        r["evaluate"] = _done(folder / "evaluate.json", key) or _finish(
            folder / "evaluate.json", key, _evaluate(evaluate, model, task, eval_inputs, cfg.seed, name, folder))
        bar.update()
        key = _key(["analyze", task, wkey, cfg.seed])
        bar.set_postfix_str(f"{task}: analyze")
        r["analyze"] = _done(folder / "analyze.json", key) or _finish(
            folder / "analyze.json", key, _analyze(analyze, model, task, cfg.seed, name, folder))
        bar.update()
        r["weights"], r["meta"] = weights, {k: meta.get(k) for k in ("model", "training_steps", "data", "task")}
        results[task] = r
    bar.close()
    report = run / "report.md"
    atomic_write_text(report, _report(cfg, results, eval_inputs, time.perf_counter() - t_start))
    return report


def _file_stamp(weights: str) -> str:
    p = Path(weights)
    if not p.suffix:
        from .weights import weights_path

        p = weights_path(weights)
    return hashlib.sha256(p.read_bytes()).hexdigest()[:16] if p.is_file() else ""


def _evaluate(evaluate, model, task, inputs, seed, name, folder: Path) -> dict:
    res = evaluate(model, task, inputs, seed=seed, model_name=name, out_dir=folder / "evaluate", progress=True)
    return {"markdown": res.to_markdown(), "mean_bicubic": dataclasses.asdict(res.mean_bicubic),
            "mean_model": dataclasses.asdict(res.mean_model), "n": len(res.images), "skipped": len(res.skipped),
            "convention": res.convention, "figures": [str(p) for p in res.outputs if str(p).endswith(".png")]}


def _analyze(analyze, model, task, seed, name, folder: Path) -> dict:
    res = analyze(model, task, seed=seed, model_name=name, out_dir=folder / "analyze")
    return {"markdown": res.to_markdown(), "mtf50": dict(res.edge.mtf50), "color_mean": dict(res.color.mean),
            "noise_ratio": res.noise.ratio, "figures": [str(p) for p in res.outputs if str(p).endswith(".png")]}


def _fmt(v: Any, digits: int = 2) -> str:
    from .metrics import format_value

    return format_value(float(v) if not isinstance(v, str) else float(v), digits)


def _report(cfg: StudyConfig, results: dict[str, dict], eval_inputs: list[str], seconds: float) -> str:
    run = Path(cfg.out)

    def rel(p: str) -> str:
        try:
            return os.path.relpath(p, run)
        except ValueError:
            return p

    import camsim

    lines = ["# SR study report", "",
             f"srgan {__version__}, camsim {camsim.__version__}; {'trained here (' + cfg.plan.description + ')' if cfg.train else 'weights: ' + (cfg.weights or 'shipped with the package')}; "
             f"run time {seconds:.0f} s.", "",
             "Evaluation images: " + (", ".join(Path(p).name for p in eval_inputs[:12])
                                      + (f" … ({len(eval_inputs)} in all)" if len(eval_inputs) > 12 else "")), ""]
    conv = next(iter(results.values()))["evaluate"]["convention"]
    lines += [f"Convention: {conv}. Bicubic = antialiased bicubic upscaling of the same LR.", "",
              "## Summary (mean over the evaluation images)", "",
              "| task | Y-PSNR bicubic → model (dB) | gain (dB) | S-CIELAB ΔE bicubic → model | "
              "MTF50 camera → SR (cy/HR px) | ColorChecker ΔE00 camera → SR |",
              "|---|---|---:|---|---|---|"]
    for task, r in results.items():
        b, m = r["evaluate"]["mean_bicubic"], r["evaluate"]["mean_model"]
        a = r["analyze"]
        gain = float(m["y_psnr"]) - float(b["y_psnr"])
        lines.append(f"| {task} | {_fmt(b['y_psnr'])} → {_fmt(m['y_psnr'])} | {gain:+.2f} | "
                     f"{_fmt(b['scielab'])} → {_fmt(m['scielab'])} | {_fmt(a['mtf50']['camera'], 3)} → "
                     f"{_fmt(a['mtf50']['sr'], 3)} | {_fmt(a['color_mean']['camera'])} → {_fmt(a['color_mean']['sr'])} |")
    lines += ["", "Cameras (camsim presets):", "", "| preset | optics | pixel | exposure | processing | degradation |",
              "|---|---|---|---|---|---|"]
    for row in camsim.presets.describe():
        lines.append("| " + " | ".join(str(row[k]) for k in ("name", "optics", "pixel", "exposure", "processing",
                                                                 "degradation")) + " |")
    for task, r in results.items():
        lines += ["", f"## {task}", "", f"Weights: `{r['weights']}` ({r['meta'].get('model')}, "
                  f"{r['meta'].get('training_steps')} steps).", ""]
        if "prepare" in r:
            lines += [f"Data: {r['prepare']['pairs']} pairs, {r['prepare']['skipped']} source(s) skipped.", ""]
        lines += [_demote(r["evaluate"]["markdown"])]
        lines += [f"![evaluation {task}]({rel(f)})" for f in r["evaluate"]["figures"]]
        lines += ["", _demote(r["analyze"]["markdown"])]
        lines += [f"![analysis {task}]({rel(f)})" for f in r["analyze"]["figures"]]
    return "\n".join(lines) + "\n"


def _demote(markdown: str) -> str:
    """Headings one level down, so each task's tables sit under its own heading."""
    return "\n".join("##" + ln if ln.startswith("# ") else ln for ln in markdown.splitlines())
