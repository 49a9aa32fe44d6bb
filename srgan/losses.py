"""
Losses — pixel, frequency, structural, perceptual, colour and adversarial
========================================================================

Every loss takes a prediction and a target ``(N, C, H, W)`` in [0, 1] (sRGB-encoded,
unclamped prediction) and returns a scalar tensor; all run offline (no download ever).

- pixel: :func:`l1`, :func:`charbonnier`, :func:`mse`;
- frequency: :func:`fft_l1`, L1 between ``torch.fft.rfft2`` amplitudes;
- structural: :func:`ssim` / :func:`ms_ssim` (the loss is ``1 − SSIM``), with the
  conventions of ``skimage.metrics.structural_similarity(gaussian_weights=True,
  sigma=1.5, use_sample_covariance=False, data_range=1)``;
- perceptual: :class:`VGGPerceptual`, MSE between VGG19 feature maps, weights from a
  local file in torchvision's ``features.*`` layout or fixed seeded random weights;
- colour: :func:`srgb_to_lab` (differentiable sRGB → XYZ (D65) → CIELAB) and
  :func:`delta_e76` (CIE76 ΔE*ab, the Euclidean distance in Lab);
- adversarial: :func:`adversarial_g` / :func:`adversarial_d`, BCE on logits (SRGAN) or
  relativistic average BCE (ESRGAN).

:class:`LossRecipe` names the weighted terms (e.g. ``"l1=1,fft=0.05"``) and
:class:`CompositeLoss` evaluates them.

References
----------
- Ledig, C. et al. "Photo-Realistic Single Image Super-Resolution Using a Generative
  Adversarial Network", *CVPR* (2017): VGG54 content loss, adversarial weight 1e-3.
- Wang, Z., Bovik, A. C., Sheikh, H. R., Simoncelli, E. P. "Image quality assessment:
  from error visibility to structural similarity", *IEEE TIP* 13(4), 2004 (SSIM).
- Wang, Z., Simoncelli, E. P., Bovik, A. C. "Multiscale structural similarity for image
  quality assessment", *Asilomar* (2003) (MS-SSIM, scale weights).
- Charbonnier, P. et al. "Two deterministic half-quadratic regularization algorithms for
  computed imaging", *ICIP* (1994); Lai, W.-S. et al. LapSRN, *CVPR* (2017).
- Jiang, L., Dai, B., Wu, W., Loy, C. C. "Focal Frequency Loss for Image Reconstruction
  and Synthesis", *ICCV* (2021) (losses on Fourier spectra).
- Simonyan, K., Zisserman, A. "Very Deep Convolutional Networks for Large-Scale Image
  Recognition", *ICLR* (2015) (VGG19).
- Liu, H. et al. "Generic Perceptual Loss for Modeling Structured Output Dependencies",
  *CVPR* (2021): randomly initialised VGG features work as a perceptual loss.
- Wang, X. et al. "ESRGAN: Enhanced Super-Resolution Generative Adversarial Networks",
  *ECCVW* (2018): relativistic average discriminator (Jolicoeur-Martineau, 2018).
- IEC 61966-2-1:1999 (sRGB); CIE 15:2004 (CIELAB, ΔE*ab 1976).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import torch
import torch.nn.functional as F
from torch import nn

__all__ = [
    "l1", "charbonnier", "mse", "fft_l1", "ssim", "ms_ssim", "srgb_to_lab", "delta_e76",
    "vgg19_features", "VGG_LAYERS", "VGGPerceptual", "load_vgg19_features",
    "adversarial_g", "adversarial_d", "ADVERSARIAL", "LOSSES", "LossRecipe", "CompositeLoss",
]

VGG_HINT = (
    "download torchvision's VGG19 ImageNet weights on a networked machine (e.g. "
    "torchvision.models.vgg19(weights='IMAGENET1K_V1').state_dict(), saved with torch.save "
    "or safetensors) and pass --vgg-weights PATH; without a file a fixed seeded random VGG19 is used"
)


def _check_pair(pred: torch.Tensor, target: torch.Tensor) -> None:
    if pred.shape != target.shape or pred.ndim != 4:
        raise ValueError(f"pred and target must be (N, C, H, W) of one shape; got {tuple(pred.shape)}, {tuple(target.shape)}")


# --------------------------------------------------------------------------- pixel


def l1(pred: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Mean absolute error."""
    _check_pair(pred, target)
    return F.l1_loss(pred, target)


