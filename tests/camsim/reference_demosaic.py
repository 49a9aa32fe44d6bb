"""
Plain-NumPy twins of camsim's demosaic kernels — clarity over speed; tests only.

Written as the textbook formulation: per-channel masked convolutions (bilinear) and
the four 5×5 filters of Malvar, He & Cutler (2004, Fig. 2) selected by site type,
with scipy's ``mode="mirror"`` borders (whole-sample symmetric, ISETCam's convention).
The kernels in ``camsim._kernels.demosaic`` use per-site formulas instead, so the two
share no code.
"""

import numpy as np
from scipy.ndimage import convolve

_CH = {"r": 0, "g": 1, "b": 2}


def masks(shape, cfa):
    """Boolean masks (R, G, B), each ``shape``, for a layout such as ``"rggb"``."""
    out = np.zeros((3,) + tuple(shape), dtype=bool)
    for k, (di, dj) in enumerate([(0, 0), (0, 1), (1, 0), (1, 1)]):
        out[_CH[cfa.lower()[k]], di::2, dj::2] = True
    return out


def mosaic(rgb, cfa):
    m = masks(rgb.shape[:2], cfa)
    return np.sum(np.moveaxis(rgb, 2, 0) * m, axis=0)


def bilinear(cfa_img, cfa):
    x = np.asarray(cfa_img, dtype=np.float64)
    m = masks(x.shape, cfa)
    h_g = np.array([[0, 1, 0], [1, 4, 1], [0, 1, 0]]) / 4.0
    h_rb = np.array([[1, 2, 1], [2, 4, 2], [1, 2, 1]]) / 4.0
    return np.stack([convolve(x * m[k], h_g if k == 1 else h_rb, mode="mirror") for k in range(3)], axis=-1)


# Malvar, He & Cutler (2004), Fig. 2, in eighths.
G_AT_RB = np.array([[0, 0, -1, 0, 0],
                    [0, 0, 2, 0, 0],
                    [-1, 2, 4, 2, -1],
                    [0, 0, 2, 0, 0],
                    [0, 0, -1, 0, 0]]) / 8.0
RB_AT_G_ROW = np.array([[0, 0, 0.5, 0, 0],          # target colour left/right of the green
                        [0, -1, 0, -1, 0],
                        [-1, 4, 5, 4, -1],
                        [0, -1, 0, -1, 0],
                        [0, 0, 0.5, 0, 0]]) / 8.0
RB_AT_G_COL = RB_AT_G_ROW.T                         # target colour above/below the green
RB_AT_BR = np.array([[0, 0, -1.5, 0, 0],
                     [0, 2, 0, 2, 0],
                     [-1.5, 0, 6, 0, -1.5],
                     [0, 2, 0, 2, 0],
                     [0, 0, -1.5, 0, 0]]) / 8.0


def malvar(cfa_img, cfa):
    x = np.asarray(cfa_img, dtype=np.float64)
    r_m, g_m, b_m = masks(x.shape, cfa)
    g_rb = convolve(x, G_AT_RB, mode="mirror")
    row = convolve(x, RB_AT_G_ROW, mode="mirror")
    col = convolve(x, RB_AT_G_COL, mode="mirror")
    cross = convolve(x, RB_AT_BR, mode="mirror")
    red_row = np.broadcast_to(r_m.any(axis=1)[:, None], x.shape)   # rows holding red samples
    blue_row = ~red_row
    r = np.where(r_m, x, np.where(g_m & red_row, row, np.where(g_m & blue_row, col, cross)))
    b = np.where(b_m, x, np.where(g_m & blue_row, row, np.where(g_m & red_row, col, cross)))
    g = np.where(g_m, x, g_rb)
    return np.stack([r, g, b], axis=-1)
