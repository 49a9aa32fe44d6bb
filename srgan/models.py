"""
Models — SRResNet generator and SRGAN discriminator
===================================================

Defines the generator :class:`SRResNet` (configured by :class:`SRResNetConfig`), the
SRGAN :class:`Discriminator` (configured by :class:`DiscriminatorConfig`), the original
study's variant :class:`SeedGenerator` + :class:`PatchDiscriminator`, the light
:class:`CompactGenerator` (a residual over :func:`srgan.resample.bicubic`), one registry
by name (:data:`GENERATORS`, :data:`DISCRIMINATORS`, :func:`build_generator`,
:func:`build_discriminator`), :func:`count_parameters` and :func:`count_flops`.

Conventions
-----------
- Images are ``NCHW`` float tensors with values in [0, 1] (sRGB, as rendered by
  :mod:`camsim.isp`): the generator maps ``(N, C, H, W)`` to ``(N, C, s·H, s·W)`` for
  scale ``s``. Its output is **not clamped** inside the module, so the pixel loss sees
  (and can correct) values outside [0, 1]; clamp with ``sr.clamp(0, 1)`` before
  saving, displaying or scoring an image.
- The modules are plain ``nn.Module`` stacks of convolutions, batch norm, (leaky) PReLU,
  pixel shuffle and adaptive average pooling. They run unchanged in eager mode or under
  ``torch.compile``, with ``channels_last`` or contiguous tensors, and under
  ``torch.autocast`` (bf16 or fp16): no op here is on autocast's fp32-only or
  unsupported lists, and batch norm keeps its statistics in fp32 by itself.

References
----------
- [Ledig2017] Ledig, C., Theis, L., Huszár, F., Caballero, J., Cunningham, A., Acosta, A.,
  Aitken, A., Tejani, A., Totz, J., Wang, Z., Shi, W. "Photo-Realistic Single Image
  Super-Resolution Using a Generative Adversarial Network", *CVPR* (2017), Fig. 4:
  SRResNet generator (B = 16 residual blocks, 64 channels, 9×9 / 3×3 kernels) and the
  discriminator (eight 3×3 convolutions, 64→512 channels, dense 1024, dense 1).
- [Wang2021] Wang, X., Xie, L., Dong, C., Shan, Y. "Real-ESRGAN: Training Real-World
  Blind Super-Resolution with Pure Synthetic Data", *ICCVW* (2021): SRVGGNetCompact, a
  plain conv + PReLU stack at LR resolution ending in one pixel shuffle, plus the
  upsampled input.
- [Isola2017] Isola, P., Zhu, J.-Y., Zhou, T., Efros, A. A. "Image-to-Image Translation
  with Conditional Adversarial Networks", *CVPR* (2017): the PatchGAN discriminator
  (4×4 stride-2 convolutions, one logit per receptive-field patch).
- [Odena2016] Odena, A., Dumoulin, V., Olah, C. "Deconvolution and Checkerboard
  Artifacts", *Distill* (2016): nearest-neighbour resize + convolution upsampling.
- [Shi2016] Shi, W., Caballero, J., Huszár, F., Totz, J., Aitken, A. P., Bishop, R.,
  Rueckert, D., Wang, Z. "Real-Time Single Image and Video Super-Resolution Using an
  Efficient Sub-Pixel Convolutional Neural Network", *CVPR* (2016): the sub-pixel
  convolution, ``nn.PixelShuffle``.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, fields
from typing import Any, Callable

import torch
from torch import nn

from .resample import bicubic

__all__ = [
    "SRResNetConfig",
    "SRResNet",
    "ResidualBlock",
    "DiscriminatorConfig",
    "Discriminator",
    "count_parameters",
    "count_flops",
    "SeedConfig",
    "SeedGenerator",
    "PatchDiscriminatorConfig",
    "PatchDiscriminator",
    "CompactConfig",
    "CompactGenerator",
    "GENERATORS",
    "DISCRIMINATORS",
    "build_generator",
    "build_discriminator",
    "generator_config",
    "config_dict",
]

_SCALES = (2, 4, 8)  # supported upscaling factors: one ×2 sub-pixel stage per factor of 2


def _check_positive_int(owner: str, name: str, value: object) -> None:
    # bool is an int subclass; True as a channel count is a bug, not a 1.
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(f"{owner}.{name} must be a positive int; got {value!r}")


def _check_odd_kernel(owner: str, name: str, value: object) -> None:
    _check_positive_int(owner, name, value)
    if value % 2 == 0:  # type: ignore[operator]
        raise ValueError(
            f"{owner}.{name} must be odd so that padding k // 2 keeps the image size; "
            f"got {value!r}"
        )


@dataclass(frozen=True)
class SRResNetConfig:
    """
    Parameters of :class:`SRResNet`; the defaults are the network of [Ledig2017].

    Raises
    ------
    ValueError
        If a field is not a positive int, a kernel size is even, or ``scale`` is not
        one of 2, 4, 8. The message names the field.
    """

    in_channels: int = 3  # image channels in and out (RGB)
    channels: int = 64  # feature channels of the trunk
    n_blocks: int = 16  # residual blocks B
    scale: int = 4  # upscaling factor; log2(scale) ×2 sub-pixel stages
    large_kernel: int = 9  # first and last convolution, k×k
    small_kernel: int = 3  # every other convolution, k×k

    def __post_init__(self) -> None:
        for name in ("in_channels", "channels", "n_blocks"):
            _check_positive_int("SRResNetConfig", name, getattr(self, name))
        for name in ("large_kernel", "small_kernel"):
            _check_odd_kernel("SRResNetConfig", name, getattr(self, name))
        if isinstance(self.scale, bool) or self.scale not in _SCALES:
            raise ValueError(
                f"SRResNetConfig.scale must be a power of 2 in {_SCALES}; got {self.scale!r}"
            )

    @property
    def n_upsample(self) -> int:
        """Number of ×2 sub-pixel upsampling stages, ``log2(scale)``."""
        return int(math.log2(self.scale))


class ResidualBlock(nn.Module):
    """
    conv-BN-PReLU-conv-BN with an identity skip ([Ledig2017], Fig. 4).

    Maps ``(N, c, H, W)`` to ``(N, c, H, W)``; values are unbounded features.
    """

    def __init__(self, channels: int, kernel_size: int = 3) -> None:
        super().__init__()
        pad = kernel_size // 2
        self.body = nn.Sequential(
            nn.Conv2d(channels, channels, kernel_size, padding=pad),
            nn.BatchNorm2d(channels),
            nn.PReLU(),
            nn.Conv2d(channels, channels, kernel_size, padding=pad),
            nn.BatchNorm2d(channels),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.body(x)


class SRResNet(nn.Module):
    """
    SRResNet generator of [Ledig2017] with sub-pixel upsampling [Shi2016].

    Layout, for ``c = config.channels``, ``k = config.large_kernel``,
    ``q = config.small_kernel``:

    1. ``head``: conv k×k (in_channels → c) + PReLU;
    2. ``blocks``: ``n_blocks`` × :class:`ResidualBlock` (conv q×q - BN - PReLU -
       conv q×q - BN, plus identity skip);
    3. ``trunk_tail``: conv q×q + BN, then the global skip adds the ``head`` output;
    4. ``upsample``: ``log2(scale)`` × (conv q×q (c → 4c) → PixelShuffle(2) → PReLU);
    5. ``tail``: conv k×k (c → in_channels).

    Every convolution has a bias (as in the reference implementations), PReLU has one
    shared slope per layer (``nn.PReLU()``), and padding is ``k // 2`` so the only
    change of size is the ×2 of each pixel shuffle.

    Parameters
    ----------
    config
        Network shape; ``None`` means ``SRResNetConfig()`` (the paper's network,
        1 549 462 parameters at scale 4).

    Notes
    -----
    ``forward`` takes a low-resolution image batch ``(N, in_channels, H, W)`` with values
    in [0, 1] and returns ``(N, in_channels, scale·H, scale·W)`` in the same nominal range.
    The output is **not clamped**; clamp before saving or scoring.

    Examples
    --------
    >>> net = SRResNet(SRResNetConfig(channels=16, n_blocks=2))
    >>> net(torch.rand(1, 3, 8, 8)).shape
    torch.Size([1, 3, 32, 32])
    """

    def __init__(self, config: SRResNetConfig | None = None) -> None:
        super().__init__()
        cfg = SRResNetConfig() if config is None else config
        if not isinstance(cfg, SRResNetConfig):
            raise TypeError(f"`config` must be an SRResNetConfig; got {type(cfg).__name__}")
        self.config = cfg
        c, k, q = cfg.channels, cfg.large_kernel, cfg.small_kernel
        self.head = nn.Sequential(
            nn.Conv2d(cfg.in_channels, c, k, padding=k // 2),
            nn.PReLU(),
        )
        self.blocks = nn.Sequential(*(ResidualBlock(c, q) for _ in range(cfg.n_blocks)))
        self.trunk_tail = nn.Sequential(
            nn.Conv2d(c, c, q, padding=q // 2),
            nn.BatchNorm2d(c),
        )
        stages: list[nn.Module] = []
        for _ in range(cfg.n_upsample):
            # 4c channels regroup into c channels at twice the width and height [Shi2016].
            stages += [nn.Conv2d(c, 4 * c, q, padding=q // 2), nn.PixelShuffle(2), nn.PReLU()]
        self.upsample = nn.Sequential(*stages)
        self.tail = nn.Conv2d(c, cfg.in_channels, k, padding=k // 2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """
        Upscale a batch of images.

        Parameters
        ----------
        x
            Low-resolution images, shape ``(N, in_channels, H, W)``, values in [0, 1].

        Returns
        -------
        torch.Tensor
            Super-resolved images, shape ``(N, in_channels, scale·H, scale·W)``,
            nominally in [0, 1] but not clamped.
        """
        feat = self.head(x)
        feat = feat + self.trunk_tail(self.blocks(feat))  # global skip
        return self.tail(self.upsample(feat))


@dataclass(frozen=True)
class DiscriminatorConfig:
    """
    Parameters of :class:`Discriminator`; the defaults are the network of [Ledig2017].

    Raises
    ------
    ValueError
        If a field is not a positive int, or ``input_size`` is not a multiple of 16
        (the four stride-2 convolutions divide the side by 16). The message names the
        field.
    """

    in_channels: int = 3  # image channels (RGB)
    channels: int = 64  # width of the first two convolutions; doubles every 2 layers to 8×
    input_size: int = 128  # nominal image side in pixels (the HR crop)
    dense: int = 1024  # width of the hidden dense layer
    negative_slope: float = 0.2  # LeakyReLU slope

    def __post_init__(self) -> None:
        for name in ("in_channels", "channels", "input_size", "dense"):
            _check_positive_int("DiscriminatorConfig", name, getattr(self, name))
        if self.input_size % 16:
            raise ValueError(
                "DiscriminatorConfig.input_size must be a multiple of 16 (four stride-2 "
                f"convolutions); got {self.input_size!r}"
            )
        if not 0.0 <= self.negative_slope < 1.0:
            raise ValueError(
                f"DiscriminatorConfig.negative_slope must be in [0, 1); got {self.negative_slope!r}"
            )

    @property
    def pooled_size(self) -> int:
        """Side of the feature grid fed to the dense layer, ``input_size // 16``."""
        return self.input_size // 16


