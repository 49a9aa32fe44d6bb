"""
Demosaic kernels — Bayer CFA sampling, bilinear and Malvar–He–Cutler interpolation
==================================================================================

Private numba kernels behind :func:`camsim.demosaic.demosaic` and
:func:`camsim.demosaic.mosaic`. The public wrappers check shape, dtype (float32,
C-contiguous), finiteness and the layout first; the kernels trust their input.

The layout is passed as ``cfa``, an ``(2, 2)`` int8 array of channel indices
(0 = R, 1 = G, 2 = B): the filter at pixel ``(i, j)`` is ``cfa[i % 2, j % 2]``. Every
kernel assumes a Bayer layout (the two greens on a diagonal of the 2×2 tile), which
holds for ``rggb``, ``grbg``, ``gbrg`` and ``bggr``.

Boundaries are handled by whole-sample symmetric reflection ("mirror": index −1 reads
index 1, index ``n`` reads ``n − 2``), ISETCam ``ieBilinear``'s convention. Because the
period of that reflection is even, a reflected sample always has the CFA colour of
the virtual position it stands for, so the interior formulas stay valid up to the
edge.

Each kernel has a NumPy twin (generic masked convolutions) in
``tests/camsim/reference_demosaic.py``.

References
----------
- Malvar, H. S., He, L.-W. & Cutler, R. (2004). High-quality linear interpolation for
  demosaicing of Bayer-patterned color images. *Proc. IEEE ICASSP 2004*, vol. 3,
  pp. iii-485–488.
- ISETCam ``ieBilinear``, ``Demosaic`` (bilinear, the ISETCam default).
"""

from __future__ import annotations

import numba as nb
import numpy as np

from .twin import twin

__all__ = ["mirror_index", "pad_mirror", "mosaic", "bilinear", "malvar", "menon"]



@nb.njit(cache=True)
def mirror_index(i, n):
    """Index ``i`` reflected into ``[0, n)`` without repeating the edge sample."""
    if n == 1:
        return 0
    period = 2 * (n - 1)
    i = i % period  # Python semantics: non-negative for a positive period
    if i >= n:
        i = period - i
    return i


@nb.njit(cache=True)
def _pad_row(m, p, out, ii):
    rows, cols = m.shape
    si = mirror_index(ii - p, rows)
    out[ii, p:p + cols] = m[si, :]
    for jj in range(p):  # only the 2p border columns need the reflection
        out[ii, jj] = m[si, mirror_index(jj - p, cols)]
        out[ii, p + cols + jj] = m[si, mirror_index(cols + jj, cols)]


@twin("pad_mirror")
def _pad(m, p, out):
    for ii in nb.prange(out.shape[0]):
        _pad_row(m, p, out, ii)


def pad_mirror(m, p):
    """Copy of the 2-D array ``m`` extended by ``p`` samples on every side (mirror)."""
    rows, cols = m.shape
    out = np.empty((rows + 2 * p, cols + 2 * p), dtype=m.dtype)
    _pad.pick(rows * cols)(m, p, out)
    return out


def mosaic(rgb, cfa):
    """Sample ``rgb`` (rows, cols, 3) through the layout ``cfa`` → (rows, cols)."""
    rows, cols, _ = rgb.shape
    out = np.empty((rows, cols), dtype=rgb.dtype)
    _mosaic.pick(rows * cols)(rgb, cfa, out)
    return out


