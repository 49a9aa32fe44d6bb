"""
Train, evaluate and document the shipped SR weights (``srgan/pretrained/<task>.*``)
=================================================================================

The one command behind every number in ``docs/models/*.md`` and ``docs/study-results.md``::

    python scripts/ship_weights.py --datasets ../shared/datasets --work /tmp/ship

For each task: ``srgan.data.prepare`` (T91 + BSD200 → train, Set5 + Set14 → validation,
whole-image mode as the original study) → ``srgan.train.train`` (pixel loss, EMA, best on
validation Y-PSNR) → the EMA weights copied into ``srgan/pretrained/`` with a sidecar that
names data, command, hardware and time → ``srgan.evaluate`` on Set5, Set14 (whole and
patches mode) and the embedded photos → ``srgan.analyze`` → a model card per task and the
study's result tables. Stages whose output exists are reused (rerun to resume).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import time
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from srgan import __version__  # noqa: E402
from srgan._files import atomic_write_text  # noqa: E402
from srgan.analyze import analyze  # noqa: E402
from srgan.data import PairDataset, prepare, read_manifest  # noqa: E402
from srgan.evaluate import evaluate  # noqa: E402
from srgan.metrics import format_value  # noqa: E402
from srgan.models import count_flops, count_parameters  # noqa: E402
from srgan.sources import embedded_sources  # noqa: E402
from srgan.study import pixel_recipe  # noqa: E402
from srgan.tasks import get_task  # noqa: E402
from srgan.train import TrainConfig, train  # noqa: E402
from srgan.weights import export_generator, load_generator  # noqa: E402

TASKS = ("sr", "sr_color", "sr_pixel", "sr_deblur")
PRETRAINED = ROOT / "srgan" / "pretrained"
DOCS = ROOT / "docs"


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    p.add_argument("--datasets", required=True, help="folder with T91, BSD200, Set5, Set14")
    p.add_argument("--work", default="/tmp/ship", help="caches and training runs")
    p.add_argument("--tasks", nargs="+", default=list(TASKS))
    p.add_argument("--model", default="compact")
    p.add_argument("--n-conv", type=int, default=8)
    p.add_argument("--channels", type=int, default=48)
    p.add_argument("--steps", type=int, default=4000)
    p.add_argument("--batch-size", type=int, default=16)
    p.add_argument("--lr", type=float, default=5e-4)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--docs-only", action="store_true", help="skip training; evaluate the shipped weights")
    args = p.parse_args(argv)
    torch.set_num_threads(args.threads)
    ds, work = Path(args.datasets), Path(args.work)
    train_dirs, val_dirs = [ds / "T91", ds / "BSD200"], [ds / "Set5", ds / "Set14"]
    for d in train_dirs + val_dirs:
        if not d.is_dir():
            p.error(f"missing data folder {d}")
    command = "python scripts/ship_weights.py " + " ".join(argv if argv is not None else sys.argv[1:])
    hardware = f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPU cores, torch {torch.__version__} " \
               f"(threads: {args.threads}), no GPU"
    summary: dict[str, dict] = {}
    for task_name in args.tasks:
        task = get_task(task_name)
        shipped = PRETRAINED / f"{task_name}.safetensors"
        if not args.docs_only:
            cache = work / "data" / task_name
            t0 = time.perf_counter()
            prepare(task, cache, images=train_dirs, val_images=val_dirs, mode="whole", seed=0, workers=2)
            t_prep = time.perf_counter() - t0
            manifest = read_manifest(cache)
            model_config = (("n_conv", args.n_conv), ("channels", args.channels)) if args.model == "compact" else ()
            cfg = TrainConfig(model=args.model, model_config=model_config, scale=task.scale, seed=0,
                              batch_size=args.batch_size, pretrain_steps=args.steps, gan_steps=0, lr=args.lr,
                              pixel_loss=pixel_recipe(task_name), val_every=max(args.steps // 8, 1),
                              ckpt_every=max(args.steps // 8, 1), log_every=50)
            run = work / "train" / task_name
            train_set, val_set = PairDataset(cache, "train", augment=True), PairDataset(cache, "val")
            t0 = time.perf_counter()
            if not (run / "model.safetensors").exists():
                train(cfg, train_set, val_set, run, resume=(run / "checkpoint.pt").exists(),
                      meta={"task": task_name, "camera_config_hash": manifest["config_hash"]})
            t_train = time.perf_counter() - t0
            net, meta = load_generator(run / "best.safetensors")
            meta.update({
                "task": task_name, "srgan_version": __version__,
                "data": {"train": f"T91 + BSD200 ({len(train_set)} whole-image pairs, 8 flips/rotations)",
                         "validation": f"Set5 + Set14 ({len(val_set)} whole-image pairs)",
                         "mode": "whole", "camera": manifest["task"].get("camera"),
                         "cache_config_hash": manifest["config_hash"]},
                "command": command, "hardware": hardware,
                "seconds": {"prepare": round(t_prep, 1), "train": round(t_train, 1)},
            })
            PRETRAINED.mkdir(parents=True, exist_ok=True)
            export_generator(shipped, net, meta)
        net, meta = load_generator(shipped)
        summary[task_name] = document(task_name, net, meta, val_dirs, work)
    atomic_write_text(DOCS / "study-results.md", results_page(summary))
    print(json.dumps({t: s["headline"] for t, s in summary.items()}, indent=1))
    return 0


def document(task_name: str, net, meta: dict, val_dirs: list[Path], work: Path) -> dict:
    """Evaluate + analyse one shipped model; write ``docs/models/<task>.md``; return the numbers."""
    task = get_task(task_name)
    out = work / "eval" / task_name
    embedded = [s.path for s in embedded_sources()]
    runs = {
        "Set5 + Set14, whole image (the study)": evaluate(net, task, val_dirs, mode="whole", model_name=task_name,
                                                          out_dir=out / "whole"),
        "Set5 + Set14, centre patch": evaluate(net, task, val_dirs, mode="patches", model_name=task_name,
                                               out_dir=out / "patches"),
        "embedded photos, whole image": evaluate(net, task, embedded, mode="whole", model_name=task_name,
                                                 out_dir=out / "embedded"),
    }
    figures = DOCS / "models" / "figures"
    figures.mkdir(parents=True, exist_ok=True)
    an = analyze(net, task, model_name=task_name, out_dir=out / "analyze")
    shutil.copyfile(out / "analyze" / f"analyze_{task_name}.png", figures / f"analyze_{task_name}.png")
    for f in (out / "whole").glob("*_Set5.png"):  # the card shows Set5's examples (Set14's stay in --work)
        shutil.copyfile(f, figures / f.name.replace("evaluate_", f"{task_name}_whole_"))
    fv = format_value
    rows = []
    for label, r in runs.items():
        b, m = r.mean_bicubic, r.mean_model
        rows.append(f"| {label} | {len(r.images)} | {fv(b.y_psnr)} → **{fv(m.y_psnr)}** ({m.y_psnr - b.y_psnr:+.2f}) | "
                    f"{fv(b.y_ssim, 4)} → {fv(m.y_ssim, 4)} | {fv(b.rgb_psnr)} → {fv(m.rgb_psnr)} | "
                    f"{fv(b.scielab)} → {fv(m.scielab)} ({(m.scielab / b.scielab - 1) * 100:+.0f} %) | "
                    f"{fv(b.delta_e2000)} → {fv(m.delta_e2000)} |")
    whole = runs["Set5 + Set14, whole image (the study)"]
    e = an.edge.mtf50
    cfg = meta.get("config", {})
    params = count_parameters(net)
    flops = count_flops(net, task.lr_size)
    tr = meta.get("training", {})
    data = meta.get("data", {})
    cam = task.camera()
    lr_text = ("antialiased bicubic downsampling of HR" if cam is None
               else f"{cam!r} output, centre-cropped and area-resized")
    card = f"""# Model card: `{task_name}`