class Discriminator(nn.Module):
    """
    SRGAN discriminator of [Ledig2017]: real/fake logit of an image.

    Eight 3×3 convolutions with channels ``c, c, 2c, 2c, 4c, 4c, 8c, 8c`` (64 → 512 by
    default) and strides ``1, 2, 1, 2, 1, 2, 1, 2``, each followed by batch norm (all but
    the first) and LeakyReLU(0.2); then adaptive average pooling to
    ``pooled_size × pooled_size``, dense ``dense`` + LeakyReLU(0.2), dense 1.

    Parameters
    ----------
    config
        Network shape; ``None`` means ``DiscriminatorConfig()`` (128×128 inputs).

    Notes
    -----
    Difference from the paper: [Ledig2017] flattens the final ``8c × (S/16) × (S/16)``
    feature map straight into the dense layer, which ties the network to one input
    side ``S``. Here an ``nn.AdaptiveAvgPool2d(S/16)`` sits in between. At the
    configured ``input_size`` the feature map is already ``S/16`` wide, the pooling is
    the identity, and the network (and its parameter count) equals the paper's. Other
    sizes ≥ 16 also work: larger maps are average-pooled down to the grid, and
    smaller ones are repeated up to it.

    The last layer returns a raw **logit** (no sigmoid), so the loss can be
    ``BCEWithLogitsLoss``, which is numerically stable and safe under autocast.

    ``forward`` takes ``(N, in_channels, H, W)`` images in [0, 1], ``H, W >= 16``,
    and returns logits of shape ``(N, 1)``.
    """

    def __init__(self, config: DiscriminatorConfig | None = None) -> None:
        super().__init__()
        cfg = DiscriminatorConfig() if config is None else config
        if not isinstance(cfg, DiscriminatorConfig):
            raise TypeError(f"`config` must be a DiscriminatorConfig; got {type(cfg).__name__}")
        self.config = cfg
        c = cfg.channels
        widths = (c, c, 2 * c, 2 * c, 4 * c, 4 * c, 8 * c, 8 * c)
        layers: list[nn.Module] = []
        cin = cfg.in_channels
        for i, cout in enumerate(widths):
            stride = 1 if i % 2 == 0 else 2
            layers.append(nn.Conv2d(cin, cout, 3, stride=stride, padding=1))
            if i > 0:  # the paper has no batch norm after the first convolution
                layers.append(nn.BatchNorm2d(cout))
            layers.append(nn.LeakyReLU(cfg.negative_slope))
            cin = cout
        self.features = nn.Sequential(*layers)
        self.pool = nn.AdaptiveAvgPool2d(cfg.pooled_size)
        self.classifier = nn.Sequential(
            nn.Flatten(),
            nn.Linear(cin * cfg.pooled_size**2, cfg.dense),
            nn.LeakyReLU(cfg.negative_slope),
            nn.Linear(cfg.dense, 1),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """
        Score a batch of images.

        Parameters
        ----------
        x
            Images, shape ``(N, in_channels, H, W)`` with ``H, W >= 16``, values in [0, 1].

        Returns
        -------
        torch.Tensor
            Logits, shape ``(N, 1)``; > 0 means "real" (an HR image).
        """
        if x.ndim != 4 or x.shape[-1] < 16 or x.shape[-2] < 16:
            raise ValueError(
                "Discriminator input must have shape (N, C, H, W) with H, W >= 16; "
                f"got {tuple(x.shape)}"
            )
        return self.classifier(self.pool(self.features(x)))


def count_parameters(model: nn.Module, *, trainable_only: bool = False) -> int:
    """
    Number of scalar parameters of ``model``.

    Parameters
    ----------
    model
        Any module.
    trainable_only
        Count only parameters with ``requires_grad=True``.

    Returns
    -------
    int
        Sum of ``p.numel()`` over ``model.parameters()`` (buffers such as batch-norm
        running statistics are not parameters and are not counted).

    Examples
    --------
    >>> count_parameters(SRResNet())
    1549462
    """
    return sum(p.numel() for p in model.parameters() if p.requires_grad or not trainable_only)


def count_flops(model: nn.Module, lr_size: int = 32, in_channels: int = 3) -> int:
    """
    Floating-point operations of one forward pass on one ``in_channels × lr_size × lr_size``
    image, counted by :class:`torch.utils.flop_counter.FlopCounterMode`.

    The convention is that of the counter: 2 FLOPs per multiply-add of convolutions and
    matrix products (``2·k²·c_in·c_out·H_out·W_out`` for a convolution); element-wise
    ops (activations, batch norm, bias, the bicubic skip of :class:`CompactGenerator`)
    are not counted. The model runs in eval mode under ``torch.no_grad`` and is put back
    in its former mode.

    Raises
    ------
    ValueError
        If ``lr_size`` or ``in_channels`` is not a positive int.
    """
    from torch.utils.flop_counter import FlopCounterMode

    _check_positive_int("count_flops", "lr_size", lr_size)
    _check_positive_int("count_flops", "in_channels", in_channels)
    was_training = model.training
    p = next(model.parameters(), None)
    x = torch.zeros(1, in_channels, lr_size, lr_size, device=p.device if p is not None else "cpu")
    model.eval()
    try:
        with torch.no_grad(), FlopCounterMode(display=False) as counter:
            model(x)
    finally:
        model.train(was_training)
    return int(counter.get_total_flops())


# --------------------------------------------------------------------------- seed (the study)


@dataclass(frozen=True)
class SeedConfig:
    """
    Parameters of :class:`SeedGenerator`, the original study's SRResNet variant.

    Raises
    ------
    ValueError
        If a field is not a positive int, a kernel size is even, or ``scale`` is not
        one of 2, 4, 8. The message names the field.
    """

    in_channels: int = 3
    channels: int = 64  # trunk width
    n_blocks: int = 16  # residual blocks (conv-BN-ReLU-conv-BN + skip)
    up_channels: int = 256  # width of each nearest ×2 + conv 3×3 upsampling stage
    scale: int = 4
    large_kernel: int = 9
    small_kernel: int = 3

    def __post_init__(self) -> None:
        for name in ("in_channels", "channels", "n_blocks", "up_channels"):
            _check_positive_int("SeedConfig", name, getattr(self, name))
        for name in ("large_kernel", "small_kernel"):
            _check_odd_kernel("SeedConfig", name, getattr(self, name))
        if isinstance(self.scale, bool) or self.scale not in _SCALES:
            raise ValueError(f"SeedConfig.scale must be one of {_SCALES}; got {self.scale!r}")


class _ReluBlock(nn.Module):
    """conv-BN-ReLU-conv-BN with identity skip (the study's ReLU version of [Ledig2017]'s block)."""

    def __init__(self, channels: int, kernel_size: int) -> None:
        super().__init__()
        pad = kernel_size // 2
        self.body = nn.Sequential(
            nn.Conv2d(channels, channels, kernel_size, padding=pad),
            nn.BatchNorm2d(channels),
            nn.ReLU(inplace=True),
            nn.Conv2d(channels, channels, kernel_size, padding=pad),
            nn.BatchNorm2d(channels),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.body(x)


class SeedGenerator(nn.Module):
    """
    The original study's generator: SRResNet [Ledig2017] with ReLU instead of PReLU,
    upsampling by nearest-neighbour ×2 + conv 3×3 (``up_channels``) + ReLU instead of
    the pixel shuffle [Odena2016], and a ``tanh`` output mapped to [0, 1] by
    ``(tanh + 1) / 2``.

    ``forward`` maps ``(N, C, H, W)`` in [0, 1] to ``(N, C, scale·H, scale·W)`` in (0, 1).
    """

    def __init__(self, config: SeedConfig | None = None) -> None:
        super().__init__()
        cfg = SeedConfig() if config is None else config
        if not isinstance(cfg, SeedConfig):
            raise TypeError(f"`config` must be a SeedConfig; got {type(cfg).__name__}")
        self.config = cfg
        c, k, q = cfg.channels, cfg.large_kernel, cfg.small_kernel
        self.head = nn.Sequential(nn.Conv2d(cfg.in_channels, c, k, padding=k // 2), nn.ReLU(inplace=True))
        self.blocks = nn.Sequential(*(_ReluBlock(c, q) for _ in range(cfg.n_blocks)))
        self.trunk_tail = nn.Sequential(nn.Conv2d(c, c, q, padding=q // 2), nn.BatchNorm2d(c))
        stages: list[nn.Module] = []
        cin = c
        for _ in range(int(math.log2(cfg.scale))):
            stages += [
                nn.Upsample(scale_factor=2, mode="nearest"),
                nn.Conv2d(cin, cfg.up_channels, 3, padding=1),
                nn.ReLU(inplace=True),
            ]
            cin = cfg.up_channels
        self.upsample = nn.Sequential(*stages)
        self.tail = nn.Conv2d(cin, cfg.in_channels, k, padding=k // 2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        feat = self.head(x)
        feat = feat + self.trunk_tail(self.blocks(feat))
        return (torch.tanh(self.tail(self.upsample(feat))) + 1.0) * 0.5


@dataclass(frozen=True)
class PatchDiscriminatorConfig:
    """
    Parameters of :class:`PatchDiscriminator`.

    Raises
    ------
    ValueError
        If a field is not a positive int or ``negative_slope`` is outside [0, 1).
    """

    in_channels: int = 3
    channels: int = 64  # first layer width; doubles at each of the n_down stride-2 layers (capped at 8×)
    n_down: int = 4  # stride-2 4×4 convolutions: a 128×128 input gives a 128/2^4 = 8×8 map
    negative_slope: float = 0.2

    def __post_init__(self) -> None:
        for name in ("in_channels", "channels", "n_down"):
            _check_positive_int("PatchDiscriminatorConfig", name, getattr(self, name))
        if not 0.0 <= self.negative_slope < 1.0:
            raise ValueError(
                f"PatchDiscriminatorConfig.negative_slope must be in [0, 1); got {self.negative_slope!r}"
            )


class PatchDiscriminator(nn.Module):
    """
    PatchGAN discriminator [Isola2017] of the original study: ``n_down`` convolutions
    4×4, stride 2, padding 1 (widths ``c, 2c, 4c, 8c``; batch norm after all but the
    first; LeakyReLU 0.2), then a 3×3 stride-1 convolution to one channel. Returns raw
    logits ``(N, 1, H/2^n_down, W/2^n_down)``: 8×8 for a 128×128 input.
    """

    def __init__(self, config: PatchDiscriminatorConfig | None = None) -> None:
        super().__init__()
        cfg = PatchDiscriminatorConfig() if config is None else config
        if not isinstance(cfg, PatchDiscriminatorConfig):
            raise TypeError(f"`config` must be a PatchDiscriminatorConfig; got {type(cfg).__name__}")
        self.config = cfg
        layers: list[nn.Module] = []
        cin = cfg.in_channels
        for i in range(cfg.n_down):
            cout = cfg.channels * min(2**i, 8)
            layers.append(nn.Conv2d(cin, cout, 4, stride=2, padding=1))
            if i > 0:
                layers.append(nn.BatchNorm2d(cout))
            layers.append(nn.LeakyReLU(cfg.negative_slope))
            cin = cout
        layers.append(nn.Conv2d(cin, 1, 3, padding=1))
        self.net = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        side = 2**self.config.n_down
        if x.ndim != 4 or x.shape[-1] < side or x.shape[-2] < side:
            raise ValueError(f"PatchDiscriminator input must be (N, C, H, W) with H, W >= {side}; got {tuple(x.shape)}")
        return self.net(x)


# --------------------------------------------------------------------------- compact


@dataclass(frozen=True)
class CompactConfig:
    """
    Parameters of :class:`CompactGenerator`. The defaults (32 channels, 4 body
    convolutions, ×4) have 51 920 parameters and train at > 15 steps/s (batch 16,
    32→128) on 2 CPU threads.

    Raises
    ------
    ValueError
        If a field is not a positive int or ``scale`` is not one of 2, 4, 8.
    """

    in_channels: int = 3
    channels: int = 32
    n_conv: int = 4  # body convolutions between the first and the last
    scale: int = 4

    def __post_init__(self) -> None:
        for name in ("in_channels", "channels", "n_conv"):
            _check_positive_int("CompactConfig", name, getattr(self, name))
        if isinstance(self.scale, bool) or self.scale not in _SCALES:
            raise ValueError(f"CompactConfig.scale must be one of {_SCALES}; got {self.scale!r}")


class CompactGenerator(nn.Module):
    """
    A light SRVGGNetCompact-style generator [Wang2021] whose output is
    ``bicubic(x) + residual(x)``: conv 3×3 + PReLU(c), ``n_conv`` × (conv 3×3 + PReLU(c))
    at LR resolution, conv 3×3 to ``C·scale²`` channels, one ``PixelShuffle(scale)``.
    The last convolution is zero-initialised, so the untrained network returns exactly
    :func:`srgan.resample.bicubic` — the baseline every score is compared with.
    """

    def __init__(self, config: CompactConfig | None = None) -> None:
        super().__init__()
        cfg = CompactConfig() if config is None else config
        if not isinstance(cfg, CompactConfig):
            raise TypeError(f"`config` must be a CompactConfig; got {type(cfg).__name__}")
        self.config = cfg
        c = cfg.channels
        layers: list[nn.Module] = [nn.Conv2d(cfg.in_channels, c, 3, padding=1), nn.PReLU(c)]
        for _ in range(cfg.n_conv):
            layers += [nn.Conv2d(c, c, 3, padding=1), nn.PReLU(c)]
        last = nn.Conv2d(c, cfg.in_channels * cfg.scale**2, 3, padding=1)
        nn.init.zeros_(last.weight)
        nn.init.zeros_(last.bias)
        layers += [last, nn.PixelShuffle(cfg.scale)]
        self.body = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        s = self.config.scale
        return bicubic(x, (s * x.shape[-2], s * x.shape[-1])) + self.body(x)


# --------------------------------------------------------------------------- registry


@dataclass(frozen=True)
class _Entry:
    config: type
    model: Callable[[Any], nn.Module]
    doc: str


GENERATORS: dict[str, _Entry] = {
    "srresnet": _Entry(SRResNetConfig, SRResNet, "SRResNet of Ledig et al. 2017 (PReLU, pixel shuffle)"),
    "seed": _Entry(SeedConfig, SeedGenerator, "the study's variant: ReLU, nearest ×2 + conv upsampling, tanh"),
    "compact": _Entry(CompactConfig, CompactGenerator, "light conv stack, residual over bicubic (CPU budgets)"),
}
"""Generator name → (config class, model class, one-line description)."""

DISCRIMINATORS: dict[str, _Entry] = {
    "srresnet": _Entry(DiscriminatorConfig, Discriminator, "SRGAN discriminator (one logit per image)"),
    "seed": _Entry(PatchDiscriminatorConfig, PatchDiscriminator, "PatchGAN (8×8 logits for 128×128)"),
    "compact": _Entry(PatchDiscriminatorConfig, PatchDiscriminator, "PatchGAN (8×8 logits for 128×128)"),
}
"""Discriminator by generator name: each generator is paired with the discriminator of its recipe."""


def _make_config(registry: dict[str, _Entry], kind: str, name: str, config: dict[str, Any]):
    if name not in registry:
        raise ValueError(f"unknown {kind} {name!r}; available: {', '.join(sorted(registry))}")
    cls = registry[name].config
    known = {f.name for f in fields(cls)}
    unknown = sorted(set(config) - known)
    if unknown:
        raise ValueError(f"{kind} {name!r} has no config field(s) {unknown}; fields: {sorted(known)}")
    return cls(**config)


def generator_config(name: str, scale: int = 4, **config: Any):
    """The frozen config dataclass of generator ``name`` at ``scale`` (fields in ``config``)."""
    return _make_config(GENERATORS, "generator", name, {**config, "scale": scale})


def build_generator(name: str, scale: int = 4, **config: Any) -> nn.Module:
    """
    Generator ``name`` (one of :data:`GENERATORS`) for upscaling factor ``scale``
    (2, 4 or 8), other config fields as keywords.

    Raises
    ------
    ValueError
        Unknown name, unknown config field, or a field out of range.
    """
    cfg = generator_config(name, scale, **config)
    return GENERATORS[name].model(cfg)


def build_discriminator(name: str, **config: Any) -> nn.Module:
    """Discriminator paired with generator ``name`` (see :data:`DISCRIMINATORS`), config fields as keywords."""
    cfg = _make_config(DISCRIMINATORS, "discriminator", name, config)
    return DISCRIMINATORS[name].model(cfg)


def config_dict(model: nn.Module) -> dict[str, Any]:
    """The ``config`` dataclass of a registry model as a plain dict (for sidecars and checkpoints)."""
    return asdict(model.config)
