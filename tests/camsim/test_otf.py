"""The OTF caches of :mod:`camsim._otf`: least recently used out, bounded in bytes and entries."""

import numpy as np

from camsim._otf import _ArrayCache


def test_array_cache_evicts_least_recently_used_by_bytes():
    cache = _ArrayCache(max_bytes=100)
    a, b, c = (np.zeros(5) for _ in range(3))  # 40 bytes each
    cache.put("a", a, a.nbytes)
    cache.put("b", b, b.nbytes)
    assert cache.get("a") is a  # now "b" is the oldest
    cache.put("c", c, c.nbytes)  # 120 > 100 bytes: "b" goes
    assert cache.get("b") is None and cache.get("a") is a and cache.get("c") is c and len(cache) == 2
    cache.put("big", np.zeros(20), 160)  # larger than the bound: not kept, nothing evicted
    assert cache.get("big") is None and len(cache) == 2


def test_array_cache_entries_bound_and_none_values():
    cache = _ArrayCache(float("inf"), max_items=2)
    miss = object()
    cache.put("x", None, 0)
    assert cache.get("x", miss) is None and cache.get("y", miss) is miss  # None is a value, not a miss
    cache.put("y", 1, 0)
    cache.put("z", 2, 0)
    assert cache.get("x", miss) is miss and cache.get("y") == 1 and cache.get("z") == 2