def mse(pred: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Mean squared error."""
    _check_pair(pred, target)
    return F.mse_loss(pred, target)


def charbonnier(pred: torch.Tensor, target: torch.Tensor, eps: float = 1e-3) -> torch.Tensor:
    """Mean of ``sqrt((pred − target)² + eps²)``, a differentiable L1 (Charbonnier 1994)."""
    _check_pair(pred, target)
    if not eps > 0:
        raise ValueError(f"`eps` must be > 0; got {eps!r}")
    return torch.sqrt((pred - target) ** 2 + eps * eps).mean()


def fft_l1(pred: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Mean absolute difference of the amplitudes ``|rfft2(·)|`` (orthonormal FFT, per channel)."""
    _check_pair(pred, target)
    a = torch.fft.rfft2(pred.float(), norm="ortho").abs()
    b = torch.fft.rfft2(target.float(), norm="ortho").abs()
    return F.l1_loss(a, b)


# --------------------------------------------------------------------------- SSIM

_SSIM_SIGMA = 1.5
_SSIM_TRUNCATE = 3.5  # scipy.ndimage.gaussian_filter's truncate as skimage calls it → radius 5, 11 taps
_MS_WEIGHTS = (0.0448, 0.2856, 0.3001, 0.2363, 0.1333)  # Wang et al. 2003


def _gauss_window(channels: int, device, dtype) -> torch.Tensor:
    radius = int(_SSIM_TRUNCATE * _SSIM_SIGMA + 0.5)
    x = torch.arange(-radius, radius + 1, device=device, dtype=torch.float64)
    g = torch.exp(-(x**2) / (2 * _SSIM_SIGMA**2))
    g = (g / g.sum()).to(dtype)
    return g.view(1, 1, 1, -1).expand(channels, 1, 1, -1).contiguous()


def _blur(x: torch.Tensor, g: torch.Tensor) -> torch.Tensor:
    c = x.shape[1]
    x = F.conv2d(x, g, groups=c)  # valid: only windows fully inside the image
    return F.conv2d(x, g.transpose(-1, -2), groups=c)


def _ssim_maps(x: torch.Tensor, y: torch.Tensor, data_range: float) -> tuple[torch.Tensor, torch.Tensor]:
    g = _gauss_window(x.shape[1], x.device, x.dtype)
    if min(x.shape[-2:]) < g.shape[-1]:
        raise ValueError(f"SSIM needs images of at least {g.shape[-1]}×{g.shape[-1]}; got {tuple(x.shape[-2:])}")
    c1, c2 = (0.01 * data_range) ** 2, (0.03 * data_range) ** 2
    mx, my = _blur(x, g), _blur(y, g)
    vx = _blur(x * x, g) - mx * mx  # population (co)variances: use_sample_covariance=False
    vy = _blur(y * y, g) - my * my
    cxy = _blur(x * y, g) - mx * my
    luminance = (2 * mx * my + c1) / (mx * mx + my * my + c1)
    cs = (2 * cxy + c2) / (vx + vy + c2)
    return luminance, cs


def ssim(x: torch.Tensor, y: torch.Tensor, data_range: float = 1.0, reduction: str = "mean") -> torch.Tensor:
    """
    Structural similarity (Wang et al. 2004) with a Gaussian window (σ = 1.5, 11 taps),
    K1 = 0.01, K2 = 0.03, population covariances, averaged over the positions whose window
    lies fully inside the image and over channels — the value of
    ``skimage.metrics.structural_similarity(..., gaussian_weights=True, sigma=1.5,
    use_sample_covariance=False, data_range=data_range, channel_axis=...)``.

    ``reduction="mean"`` returns a scalar; ``"none"`` one value per image ``(N,)``.
    """
    _check_pair(x, y)
    if not data_range > 0:
        raise ValueError(f"`data_range` must be > 0; got {data_range!r}")
    if reduction not in ("mean", "none"):
        raise ValueError(f"`reduction` must be 'mean' or 'none'; got {reduction!r}")
    lum, cs = _ssim_maps(x.float(), y.float(), data_range)
    per_image = (lum * cs).mean(dim=(1, 2, 3))
    return per_image.mean() if reduction == "mean" else per_image


def ms_ssim(x: torch.Tensor, y: torch.Tensor, data_range: float = 1.0, levels: int | None = None) -> torch.Tensor:
    """
    Multi-scale SSIM (Wang et al. 2003): ``Π_j cs_j^{w_j}`` over scales 1…M−1 times
    ``(l_M·cs_M)^{w_M}`` at the coarsest, 2×2 average pooling between scales. ``levels``
    defaults to the most scales (≤ 5) whose side stays ≥ 11 px; the first ``levels`` of
    the paper's weights are renormalised to sum 1. Negative ``cs`` are clamped to 0
    before the power (a common convention for training).
    """
    _check_pair(x, y)
    side = min(x.shape[-2:])
    max_levels = 1 + int(math.floor(math.log2(side / 11))) if side >= 11 else 0
    levels = min(5, max_levels) if levels is None else levels
    if not isinstance(levels, int) or not 1 <= levels <= min(5, max_levels):
        raise ValueError(f"`levels` must be an int in [1, {min(5, max_levels)}] for {side}px images; got {levels!r}")
    w = torch.tensor(_MS_WEIGHTS[:levels], dtype=torch.float32, device=x.device)
    w = w / w.sum()
    x, y = x.float(), y.float()
    out = torch.ones(x.shape[0], device=x.device)
    for j in range(levels):
        lum, cs = _ssim_maps(x, y, data_range)
        term = cs.mean(dim=(1, 2, 3)) if j < levels - 1 else (lum * cs).mean(dim=(1, 2, 3))
        out = out * term.clamp_min(1e-8) ** w[j]
        if j < levels - 1:
            x, y = F.avg_pool2d(x, 2), F.avg_pool2d(y, 2)
    return out.mean()


# --------------------------------------------------------------------------- colour


def _xy_to_xyz(x: float, y: float) -> list[float]:
    return [x / y, 1.0, (1.0 - x - y) / y]


# Linear sRGB → XYZ as published in IEC 61966-2-1 (4 decimals; colour-science uses the same
# rounded matrix, while the one derived from the primaries differs by up to 4e-5).
_M_SRGB = torch.tensor([[0.4124, 0.3576, 0.1805],
                        [0.2126, 0.7152, 0.0722],
                        [0.0193, 0.1192, 0.9505]], dtype=torch.float64)
_WHITE_D65 = torch.tensor(_xy_to_xyz(0.3127, 0.3290), dtype=torch.float64)
_EPS_LAB = 216.0 / 24389.0  # (6/29)³
_KAPPA_LAB = 24389.0 / 27.0


def srgb_to_lab(rgb: torch.Tensor) -> torch.Tensor:
    """
    CIELAB (D65 white) of sRGB-encoded ``(N, 3, H, W)`` values, differentiable everywhere:
    IEC 61966-2-1 decoding (linear segment below 0.04045, extended to negative values),
    IEC 61966-2-1's published sRGB → XYZ matrix, then CIE 15's Lab with the exact
    ε = 216/24389, κ = 24389/27 constants. Matches ``colour.XYZ_to_Lab(colour.sRGB_to_XYZ(rgb))``.
    """
    if rgb.ndim != 4 or rgb.shape[1] != 3:
        raise ValueError(f"`rgb` must be (N, 3, H, W); got {tuple(rgb.shape)}")
    lin = torch.where(rgb <= 0.04045, rgb / 12.92, ((rgb.clamp_min(0.04045) + 0.055) / 1.055) ** 2.4)
    m = _M_SRGB.to(rgb.device, rgb.dtype)
    xyz = torch.einsum("ij,njhw->nihw", m, lin) / _WHITE_D65.to(rgb.device, rgb.dtype).view(1, 3, 1, 1)
    f = torch.where(xyz > _EPS_LAB, xyz.clamp_min(_EPS_LAB) ** (1.0 / 3.0), (_KAPPA_LAB * xyz + 16.0) / 116.0)
    L = 116.0 * f[:, 1] - 16.0
    a = 500.0 * (f[:, 0] - f[:, 1])
    b = 200.0 * (f[:, 1] - f[:, 2])
    return torch.stack([L, a, b], dim=1)


def delta_e76(pred: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Mean CIE76 colour difference ΔE*ab = ‖Lab(pred) − Lab(target)‖₂ (with a 1e-8 floor under the root)."""
    _check_pair(pred, target)
    d = srgb_to_lab(pred.float()) - srgb_to_lab(target.float())
    return torch.sqrt((d * d).sum(dim=1) + 1e-8).mean()


# --------------------------------------------------------------------------- perceptual

# torchvision's VGG19 ("E") feature stack: numbers are conv widths, "M" a 2×2 max pool.
_VGG19_CFG = (64, 64, "M", 128, 128, "M", 256, 256, 256, 256, "M",
              512, 512, 512, 512, "M", 512, 512, 512, 512, "M")


def _vgg_layer_indices() -> dict[str, int]:
    """Layer name → index (in ``features``) of the ReLU after that convolution."""
    names, block, conv, i = {}, 1, 1, 0
    for v in _VGG19_CFG:
        if v == "M":
            block, conv, i = block + 1, 1, i + 1
        else:
            names[f"conv{block}_{conv}"] = i + 1
            conv, i = conv + 1, i + 2
    return names


VGG_LAYERS: dict[str, int] = {**_vgg_layer_indices()}
VGG_LAYERS["block3_conv3"] = VGG_LAYERS["conv3_3"]  # the study's Keras name (activation included)
"""Feature layer name → index of its ReLU in ``features`` (features are taken after the activation)."""


def vgg19_features(upto: int | None = None) -> nn.Sequential:
    """
    VGG19's convolutional stack with torchvision's module indices (``features.0`` is conv1_1,
    ``features.34`` conv5_4, …), so a torchvision ``vgg19().features`` state dict loads;
    truncated after index ``upto`` if given. Weights uninitialised (PyTorch default init).
    """
    layers: list[nn.Module] = []
    cin = 3
    for v in _VGG19_CFG:
        if v == "M":
            layers.append(nn.MaxPool2d(2, 2))
        else:
            layers += [nn.Conv2d(cin, v, 3, padding=1), nn.ReLU(inplace=True)]
            cin = v
    if upto is not None:
        layers = layers[: upto + 1]
    return nn.Sequential(*layers)


def load_vgg19_features(path: str | Path, upto: int) -> nn.Sequential:
    """
    The VGG19 stack up to index ``upto`` with weights from a local file: a ``.pth`` /
    ``.pt`` (read with ``torch.load(weights_only=True)``) or ``.safetensors`` state dict in
    torchvision's layout (keys ``features.N.weight``/``.bias``, or ``N.weight`` for a bare
    ``features`` dict; ``classifier.*`` keys are ignored).

    Raises
    ------
    ValueError
        Missing file (with how to get one), unreadable file, or wrong layout.
    """
    p = Path(path)
    if not p.is_file():
        raise ValueError(f"VGG weights file {str(p)!r} not found; {VGG_HINT}")
    try:
        if p.suffix == ".safetensors":
            from safetensors.torch import load_file

            state = load_file(str(p))
        else:
            state = torch.load(str(p), map_location="cpu", weights_only=True)
    except Exception as exc:  # corrupt file, pickled objects, not a tensor file
        raise ValueError(f"cannot read VGG weights {str(p)!r} ({type(exc).__name__}); {VGG_HINT}") from None
    if not isinstance(state, dict):
        raise ValueError(f"VGG weights {str(p)!r} is not a state dict; {VGG_HINT}")
    feats = {k.removeprefix("features."): v for k, v in state.items() if not k.startswith("classifier.")}
    net = vgg19_features(upto)
    want = net.state_dict()
    wrong = [k for k, v in want.items() if k not in feats or tuple(feats[k].shape) != tuple(v.shape)]
    if wrong:
        raise ValueError(
            f"VGG weights {str(p)!r} do not have torchvision's VGG19 features layout "
            f"(missing or mis-shaped: {', '.join(wrong[:4])}{'…' if len(wrong) > 4 else ''}); {VGG_HINT}"
        )
    net.load_state_dict({k: feats[k].float() for k in want})
    return net


class VGGPerceptual(nn.Module):
    """
    Perceptual loss: MSE between VGG19 features (after the ReLU of ``layer``) of the
    prediction and the target, inputs normalised with ImageNet mean/std. ``layer`` is
    ``"conv5_4"`` (SRGAN's VGG54) or ``"block3_conv3"`` (= ``conv3_3``, the study's).

    With ``weights`` a local file is loaded (:func:`load_vgg19_features`); with ``None``
    the network gets fixed random weights (Kaiming-normal, zero bias) from a private
    ``torch.Generator`` seeded with ``seed`` — the "generic perceptual loss" of Liu et al.
    2021 — and :attr:`source` says so. Parameters are frozen; features are divided by
    ``feature_scale`` (SRGAN's 1/12.75 rescaling is ``feature_scale=12.75``).
    """

    def __init__(self, layer: str = "conv5_4", weights: str | Path | None = None, seed: int = 0,
                 feature_scale: float = 1.0) -> None:
        super().__init__()
        if layer not in VGG_LAYERS:
            raise ValueError(f"`layer` must be one of {sorted(VGG_LAYERS)}; got {layer!r}")
        if not feature_scale > 0:
            raise ValueError(f"`feature_scale` must be > 0; got {feature_scale!r}")
        upto = VGG_LAYERS[layer]
        if weights is not None:
            self.features = load_vgg19_features(weights, upto)
            self.source = f"VGG19 {layer} from {weights}"
        else:
            self.features = vgg19_features(upto)
            gen = torch.Generator().manual_seed(int(seed))
            for m in self.features:
                if isinstance(m, nn.Conv2d):
                    fan_in = m.in_channels * m.kernel_size[0] * m.kernel_size[1]
                    with torch.no_grad():
                        m.weight.copy_(torch.randn(m.weight.shape, generator=gen) * math.sqrt(2.0 / fan_in))
                        m.bias.zero_()
            self.source = f"random VGG19 {layer} (seed {seed}; Liu et al. 2021) — no --vgg-weights given"
        self.features.requires_grad_(False).eval()
        self.feature_scale = float(feature_scale)
        self.register_buffer("mean", torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1), persistent=False)
        self.register_buffer("std", torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1), persistent=False)

    def train(self, mode: bool = True):  # the feature network stays in eval mode
        super().train(mode)
        self.features.eval()
        return self

    def forward(self, pred: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        _check_pair(pred, target)
        fp = self.features((pred - self.mean) / self.std) / self.feature_scale
        with torch.no_grad():
            ft = self.features((target - self.mean) / self.std) / self.feature_scale
        return F.mse_loss(fp.float(), ft.float())


# --------------------------------------------------------------------------- adversarial

ADVERSARIAL = ("bce", "ragan")
"""Adversarial losses: SRGAN's BCE on logits, ESRGAN's relativistic average BCE."""


def _check_adv(kind: str) -> None:
    if kind not in ADVERSARIAL:
        raise ValueError(f"adversarial loss must be one of {ADVERSARIAL}; got {kind!r}")


def adversarial_g(fake_logits: torch.Tensor, real_logits: torch.Tensor | None, kind: str = "bce") -> torch.Tensor:
    """
    Generator's adversarial loss. ``bce``: ``−log D(G(x))`` (the non-saturating form of
    Ledig et al.); ``ragan``: ``½[BCE(C(r) − E C(f), 0) + BCE(C(f) − E C(r), 1)]`` (ESRGAN).
    """
    _check_adv(kind)
    fake_logits = fake_logits.float()
    if kind == "bce":
        return F.binary_cross_entropy_with_logits(fake_logits, torch.ones_like(fake_logits))
    if real_logits is None:
        raise ValueError("`real_logits` are needed for the relativistic loss")
    real_logits = real_logits.float().detach()
    return 0.5 * (
        F.binary_cross_entropy_with_logits(real_logits - fake_logits.mean(), torch.zeros_like(real_logits))
        + F.binary_cross_entropy_with_logits(fake_logits - real_logits.mean(), torch.ones_like(fake_logits))
    )


def adversarial_d(real_logits: torch.Tensor, fake_logits: torch.Tensor, kind: str = "bce") -> torch.Tensor:
    """Discriminator's loss: BCE(real → 1, fake → 0), or its relativistic average form."""
    _check_adv(kind)
    real_logits, fake_logits = real_logits.float(), fake_logits.float()
    if kind == "bce":
        return 0.5 * (
            F.binary_cross_entropy_with_logits(real_logits, torch.ones_like(real_logits))
            + F.binary_cross_entropy_with_logits(fake_logits, torch.zeros_like(fake_logits))
        )
    return 0.5 * (
        F.binary_cross_entropy_with_logits(real_logits - fake_logits.mean(), torch.ones_like(real_logits))
        + F.binary_cross_entropy_with_logits(fake_logits - real_logits.mean(), torch.zeros_like(fake_logits))
    )


# --------------------------------------------------------------------------- recipes

LOSSES: dict[str, str] = {
    "l1": "mean absolute error",
    "charbonnier": "Charbonnier (eps 1e-3)",
    "mse": "mean squared error",
    "fft": "L1 of rfft2 amplitudes",
    "ssim": "1 − SSIM (Gaussian σ 1.5)",
    "msssim": "1 − MS-SSIM",
    "vgg": "MSE of VGG19 features (layer per recipe)",
    "deltae": "CIE76 ΔE*ab in CIELAB (D65), divided by 100",
}
"""Content-loss names usable in a :class:`LossRecipe`."""


@dataclass(frozen=True)
class LossRecipe:
    """
    Weighted content-loss terms, e.g. ``LossRecipe((("l1", 1.0), ("fft", 0.05)))`` or
    ``LossRecipe.parse("l1=1,fft=0.05")``. ``vgg_layer``/``vgg_weights`` configure the
    ``vgg`` term. ΔE enters divided by 100 so that its scale is that of the pixel losses.

    Raises
    ------
    ValueError
        Unknown loss name, duplicate name, or a weight that is not a finite number ≥ 0.
    """

    terms: tuple[tuple[str, float], ...] = (("l1", 1.0),)
    vgg_layer: str = "conv5_4"
    vgg_weights: str | None = None

    def __post_init__(self) -> None:
        if not self.terms:
            raise ValueError("LossRecipe.terms must name at least one loss")
        seen = set()
        for name, weight in self.terms:
            if name not in LOSSES:
                raise ValueError(f"unknown loss {name!r}; available: {', '.join(LOSSES)}")
            if name in seen:
                raise ValueError(f"LossRecipe.terms names {name!r} twice")
            seen.add(name)
            if isinstance(weight, bool) or not isinstance(weight, (int, float)) or not (math.isfinite(weight) and weight >= 0):
                raise ValueError(f"LossRecipe weight of {name!r} must be a finite number >= 0; got {weight!r}")
        if self.vgg_layer not in VGG_LAYERS:
            raise ValueError(f"LossRecipe.vgg_layer must be one of {sorted(VGG_LAYERS)}; got {self.vgg_layer!r}")

    @classmethod
    def parse(cls, text: str, **kwargs) -> "LossRecipe":
        """``"l1=1,fft=0.05"`` (a bare name means weight 1) → recipe."""
        terms = []
        for part in (p.strip() for p in str(text).split(",")):
            if not part:
                continue
            name, _, w = part.partition("=")
            try:
                terms.append((name.strip(), float(w) if w else 1.0))
            except ValueError:
                raise ValueError(f"loss weight of {name.strip()!r} must be a number; got {w!r}") from None
        return cls(tuple(terms), **kwargs)

    def __str__(self) -> str:
        return " + ".join(f"{w:g}·{n}" for n, w in self.terms)


class CompositeLoss(nn.Module):
    """Weighted sum of a :class:`LossRecipe`'s terms; ``forward`` returns ``(total, {name: detached value})``."""

    def __init__(self, recipe: LossRecipe, seed: int = 0) -> None:
        super().__init__()
        if not isinstance(recipe, LossRecipe):
            raise ValueError(f"`recipe` must be a LossRecipe; got {type(recipe).__name__}")
        self.recipe = recipe
        self.vgg = (VGGPerceptual(recipe.vgg_layer, recipe.vgg_weights, seed=seed)
                    if any(n == "vgg" for n, _ in recipe.terms) else None)
        fns: dict[str, Callable[[torch.Tensor, torch.Tensor], torch.Tensor]] = {
            "l1": l1, "charbonnier": charbonnier, "mse": mse, "fft": fft_l1,
            "ssim": lambda p, t: 1.0 - ssim(p, t), "msssim": lambda p, t: 1.0 - ms_ssim(p, t),
            "deltae": lambda p, t: delta_e76(p, t) / 100.0,
        }
        self._fns = fns

    def forward(self, pred: torch.Tensor, target: torch.Tensor) -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
        total = pred.new_zeros((), dtype=torch.float32)
        parts: dict[str, torch.Tensor] = {}
        for name, weight in self.recipe.terms:
            value = self.vgg(pred, target) if name == "vgg" else self._fns[name](pred.float(), target.float())
            parts[name] = value.detach()
            if weight:
                total = total + weight * value
        return total, parts