@twin("mosaic")
def _mosaic(rgb, cfa, out):
    for i in nb.prange(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = rgb[i, j, cfa[i & 1, j & 1]]


@nb.njit(cache=True)
def _bilinear_row(p, cfa, out, i):
    cols = out.shape[1]
    pi = i + 1
    for j in range(cols):
        pj = j + 1
        c = cfa[i & 1, j & 1]
        v = p[pi, pj]
        if c == 1:
            # Green site: one colour left/right, the other above/below.
            ch = cfa[i & 1, (j + 1) & 1]
            cv = cfa[(i + 1) & 1, j & 1]
            out[i, j, 1] = v
            out[i, j, ch] = np.float32(0.5) * (p[pi, pj - 1] + p[pi, pj + 1])
            out[i, j, cv] = np.float32(0.5) * (p[pi - 1, pj] + p[pi + 1, pj])
        else:
            # Red or blue site: green on the 4-neighbours, the other colour on
            # the diagonals.
            out[i, j, c] = v
            out[i, j, 1] = np.float32(0.25) * (p[pi - 1, pj] + p[pi + 1, pj] + p[pi, pj - 1] + p[pi, pj + 1])
            out[i, j, 2 - c] = np.float32(0.25) * (
                p[pi - 1, pj - 1] + p[pi - 1, pj + 1] + p[pi + 1, pj - 1] + p[pi + 1, pj + 1])


@twin("bilinear")
def _bilinear(p, cfa, out):
    for i in nb.prange(out.shape[0]):
        _bilinear_row(p, cfa, out, i)


def bilinear(m, cfa):
    """
    Bilinear demosaic (ISETCam ``ieBilinear``) of a float32 Bayer mosaic ``m``.

    Equivalent to convolving each masked channel with ``[[0,1,0],[1,4,1],[0,1,0]]/4``
    (green) or ``[[1,2,1],[2,4,2],[1,2,1]]/4`` (red, blue); written per site so that
    each output sample costs at most four additions.
    """
    rows, cols = m.shape
    p = pad_mirror(m, 1)
    out = np.empty((rows, cols, 3), dtype=np.float32)
    _bilinear.pick(rows * cols)(p, cfa, out)
    return out


@nb.njit(cache=True)
def _malvar_row(p, cfa, out, i):
    cols = out.shape[1]
    eighth = np.float32(0.125)
    pi = i + 2
    for j in range(cols):
        pj = j + 2
        c = cfa[i & 1, j & 1]
        v = p[pi, pj]
        n1 = p[pi - 1, pj]
        s1 = p[pi + 1, pj]
        w1 = p[pi, pj - 1]
        e1 = p[pi, pj + 1]
        n2 = p[pi - 2, pj]
        s2 = p[pi + 2, pj]
        w2 = p[pi, pj - 2]
        e2 = p[pi, pj + 2]
        diag = p[pi - 1, pj - 1] + p[pi - 1, pj + 1] + p[pi + 1, pj - 1] + p[pi + 1, pj + 1]
        if c == 1:
            ch = cfa[i & 1, (j + 1) & 1]
            cv = cfa[(i + 1) & 1, j & 1]
            out[i, j, 1] = v
            out[i, j, ch] = eighth * (np.float32(5.0) * v + np.float32(4.0) * (w1 + e1) - (w2 + e2) - diag
                                      + np.float32(0.5) * (n2 + s2))
            out[i, j, cv] = eighth * (np.float32(5.0) * v + np.float32(4.0) * (n1 + s1) - (n2 + s2) - diag
                                      + np.float32(0.5) * (w2 + e2))
        else:
            axial2 = n2 + s2 + w2 + e2
            out[i, j, c] = v
            out[i, j, 1] = eighth * (np.float32(4.0) * v + np.float32(2.0) * (n1 + s1 + w1 + e1) - axial2)
            out[i, j, 2 - c] = eighth * (np.float32(6.0) * v + np.float32(2.0) * diag - np.float32(1.5) * axial2)


@twin("malvar")
def _malvar(p, cfa, out):
    for i in nb.prange(out.shape[0]):
        _malvar_row(p, cfa, out, i)


def malvar(m, cfa):
    """
    Malvar–He–Cutler (2004) gradient-corrected linear demosaic of a float32 Bayer
    mosaic ``m``. The 5×5 filters of the paper (Fig. 2), in eighths, per site:

    * G at R/B: ``4·c + 2·(4-neighbours) − (axial ±2)``;
    * R/B at G, neighbours in the row: ``5·c + 4·(W+E) − (W2+E2) − (diagonals)
      + ½·(N2+S2)``; neighbours in the column: the transpose;
    * B at R or R at B: ``6·c + 2·(diagonals) − 1.5·(axial ±2)``.
    """
    rows, cols = m.shape
    p = pad_mirror(m, 2)
    out = np.empty((rows, cols, 3), dtype=np.float32)
    _malvar.pick(rows * cols)(p, cfa, out)
    return out


# --- Menon, Andriani & Calvagno (2007), DDFAPD ------------------------------------
#
# Unlike bilinear and Malvar, DDFAPD chains filters on *intermediate* images (decided
# green, then R/B, then the refinement), each read with the mirror boundary, as the
# paper's convolutions (and colour-demosaicing's ``mode="mirror"``) do. The stages
# therefore run as separate row passes over full-size arrays, and neighbours are read
# through mirror lookup tables ``ri``/``ci`` (padded index → image index) instead of a
# padded copy of each intermediate. The directional classifier alone sums over the
# pixels inside the image (zero outside), as colour-demosaicing's ``mode="constant"``:
# its inputs live in ``work``, whose planes carry a zero frame ``_MENON_HALO`` wide.

_MENON_HALO = 2  # widest reach of any stage: the 5-tap green filters and D(j + 2)
_GH, _GV, _DH, _DV = 0, 1, 2, 3  # planes of the ``work`` array


@nb.njit(cache=True)
def _mirror_table(n, h):
    """``t[k] = mirror_index(k - h, n)`` for ``k`` in ``[0, n + 2h)``."""
    t = np.empty(n + 2 * h, dtype=np.int64)
    for k in range(n + 2 * h):
        t[k] = mirror_index(k - h, n)
    return t


@nb.njit(cache=True)
def _menon_directional_row(m, cfa, ri, ci, work, i):
    # Green estimated along the row (GH) and along the column (GV) at R/B sites:
    # [0, ½, 0, ½, 0] on the neighbouring greens plus [-¼, 0, ½, 0, -¼] on the
    # same-colour samples (paper eq. 3), written so that a flat field stays exact.
    h = _MENON_HALO
    cols = m.shape[1]
    half = np.float32(0.5)
    quarter = np.float32(0.25)
    in1, is1 = ri[i + h - 1], ri[i + h + 1]
    in2, is2 = ri[i + h - 2], ri[i + h + 2]
    for j in range(cols):
        v = m[i, j]
        if cfa[i & 1, j & 1] == 1:
            work[_GH, i + h, j + h] = v
            work[_GV, i + h, j + h] = v
        else:
            jw1, je1 = ci[j + h - 1], ci[j + h + 1]
            jw2, je2 = ci[j + h - 2], ci[j + h + 2]
            work[_GH, i + h, j + h] = (half * (m[i, jw1] + m[i, je1])
                                       + quarter * (np.float32(2.0) * v - m[i, jw2] - m[i, je2]))
            work[_GV, i + h, j + h] = (half * (m[in1, j] + m[is1, j])
                                       + quarter * (np.float32(2.0) * v - m[in2, j] - m[is2, j]))


@nb.njit(cache=True)
def _menon_gradient_row(m, cfa, ri, ci, work, i):
    # Chrominance C = X − G (X the sampled R or B; C = 0 at green sites) and its
    # difference two samples ahead, D_H = |C_H(i, j) − C_H(i, j+2)| and
    # D_V = |C_V(i, j) − C_V(i+2, j)| (paper eq. 5); j and j + 2 share a colour.
    h = _MENON_HALO
    cols = m.shape[1]
    is2 = ri[i + h + 2]
    for j in range(cols):
        if cfa[i & 1, j & 1] == 1:
            work[_DH, i + h, j + h] = np.float32(0.0)
            work[_DV, i + h, j + h] = np.float32(0.0)
        else:
            je2 = ci[j + h + 2]
            work[_DH, i + h, j + h] = abs((m[i, j] - work[_GH, i + h, j + h]) - (m[i, je2] - work[_GH, i + h, je2 + h]))
            work[_DV, i + h, j + h] = abs((m[i, j] - work[_GV, i + h, j + h]) - (m[is2, j] - work[_GV, is2 + h, j + h]))


@nb.njit(cache=True)
def _menon_decide_row(m, cfa, work, hor, out, i):
    # Directional classifier (paper eq. 6): D summed over a 5×5 window, weight 3 on
    # the two samples in line with the pixel; the zero frame of ``work`` makes pixels
    # outside the image count 0. Horizontal wins ties. Green sites carry no
    # chrominance difference, so both sums are 0 there and they stay "horizontal".
    h = _MENON_HALO
    cols = m.shape[1]
    dh = work[_DH]
    dv = work[_DV]
    a = i + h  # row in the framed planes
    for j in range(cols):
        c = cfa[i & 1, j & 1]
        out[i, j, c] = m[i, j]
        if c == 1:
            hor[i, j] = 1
            continue
        b = j + h
        d_h = (np.float32(3.0) * (dh[a, b] + dh[a, b - 2]) + dh[a - 1, b - 1] + dh[a + 1, b - 1]
               + dh[a - 2, b] + dh[a + 2, b] + dh[a - 2, b - 2] + dh[a + 2, b - 2])
        d_v = (np.float32(3.0) * (dv[a, b] + dv[a - 2, b]) + dv[a - 1, b - 1] + dv[a - 1, b + 1]
               + dv[a, b - 2] + dv[a, b + 2] + dv[a - 2, b - 2] + dv[a - 2, b + 2])
        horizontal = d_v >= d_h
        hor[i, j] = horizontal
        out[i, j, 1] = work[_GH, a, b] if horizontal else work[_GV, a, b]


@nb.njit(cache=True)
def _menon_rb_at_green_row(ri, ci, cfa, out, i):
    # R and B at green sites: the green plus the bilinear colour difference of the
    # two neighbours carrying that colour (along the row for one, the column for the
    # other).
    h = _MENON_HALO
    cols = out.shape[1]
    half = np.float32(0.5)
    in1, is1 = ri[i + h - 1], ri[i + h + 1]
    for j in range(cols):
        if cfa[i & 1, j & 1] != 1:
            continue
        jw1, je1 = ci[j + h - 1], ci[j + h + 1]
        ch = cfa[i & 1, (j + 1) & 1]
        cv = cfa[(i + 1) & 1, j & 1]
        g = out[i, j, 1]
        out[i, j, ch] = g + (half * (out[i, jw1, ch] + out[i, je1, ch]) - half * (out[i, jw1, 1] + out[i, je1, 1]))
        out[i, j, cv] = g + (half * (out[in1, j, cv] + out[is1, j, cv]) - half * (out[in1, j, 1] + out[is1, j, 1]))


@nb.njit(cache=True)
def _menon_rb_at_rb_row(ri, ci, cfa, hor, out, i):
    # B at R sites and R at B sites: the sampled colour plus the bilinear difference
    # (other − sampled) of the two green-site neighbours in the decided direction.
    h = _MENON_HALO
    cols = out.shape[1]
    half = np.float32(0.5)
    in1, is1 = ri[i + h - 1], ri[i + h + 1]
    for j in range(cols):
        c = cfa[i & 1, j & 1]
        if c == 1:
            continue
        o = 2 - c
        if hor[i, j]:
            ia, ja, ib, jb = i, ci[j + h - 1], i, ci[j + h + 1]
        else:
            ia, ja, ib, jb = in1, j, is1, j
        out[i, j, o] = out[i, j, c] + (half * (out[ia, ja, o] + out[ib, jb, o]) - half * (out[ia, ja, c] + out[ib, jb, c]))


@nb.njit(cache=True)
def _menon_refine_green_row(ri, ci, cfa, hor, out, i):
    # Refinement 1 (paper §III-C): green at R/B sites from the sampled colour minus
    # the 3-tap mean of (sampled − green) in the decided direction. Only green sites
    # (unchanged here) and the pixel itself are read, so the update is in place.
    h = _MENON_HALO
    cols = out.shape[1]
    third = np.float32(1.0 / 3.0)
    in1, is1 = ri[i + h - 1], ri[i + h + 1]
    for j in range(cols):
        c = cfa[i & 1, j & 1]
        if c == 1:
            continue
        if hor[i, j]:
            ia, ja, ib, jb = i, ci[j + h - 1], i, ci[j + h + 1]
        else:
            ia, ja, ib, jb = in1, j, is1, j
        diff = third * ((out[ia, ja, c] - out[ia, ja, 1]) + (out[i, j, c] - out[i, j, 1]) + (out[ib, jb, c] - out[ib, jb, 1]))
        out[i, j, 1] = out[i, j, c] - diff


@nb.njit(cache=True)
def _menon_refine_rb_at_rb_row(ri, ci, cfa, hor, out, i):
    # Refinement 3: B at R sites and R at B sites from the sampled colour plus the
    # 3-tap mean of (other − sampled) in the decided direction; the pixel's own
    # term uses its pre-refinement estimate, read before it is overwritten.
    h = _MENON_HALO
    cols = out.shape[1]
    third = np.float32(1.0 / 3.0)
    in1, is1 = ri[i + h - 1], ri[i + h + 1]
    for j in range(cols):
        c = cfa[i & 1, j & 1]
        if c == 1:
            continue
        o = 2 - c
        if hor[i, j]:
            ia, ja, ib, jb = i, ci[j + h - 1], i, ci[j + h + 1]
        else:
            ia, ja, ib, jb = in1, j, is1, j
        diff = third * ((out[ia, ja, o] - out[ia, ja, c]) + (out[i, j, o] - out[i, j, c]) + (out[ib, jb, o] - out[ib, jb, c]))
        out[i, j, o] = out[i, j, c] + diff


@nb.njit(cache=True)
def _menon_stage_row(stage, m, cfa, ri, ci, work, hor, out, i):
    if stage == 0:
        _menon_directional_row(m, cfa, ri, ci, work, i)
    elif stage == 1:
        _menon_gradient_row(m, cfa, ri, ci, work, i)
    elif stage == 2:
        _menon_decide_row(m, cfa, work, hor, out, i)
    elif stage == 3:
        _menon_rb_at_green_row(ri, ci, cfa, out, i)
    elif stage == 4:
        _menon_rb_at_rb_row(ri, ci, cfa, hor, out, i)
    elif stage == 5:
        _menon_refine_green_row(ri, ci, cfa, hor, out, i)
    elif stage == 6:
        _menon_rb_at_green_row(ri, ci, cfa, out, i)  # refinement 2: same rule on the refined green
    else:
        _menon_refine_rb_at_rb_row(ri, ci, cfa, hor, out, i)


_MENON_STAGES = 5  # directional greens, gradients, decision, R/B at G, R/B at B/R
_MENON_REFINE_STAGES = 3  # refined G at R/B, R/B at G, R/B at B/R


@twin("menon")
def _menon(m, cfa, n_stages, ri, ci, work, hor, out):
    for stage in range(n_stages):  # each stage reads its predecessor on other rows
        for i in nb.prange(m.shape[0]):
            # int64, not prange's unsigned index: it mixes with the int64 mirror tables
            _menon_stage_row(stage, m, cfa, ri, ci, work, hor, out, np.int64(i))


def menon(m, cfa, refine=True):
    """
    DDFAPD demosaic (Menon, Andriani & Calvagno 2007) of a float32 Bayer mosaic ``m``.

    1. Green at R/B sites along the row and along the column (5-tap filters).
    2. Per R/B site, the direction whose chrominance (X − G) varies least over a
       5×5 window wins (ties: horizontal); its green is kept.
    3. R/B at green sites, then B at R and R at B (in the decided direction), by
       bilinear interpolation of colour differences.
    4. ``refine`` (the paper's §III-C, colour-demosaicing's ``refining_step``):
       green at R/B, R/B at green, then B at R and R at B are re-estimated from
       low-passed colour differences.
    """
    rows, cols = m.shape
    ri = _mirror_table(rows, _MENON_HALO)
    ci = _mirror_table(cols, _MENON_HALO)
    # GH, GV, DH, DV with a zero frame of _MENON_HALO samples (read by the classifier only)
    work = np.zeros((4, rows + 2 * _MENON_HALO, cols + 2 * _MENON_HALO), dtype=np.float32)
    hor = np.empty((rows, cols), dtype=np.uint8)
    out = np.empty((rows, cols, 3), dtype=np.float32)
    n_stages = _MENON_STAGES + (_MENON_REFINE_STAGES if refine else 0)
    _menon.pick(rows * cols)(m, cfa, n_stages, ri, ci, work, hor, out)
    return out
