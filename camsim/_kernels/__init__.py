"""Numba kernels for camsim's hot loops (private). One module per job; row-parallel kernels
are written once and compiled serial and parallel (:mod:`camsim._kernels.twin`). Each kernel
has a twin (``tests/camsim/reference_sensor.py``, ``reference_demosaic.py`` or NumPy code in
the test) that ``tests/camsim/test_kernels_<module>.py`` compares it against."""
