"""
Weights — export and load generators as ``safetensors`` + a JSON sidecar
=======================================================================

:func:`export_generator` writes ``NAME.safetensors`` (the generator's state dict, tensors
only) and ``NAME.json`` (model name and config, plus whatever the caller adds: task,
scale, camera config hash, training steps, data, metrics). :func:`load_generator`
rebuilds the model from the sidecar through :func:`srgan.models.build_generator` and
loads the tensors; nothing is ever unpickled. A bare name (``"sr_deblur"``) resolves to
``srgan/pretrained/<name>.safetensors`` inside the installed package.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import torch
from safetensors import SafetensorError
from safetensors.torch import load_file, save_file
from torch import nn

from ._io import atomic_path
from .models import GENERATORS, build_generator, config_dict

__all__ = ["export_generator", "load_generator", "sidecar_path", "pretrained_names", "weights_path", "PRETRAINED_DIR", "FORMAT"]

PRETRAINED_DIR = Path(__file__).parent / "pretrained"
FORMAT = "srgan-generator/1"


def sidecar_path(path: str | Path) -> Path:
    """The JSON sidecar of a ``.safetensors`` file: same name, ``.json`` suffix."""
    return Path(path).with_suffix(".json")


def pretrained_names() -> list[str]:
    """Names of the generators shipped in ``srgan/pretrained/``."""
    return sorted(p.stem for p in PRETRAINED_DIR.glob("*.safetensors"))


def _model_name(model: nn.Module) -> str:
    for name, entry in GENERATORS.items():
        if type(model) is entry.model:
            return name
    raise ValueError(f"`model` must be a registry generator ({', '.join(GENERATORS)}); got {type(model).__name__}")


def _jsonable(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    if isinstance(obj, (str, int, float, bool)) or obj is None:
        return obj
    if isinstance(obj, Path):
        return str(obj)
    if isinstance(obj, torch.Tensor) and obj.numel() == 1:
        return obj.item()
    raise ValueError(f"`meta` values must be JSON data; got {type(obj).__name__}")


def export_generator(path: str | Path, model: nn.Module, meta: dict[str, Any] | None = None) -> Path:
    """
    Write ``model``'s state dict to ``path`` (``.safetensors``) and its sidecar, both
    atomically. ``meta`` (JSON data) is merged into the sidecar; ``model``, ``config``,
    ``scale`` and ``format`` are set from the model. Returns the weights path.

    Raises
    ------
    ValueError
        If ``path`` does not end in ``.safetensors``, ``model`` is not a registry
        generator, or ``meta`` is not JSON data.
    """
    path = Path(path)
    if path.suffix != ".safetensors":
        raise ValueError(f"`path` must end in .safetensors; got {str(path)!r}")
    name = _model_name(model)
    cfg = config_dict(model)
    side = {**_jsonable(dict(meta or {})), "format": FORMAT, "model": name, "config": cfg, "scale": cfg["scale"]}
    state = {k: v.detach().to("cpu").contiguous().clone() for k, v in model.state_dict().items()}
    with atomic_path(path) as tmp:
        save_file(state, str(tmp), metadata={"format": FORMAT, "model": name})
    with atomic_path(sidecar_path(path)) as tmp:
        tmp.write_text(json.dumps(side, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path


def weights_path(path_or_name: str | Path) -> Path:
    """The ``.safetensors`` file of a path, or of a shipped model's bare name
    (``"sr_deblur"`` → ``srgan/pretrained/sr_deblur.safetensors``); ValueError listing
    the shipped names if a bare name is not one of them."""
    p = Path(path_or_name)
    if p.suffix == ".safetensors" or p.exists() or len(p.parts) > 1:
        return p
    candidate = PRETRAINED_DIR / f"{p.name}.safetensors"
    if not candidate.is_file():
        names = pretrained_names()
        raise ValueError(
            f"no shipped model named {str(path_or_name)!r}; available: {', '.join(names) if names else '(none shipped yet)'}"
        )
    return candidate


def load_generator(path_or_name: str | Path, *, scale: int | None = None, model: str | None = None,
                   task: str | None = None, device: str | torch.device = "cpu") -> tuple[nn.Module, dict[str, Any]]:
    """
    Load an exported generator: ``(model in eval mode, sidecar dict)``.

    ``path_or_name`` is a ``.safetensors`` file (its ``.json`` sidecar beside it) or the
    name of a shipped model. ``scale``, ``model`` and ``task``, when given, must match
    the sidecar.

    Raises
    ------
    ValueError
        Unknown name (listing the shipped ones), missing or corrupt file or sidecar,
        a sidecar naming an unknown model, tensors that do not fit the model, or a
        scale/model/task other than requested.
    """
    path = weights_path(path_or_name)
    if not path.is_file():
        raise ValueError(f"weights file {str(path)!r} not found")
    side_p = sidecar_path(path)
    try:
        meta = json.loads(side_p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ValueError(f"sidecar {str(side_p)!r} of {str(path)!r} not found") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ValueError(f"sidecar {str(side_p)!r} is not valid JSON ({exc})") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT or not isinstance(meta.get("config"), dict):
        raise ValueError(f"sidecar {str(side_p)!r} is not an srgan generator sidecar ({FORMAT})")
    for key, want in (("scale", scale), ("model", model), ("task", task)):
        if want is not None and meta.get(key) != want:
            raise ValueError(f"{str(path)!r} is a {key} {meta.get(key)!r} model; {want!r} was asked for")
    cfg = dict(meta["config"])
    net = build_generator(meta["model"], cfg.pop("scale", meta.get("scale", 4)), **cfg)
    try:
        state = load_file(str(path))
    except (SafetensorError, OSError, ValueError) as exc:
        raise ValueError(f"cannot read weights {str(path)!r}: {exc}") from None
    try:
        net.load_state_dict(state, strict=True)
    except RuntimeError as exc:
        first = str(exc).strip().splitlines()
        raise ValueError(f"weights {str(path)!r} do not fit model {meta['model']!r}: {first[1].strip() if len(first) > 1 else first[0]}") from None
    return net.to(device).eval(), meta
