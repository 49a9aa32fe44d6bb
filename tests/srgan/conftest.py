import pytest
import torch


@pytest.fixture(autouse=True)
def _two_threads():
    """Pin torch to 2 threads: the suite's time budget is for 2 cores, and it keeps
    float results independent of the machine's core count."""
    before = torch.get_num_threads()
    torch.set_num_threads(2)
    yield
    torch.set_num_threads(before)
