import os

import numpy as np
import pytest
from hypothesis import settings

# Random in CI too (hypothesis' own "ci" profile would derandomize), and every failure prints the
# @reproduce_failure(...) blob that replays it exactly. HYPOTHESIS_PROFILE picks another profile.
settings.register_profile("random", derandomize=False, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "random"))


@pytest.fixture
def rng():
    return np.random.default_rng(1234)