{task.description[:1].upper() + task.description[1:]}. Load it with `srgan.weights.load_generator("{task_name}")` or
`srgan upscale --model {task_name} ...`; the weights ship inside the package
(`srgan/pretrained/{task_name}.safetensors`, {(PRETRAINED / f'{task_name}.safetensors').stat().st_size / 1e3:.0f} kB, with a JSON sidecar).

| | |
|---|---|
| architecture | `{meta['model']}` {json.dumps(cfg)} — {params:,} parameters, {flops / 1e6:.0f} MFLOPs per 32×32 input; output = bicubic(LR) + learned residual |
| task | ×{task.scale}, LR {task.lr_size}² → HR {task.hr_size}²; LR = {lr_text} |
| training data | {data.get('train')}; HR = original centre square, antialiased bicubic to {task.hr_size}² |
| validation data | {data.get('validation')} (best step chosen on its Y-PSNR) |
| training | {meta.get('training_steps')} steps, batch {tr.get('batch_size')}, Adam lr {tr.get('lr')} β {tr.get('betas')}, {tr.get('schedule')} schedule, loss {tr.get('pixel_loss')}, EMA {tr.get('ema_decay')}, no adversarial phase; best step {meta.get('best', {}).get('step')} |
| hardware, time | {meta.get('hardware')}; prepare {meta.get('seconds', {}).get('prepare')} s, train {meta.get('seconds', {}).get('train')} s |
| reproduce | `{meta.get('command')}` |
| camsim camera config hash | `{data.get('cache_config_hash')}` |

