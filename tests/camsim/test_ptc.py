"""Tests for camsim.ptc: the photon-transfer helper recovers the system gain and the saturation it was given."""

import numpy as np
import pytest

from camsim import Sensor
from camsim.optical_image import OpticalImage
from camsim.plots import plot_photon_transfer
from camsim.ptc import PhotonTransfer, photon_transfer

WAVE_NM = 550.0


def test_photon_transfer_helper_recovers_gain_and_plots():
    s = Sensor(cfa="rggb", size=(128, 128), wave=[WAVE_NM], qe=[[0.5, 0.4, 0.3]], bit_depth=12,
               analog_gain=0.9, analog_offset=0.05, read_noise=5.0, prnu=1.0)
    oi = OpticalImage(np.full((128, 128, 1), 1e17, np.float32), [WAVE_NM], s.pixel_pitch)
    times = np.concatenate([np.linspace(1e-4, 3e-3, 20), np.linspace(3.1e-3, 6.5e-3, 25)])  # R saturates at 3.4 ms
    ptc = photon_transfer(s, oi, times, seed=3)
    assert isinstance(ptc, PhotonTransfer) and ptc.mean.shape == (times.size, 3) and ptc.units == "DN"
    np.testing.assert_allclose(ptc.gain(), s.system_gain, rtol=0.03)
    sat = ptc.signal[ptc.saturation_index(), range(3)]  # DN at the variance maximum, per channel
    np.testing.assert_allclose(sat, s.system_gain * s.full_well, rtol=0.1)
    fig = plot_photon_transfer(ptc)
    assert fig.axes and fig.axes[0].get_xscale() == "log"
    with pytest.raises(ValueError, match="exposure_times"):
        photon_transfer(s, oi, [0.0, 1.0])
