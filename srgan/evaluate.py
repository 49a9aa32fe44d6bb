"""
Evaluate — a generator against bicubic on held-out photos
=========================================================

Each HR photo goes through :meth:`srgan.tasks.Task.pair` (whole-image mode) to give its
LR input; the LR is upscaled (a) by bicubic (:func:`srgan.resample.bicubic_image`, the
package's one baseline) and (b) by the model; both are scored against HR with
:func:`srgan.metrics.scores` (conventions in :mod:`srgan.metrics`: Y of BT.601, crop =
scale px, 8-bit; RGB PSNR; S-CIELAB at 41.2 samples/degree; ΔE2000 on sRGB → Lab D65).

Outputs (all written atomically, in ``out_dir``): ``evaluate_<task>.csv`` (one row per
image and method, then the means), ``evaluate_<task>.md`` (convention line, mean table,
per-image table), ``evaluate_<task>.json`` and one figure per image set
``evaluate_<task>_<set>.png``: rows LR | bicubic | SR | HR | S-CIELAB ΔE map of SR, for
up to :data:`FIGURE_ROWS` images of the set.

Each image's camera-noise seed derives from the base seed and the image's path below its
folder (never from the order of discovery).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import warnings
import zlib
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Iterable

import numpy as np
import torch
from torch import nn

from . import metrics
from ._files import atomic_savefig, atomic_write_text, find_images, output_dir, read_or_skip
from .errors import UsageError
from .resample import bicubic_image
from .tasks import Task, check_run_args

__all__ = ["MODES", "FIGURE_ROWS", "ImageResult", "EvaluationResult", "evaluate", "model_scale", "image_seed", "run_model"]

MODES: tuple[str, ...] = ("whole", "patches")
FIGURE_ROWS: int = 6  # images per set shown in its figure


@dataclass(frozen=True)
class ImageResult:
    """Scores of one image: ``bicubic`` and ``model`` against HR."""

    image_set: str
    image: str
    seed: int
    bicubic: metrics.Scores
    model: metrics.Scores


@dataclass(frozen=True)
class EvaluationResult:
    """
    Outcome of :func:`evaluate`.

    Attributes
    ----------
    task, model_name, scale, mode, seed
        What was evaluated.
    images
        Per-image results, in discovery order.
    mean_bicubic, mean_model
        Means over ``images``.
    skipped
        Unreadable inputs (reason strings), counted, not scored.
    convention
        The metric convention line printed with every table.
    outputs
        Files written (empty without ``out_dir``).
    """

    task: str
    model_name: str
    scale: int
    mode: str
    seed: int
    images: tuple[ImageResult, ...]
    mean_bicubic: metrics.Scores
    mean_model: metrics.Scores
    skipped: tuple[str, ...]
    convention: str
    outputs: tuple[Path, ...] = ()

    def rows(self) -> list[dict[str, object]]:
        """Flat rows (image set, image, method, five scores), the means last (image ``"mean"``)."""
        out: list[dict[str, object]] = []
        for r in self.images:
            for method, s in (("bicubic", r.bicubic), ("model", r.model)):
                out.append({"image_set": r.image_set, "image": r.image, "method": method, **asdict(s)})
        for method, s in (("bicubic", self.mean_bicubic), ("model", self.mean_model)):
            out.append({"image_set": "all", "image": "mean", "method": method, **asdict(s)})
        return out

    def to_csv(self) -> str:
        """CSV text of :meth:`rows` (``inf`` written as ``inf``)."""
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(["image_set", "image", "method", *metrics.Scores.names()])
        for row in self.rows():
            writer.writerow([row["image_set"], row["image"], row["method"],
                             *(metrics.format_value(row[n], 6) for n in metrics.Scores.names())])
        return buf.getvalue()

    def to_markdown(self) -> str:
        """Markdown: title, convention line, mean table, per-image table, skipped count."""
        head = "| {} | Y-PSNR (dB) | Y-SSIM | RGB-PSNR (dB) | S-CIELAB ΔE | ΔE2000 |"
        sep = "|---|---:|---:|---:|---:|---:|"

        def cells(s: metrics.Scores) -> str:
            return (f"{metrics.format_value(s.y_psnr)} | {metrics.format_value(s.y_ssim, 4)} | "
                    f"{metrics.format_value(s.rgb_psnr)} | {metrics.format_value(s.scielab)} | "
                    f"{metrics.format_value(s.delta_e2000)}")

        lines = [f"# Evaluation: {self.model_name} on task {self.task} (×{self.scale}, {self.mode}-image mode)",
                 "", f"Convention: {self.convention}.", "",
                 f"Mean over {len(self.images)} image(s):", "", head.format("method"), sep,
                 f"| bicubic | {cells(self.mean_bicubic)} |", f"| {self.model_name} | {cells(self.mean_model)} |",
                 "", "Per image:", "", head.format("image | method").replace("|---|", "|---|---|", 1),
                 sep.replace("|---|", "|---|---|", 1)]
        for r in self.images:
            for method, s in (("bicubic", r.bicubic), (self.model_name, r.model)):
                lines.append(f"| {r.image_set}/{r.image} | {method} | {cells(s)} |")
        if self.skipped:
            lines += ["", f"Skipped {len(self.skipped)} unreadable file(s)."]
        return "\n".join(lines) + "\n"

    def to_json(self) -> str:
        """JSON text (``inf`` as the string ``"inf"``)."""
        def clean(v):
            if isinstance(v, float) and not np.isfinite(v):
                return metrics.format_value(v)
            if isinstance(v, dict):
                return {k: clean(x) for k, x in v.items()}
            if isinstance(v, (list, tuple)):
                return [clean(x) for x in v]
            return str(v) if isinstance(v, Path) else v

        return json.dumps(clean(asdict(self)), indent=2, ensure_ascii=False) + "\n"


def model_scale(model: nn.Module, meta: dict | None = None) -> int:
    """The model's upscaling factor: ``meta["scale"]`` if given, else measured on an 8×8 input."""
    if meta and meta.get("scale") is not None:
        return int(meta["scale"])
    if not isinstance(model, nn.Module):
        raise ValueError(f"`model` must be a torch.nn.Module; got {type(model).__name__}")
    p = next(model.parameters(), None)
    with torch.no_grad():
        y = model(torch.zeros(1, 3, 8, 8, device=p.device if p is not None else "cpu"))
    s = int(y.shape[-1]) // 8
    if s < 1 or tuple(y.shape[-2:]) != (8 * s, 8 * s):
        raise ValueError(f"`model` must upscale (1, 3, 8, 8) by an integer factor; got {tuple(y.shape)}")
    return s


