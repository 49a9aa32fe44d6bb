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


# Menon, Andriani & Calvagno (2007), DDFAPD, as whole-image array algebra: every
# filter reads its input through ``_mirror`` (np.pad "reflect" = whole-sample
# symmetric), the classifier window through ``_zero`` (pixels outside count 0).
_MENON_WINDOW_H = [(0, 0, 3.0), (0, -2, 3.0), (-1, -1, 1.0), (1, -1, 1.0),
                   (-2, 0, 1.0), (2, 0, 1.0), (-2, -2, 1.0), (2, -2, 1.0)]  # (di, dj, weight)
_MENON_WINDOW_V = [(dj, di, w) for di, dj, w in _MENON_WINDOW_H]


def _mirror(a, di, dj, p=2):
    """``a[i + di, j + dj]`` for every (i, j), mirror boundary."""
    rows, cols = a.shape
    return np.pad(a, p, mode="reflect")[p + di:p + di + rows, p + dj:p + dj + cols]


def _zero(a, di, dj, p=2):
    rows, cols = a.shape
    return np.pad(a, p, mode="constant")[p + di:p + di + rows, p + dj:p + dj + cols]


def _avg(a, horizontal):
    """Mean of the two neighbours along the row (``horizontal``) or the column."""
    return 0.5 * (_mirror(a, 0, -1) + _mirror(a, 0, 1)) if horizontal else 0.5 * (_mirror(a, -1, 0) + _mirror(a, 1, 0))


def _mean3(a, horizontal):
    return (_mirror(a, 0, -1) + a + _mirror(a, 0, 1)) / 3.0 if horizontal else (_mirror(a, -1, 0) + a + _mirror(a, 1, 0)) / 3.0


def menon(cfa_img, cfa, refine=True):
    x = np.asarray(cfa_img, dtype=np.float64)
    r_m, g_m, b_m = masks(x.shape, cfa)
    rb_m = ~g_m
    # Directional greens: [0, ½, 0, ½, 0] + [-¼, 0, ½, 0, -¼] along each axis.
    g_h = np.where(g_m, x, 0.5 * (_mirror(x, 0, -1) + _mirror(x, 0, 1)) + 0.5 * x
                   - 0.25 * (_mirror(x, 0, -2) + _mirror(x, 0, 2)))
    g_v = np.where(g_m, x, 0.5 * (_mirror(x, -1, 0) + _mirror(x, 1, 0)) + 0.5 * x
                   - 0.25 * (_mirror(x, -2, 0) + _mirror(x, 2, 0)))
    # Chrominance gradients and the a-posteriori decision.
    c_h = np.where(rb_m, x - g_h, 0.0)
    c_v = np.where(rb_m, x - g_v, 0.0)
    d_h = np.abs(c_h - _mirror(c_h, 0, 2))
    d_v = np.abs(c_v - _mirror(c_v, 2, 0))
    delta_h = sum(w * _zero(d_h, di, dj) for di, dj, w in _MENON_WINDOW_H)
    delta_v = sum(w * _zero(d_v, di, dj) for di, dj, w in _MENON_WINDOW_V)
    horiz = delta_v >= delta_h
    g = np.where(horiz, g_h, g_v)

    def directional(a, fn):
        return np.where(horiz, fn(a, True), fn(a, False))

    # R and B at green sites: green + bilinear colour difference.
    planes = {}
    for k, k_m in ((0, r_m), (2, b_m)):
        in_row = np.broadcast_to(k_m.any(axis=1)[:, None], x.shape)  # rows holding colour k
        xk = x * k_m
        est = np.where(in_row, g + _avg(xk, True) - _avg(g, True), g + _avg(xk, False) - _avg(g, False))
        planes[k] = np.where(k_m, x, np.where(g_m, est, 0.0))
    r, b = planes[0], planes[2]
    # B at R and R at B: sampled colour + directional bilinear colour difference.
    r, b = (np.where(b_m, x + directional(r - b, _avg), r),
            np.where(r_m, x + directional(b - r, _avg), b))
    if not refine:
        return np.stack([r, g, b], axis=-1)

    # Refinement: green at R/B sites, then R/B at green sites, then B at R / R at B.
    g = np.where(r_m, x - directional(r - g, _mean3), np.where(b_m, x - directional(b - g, _mean3), g))
    for k, k_m in ((0, r_m), (2, b_m)):
        in_row = np.broadcast_to(k_m.any(axis=1)[:, None], x.shape)
        diff = planes[k] = (r if k == 0 else b) - g
        est = g + np.where(in_row, _avg(diff, True), _avg(diff, False))
        planes[k] = np.where(g_m, est, r if k == 0 else b)
    r, b = planes[0], planes[2]
    r_minus_b = r - b
    r, b = (np.where(b_m, x + directional(r_minus_b, _mean3), r),
            np.where(r_m, x - directional(r_minus_b, _mean3), b))
    return np.stack([r, g, b], axis=-1)
