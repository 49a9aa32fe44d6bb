"""
srgan — super-resolution models trained on camsim's physically simulated cameras
==============================================================================

Four tasks of the original study (``sr``, ``sr_color``, ``sr_pixel``, ``sr_deblur``):
LR/HR pairs from camsim cameras (:mod:`srgan.tasks`, :mod:`srgan.data`), generators and
discriminators (:mod:`srgan.models`), losses, training, evaluation against bicubic,
analysis of what a network learned, and tiled upscaling. ``srgan`` uses camsim only
through its public API.
"""

__version__ = "0.1.0"