def image_seed(seed: int, name: str) -> int:
    """Camera-noise seed of one image: from the base ``seed`` and the image's relative ``name``."""
    return int(np.random.SeedSequence([int(seed), zlib.crc32(name.encode("utf-8"))]).generate_state(1)[0])


def _set_names(files: list[tuple[Path, Path | None]]) -> dict[Path | None, str]:
    names: dict[Path | None, str] = {}
    for _, folder in files:
        if folder in names:
            continue
        base = "files" if folder is None else (folder.resolve().name or "images")
        name, k = base, 2
        while name in names.values():
            name, k = f"{base}_{k}", k + 1
        names[folder] = name
    return names


@torch.no_grad()
def run_model(model: nn.Module, lr: np.ndarray) -> np.ndarray:
    """``model`` on one ``(h, w, 3)`` float image in [0, 1]; float32 ``(s·h, s·w, 3)`` clamped to [0, 1]."""
    p = next(model.parameters(), None)
    x = torch.from_numpy(np.ascontiguousarray(lr.transpose(2, 0, 1)))[None]
    y = model(x.to(p.device if p is not None else "cpu")).float().clamp_(0, 1).cpu()
    return np.ascontiguousarray(y[0].numpy().transpose(1, 2, 0))


def evaluate(model: nn.Module, task: Task | str, images: Iterable[str | os.PathLike], *, seed: int = 0,
             mode: str = "whole", model_name: str = "model", out_dir: str | os.PathLike | None = None,
             progress: bool = True) -> EvaluationResult:
    """
    Score ``model`` and bicubic against HR on every image in ``images`` (files, or folders
    searched recursively; each folder is one image set) for ``task``.

    Parameters
    ----------
    model
        Generator mapping ``(N, 3, h, w)`` in [0, 1] to ``(N, 3, s·h, s·w)`` with
        ``s == task.scale``; put in eval mode here.
    task
        :class:`srgan.tasks.Task` that makes the LR (or a task name, at ×4).
    images
        Files and/or folders.
    seed
        Base seed (integer >= 0) of the camera noise.
    mode
        ``"whole"``: the whole image through the camera, centre crop (the study);
        ``"patches"``: the centre ``hr_size × hr_size`` crop at native resolution through the camera
        at the crop's share of the field of view (:meth:`srgan.tasks.Task.patch_pair`).
    model_name
        Label in tables and figures.
    out_dir
        Folder for the CSV, Markdown, JSON and figures; None writes nothing.
    progress
        Show a tqdm bar.

    Raises
    ------
    ValueError
        Bad arguments; :class:`UsageError` when no readable image is found or the model's
        scale is not the task's. Unreadable files are skipped with a warning and counted.
    """
    from tqdm import tqdm

    task = check_run_args(model, task, seed)
    if mode not in MODES:
        raise ValueError(f"`mode` must be one of {MODES}; got {mode!r}")
    if not isinstance(model_name, str) or not model_name:
        raise ValueError(f"`model_name` must be a non-empty string; got {model_name!r}")
    if isinstance(images, (str, os.PathLike)):
        images = [images]
    out = output_dir(out_dir) if out_dir is not None else None
    files = find_images(images)
    if not files:
        raise UsageError("no images found in " + ", ".join(repr(str(p)) for p in images))
    model.eval()
    sets = _set_names(files)
    results: list[ImageResult] = []
    skipped: list[str] = []
    examples: dict[str, list[tuple]] = {}
    for path, folder in tqdm(files, desc=f"evaluate {task.name}", unit="image", disable=not progress):
        read = read_or_skip(path, skipped)
        if read is None:
            continue
        rgb = read[0]
        name = path.relative_to(folder).as_posix() if folder is not None else path.name
        s = image_seed(seed, name)
        if mode == "whole":
            lr, hr = task.pair(rgb, seed=s)
        else:  # the centre HR-size crop at native resolution, camera field of view scaled to it
            n = task.hr_size
            if min(rgb.shape[:2]) < n:
                warnings.warn(f"skipped: {name} is smaller than the {n}-pixel patch", stacklevel=2)
                skipped.append(f"{name}: smaller than the {n}-pixel patch")
                continue
            lr, hr = task.patch_pair(rgb, (rgb.shape[0] - n) // 2, (rgb.shape[1] - n) // 2, seed=s)
        bic = bicubic_image(lr, hr.shape[:2])
        sr = run_model(model, lr)
        if sr.shape != hr.shape:
            raise UsageError(f"the model maps {lr.shape[:2]} to {sr.shape[:2]}, task {task.name} needs {hr.shape[:2]}")
        de_bic = metrics.scielab_map(hr, bic)
        de_sr = metrics.scielab_map(hr, sr)
        r = ImageResult(sets[folder], name, s, metrics.scores(hr, bic, task.scale, de_map=de_bic),
                        metrics.scores(hr, sr, task.scale, de_map=de_sr))
        results.append(r)
        ex = examples.setdefault(sets[folder], [])
        if len(ex) < FIGURE_ROWS:
            ex.append((name, lr, bic, sr, hr, de_sr))
    if skipped:
        warnings.warn(f"skipped {len(skipped)} unreadable image(s) of {len(files)}", stacklevel=2)
    if not results:
        raise UsageError(f"none of the {len(files)} image file(s) could be read")
    result = EvaluationResult(
        task=task.name, model_name=model_name, scale=task.scale, mode=mode, seed=int(seed), images=tuple(results),
        mean_bicubic=metrics.Scores.mean([r.bicubic for r in results]),
        mean_model=metrics.Scores.mean([r.model for r in results]),
        skipped=tuple(skipped), convention=metrics.CONVENTION)
    if out is None:
        return result
    stem = f"evaluate_{task.name}"
    written = [atomic_write_text(out / f"{stem}.csv", result.to_csv()),
               atomic_write_text(out / f"{stem}.md", result.to_markdown())]
    for set_name, ex in examples.items():
        safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", set_name)
        written.append(_figure(ex, out / f"{stem}_{safe}.png", title=f"{model_name} · {task.name} · {set_name}",
                               model_name=model_name))
    result = EvaluationResult(**{**{f: getattr(result, f) for f in result.__dataclass_fields__},
                                 "outputs": tuple(written) + (out / f"{stem}.json",)})
    atomic_write_text(out / f"{stem}.json", result.to_json())
    return result


def _figure(examples: list[tuple], path: Path, *, title: str, model_name: str) -> Path:
    """Rows LR | bicubic | SR | HR | S-CIELAB ΔE map (shared colour scale, ΔE00 units)."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    n = len(examples)
    vmax = max(float(np.percentile(e[5], 99.5)) for e in examples) or 1.0
    fig, axes = plt.subplots(n, 5, figsize=(12.5, 2.6 * n + 0.6), squeeze=False, constrained_layout=True)
    heads = ("LR (camera)", "bicubic", model_name, "HR", f"S-CIELAB ΔE00, {model_name} vs HR")
    im = None
    for i, (name, lr, bic, sr, hr, de) in enumerate(examples):
        for j, img in enumerate((lr, bic, sr, hr)):
            axes[i, j].imshow(np.clip(img, 0, 1), interpolation="nearest")
        im = axes[i, 4].imshow(de, cmap="magma", vmin=0, vmax=vmax, interpolation="nearest")
        axes[i, 0].set_ylabel(name, fontsize=8)
        for j in range(5):
            axes[i, j].set_xticks([])
            axes[i, j].set_yticks([])
            if i == 0:
                axes[i, j].set_title(heads[j], fontsize=9)
    fig.colorbar(im, ax=axes[:, 4], label="ΔE00 (S-CIELAB)", shrink=0.9)
    fig.suptitle(title, fontsize=10)
    return atomic_savefig(fig, path, dpi=80)
