"""Numba kernels for camsim's hot loops (private). One module per job; each kernel has
a NumPy twin in ``tests/camsim/reference.py`` that the tests compare against."""
