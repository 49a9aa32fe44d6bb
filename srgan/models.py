"""
Models — SRResNet generator and SRGAN discriminator
===================================================

Defines the generator :class:`SRResNet` (configured by :class:`SRResNetConfig`), the
SRGAN :class:`Discriminator` (configured by :class:`DiscriminatorConfig`) and
:func:`count_parameters`.

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
- [Shi2016] Shi, W., Caballero, J., Huszár, F., Totz, J., Aitken, A. P., Bishop, R.,
  Rueckert, D., Wang, Z. "Real-Time Single Image and Video Super-Resolution Using an
  Efficient Sub-Pixel Convolutional Neural Network", *CVPR* (2016): the sub-pixel
  convolution, ``nn.PixelShuffle``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
from torch import nn

__all__ = [
    "SRResNetConfig",
    "SRResNet",
    "ResidualBlock",
    "DiscriminatorConfig",
    "Discriminator",
    "count_parameters",
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
