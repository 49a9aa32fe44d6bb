"""Parallel only where it pays: one work threshold (camsim.threads) for every numba kernel and FFT."""

import numpy as np
import pytest

import camsim
from camsim import threads
from camsim._kernels import noise as kn
from camsim.sensor import Noise, Sensor


def test_parallel_threshold_and_thread_knob():
    ns = threads.PARALLEL_MIN_NS
    assert not threads.parallel(int(ns) - 1, 1.0) and not threads.parallel(1000, ns / 1001)
    fft_big = int(ns / threads.FFT_NS_PER_ELEMENT) + 1
    assert threads.fft_workers(fft_big - 2) == 1
    try:
        threads.set_threads(2)
        assert threads.parallel(int(ns), 1.0) == (threads.get_threads() > 1)
        assert threads.fft_workers(fft_big) == threads.get_threads()
        threads.set_threads(1)
        assert not threads.parallel(10 * int(ns), 1.0)  # one thread: never a parallel region
        assert threads.fft_workers(10 * fft_big) == 1
    finally:
        threads.set_threads(None)


def test_capture_is_the_same_whatever_the_split(monkeypatch):
    """Every kernel and FFT forced parallel gives the frame the serial (default-size) path gives."""
    image = np.random.default_rng(3).random((96, 128, 3)).astype(np.float32)
    camera = camsim.Camera()
    serial = camera.capture(image, seed=4)
    monkeypatch.setattr(threads, "PARALLEL_MIN_NS", 0)
    par = camera.capture(image, seed=4)
    np.testing.assert_array_equal(serial.raw.digital, par.raw.digital)
    np.testing.assert_allclose(serial.image, par.image, rtol=0, atol=1e-6)


def _spy_readout(monkeypatch):
    seen = {}
    real = kn.readout

    def spy(mean_e, prnu, col_gain, offset, *args):
        seen["prnu"], seen["offset"] = prnu, offset
        return real(mean_e, prnu, col_gain, offset, *args)

    monkeypatch.setattr(kn, "readout", spy)
    return seen


@pytest.mark.parametrize("terms,full_prnu,full_offset", [
    ((), False, False), (("column_fpn",), False, False), (("prnu",), True, False), (("dsnu",), False, True),
    (("dsnu", "column_fpn"), False, True)])
def test_fixed_pattern_arrays_only_for_terms_that_are_on(monkeypatch, terms, full_prnu, full_offset):
    seen = _spy_readout(monkeypatch)
    s = Sensor(size=(30, 40), cfa=None, dsnu=3.0, prnu=1.5, column_fpn=(2.0, 0.01), voltage_swing=1e6,
               noise=Noise.only(*terms) if terms else Noise.only(), pattern_seed=11)
    rate = np.full((30, 40), 5e4)
    e = s.expose_rate(rate, exposure_time=1e-2).electrons.astype(float)
    assert (seen["prnu"].strides[0] != 0) == full_prnu
    assert (seen["offset"].strides[0] != 0) == full_offset
    # the values: the independent formula with full-size patterns
    pat = lambda stream, r: kn.normal_field(np.uint64(11), stream, r, 40)  # noqa: E731
    prnu = 1 + 0.015 * pat(kn.STREAM_PRNU, 30) if "prnu" in terms else 1.0
    offset = 3.0 * pat(kn.STREAM_DSNU, 30) if "dsnu" in terms else np.zeros((30, 40))
    gain = 1.0
    if "column_fpn" in terms:
        offset = offset + 2.0 * pat(kn.STREAM_COLUMN_OFFSET, 1)
        gain = 1 + 0.01 * pat(kn.STREAM_COLUMN_GAIN, 1)
    np.testing.assert_allclose(e, 500.0 * prnu * gain + offset, rtol=1e-6, atol=1e-4)