## Measured (bicubic of the same LR → this model)

Convention: {whole.convention}. Noise seed of each image from (seed 0, file name).

| images | n | Y-PSNR (dB) | Y-SSIM | RGB-PSNR (dB) | S-CIELAB ΔE | ΔE2000 |
|---|---:|---|---|---|---|---|
{chr(10).join(rows)}

Set5 + Set14 are the validation sets (used to pick the best step), not a held-out test set.
Centre-patch mode puts the image's native 128² centre through the camera at the patch's
share of the 10° field of view, so blur and pixels span min(rows, cols)/128 ≈ 2–6× more
*LR pixels* than in the whole-image mode the model was trained on: that row measures how
it generalises to a stronger degradation, not the study's setting.

## What it learned (charts through the camera and the model, `srgan analyze`)

| | camera (LR) | bicubic | SR | HR reference |
|---|---:|---:|---:|---:|
| slanted-edge MTF50 (cy/HR px) | {fv(e['camera'], 3)} | {fv(e['bicubic'], 3)} | {fv(e['sr'], 3)} | {fv(e['reference'], 3)} |
| ColorChecker mean ΔE2000 | {fv(an.color.mean['camera'])} | {fv(an.color.mean['bicubic'])} | {fv(an.color.mean['sr'])} | 0 |
| dead leaves: error power above LR Nyquist ÷ HR's | — | {fv(an.spectrum.high_error['bicubic'], 3)} | {fv(an.spectrum.high_error['sr'], 3)} | 0 |
| grey card (128/255 on white): noise std (8-bit codes) | {fv(255 * an.noise.std['camera'])} | {fv(255 * an.noise.std['bicubic'])} | {fv(255 * an.noise.std['sr'])} | 0 |
| grey card: mean level (8-bit codes) | {fv(255 * an.noise.mean['camera'])} | {fv(255 * an.noise.mean['bicubic'])} | {fv(255 * an.noise.mean['sr'])} | 128 |

![analysis](figures/analyze_{task_name}.png)

![Set5 / Set14 examples](figures/{task_name}_whole_{task_name}_Set5.png)

## Known limits
- Trained for minutes on 2 CPU cores with a light network: far from the literature's
  GPU-trained ×4 models; pixel-loss only, so textures are smooth rather than invented.
- One camera setting per model: other f-numbers, pixel sizes, exposures or fields of view
  are outside its training distribution (see the centre-patch row).
- Trained on 8-bit sRGB renderings of camsim's cameras from ISETCam's LCD-Apple display
  model of the photos; not on real camera files.
"""
    atomic_write_text(DOCS / "models" / f"{task_name}.md", card)
    b, m = whole.mean_bicubic, whole.mean_model
    return {"headline": {"y_psnr_gain": m.y_psnr - b.y_psnr, "scielab_change": m.scielab / b.scielab - 1,
                         "mtf50_gain_vs_camera": e["sr"] / e["camera"] - 1},
            "rows": rows, "analysis": an.to_markdown(), "convention": whole.convention}


def results_page(summary: dict[str, dict]) -> str:
    lines = ["# Study results (generated)", "",
             "Written by `python scripts/ship_weights.py --datasets ../shared/datasets` — do not edit by hand. "
             "The reading of these numbers is in `study.md`; each model's card is in `models/`.", ""]
    for task, s in summary.items():
        lines += [f"## {task}", "", f"Convention: {s['convention']}.", "",
                  "| images | n | Y-PSNR (dB) | Y-SSIM | RGB-PSNR (dB) | S-CIELAB ΔE | ΔE2000 |",
                  "|---|---:|---|---|---|---|---|", *s["rows"], "",
                  s["analysis"].replace("# What", "### What"), ""]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
