"""One switch for every property-based test in the suite.

``HYPOTHESIS_PROFILE=long pytest`` runs the long profile everywhere (minutes
per test file); the default is the quick, deterministic one CI runs. Each test
module scales its own example counts from ``LONG``.
"""

from __future__ import annotations

import os

PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "quick")
if PROFILE not in ("quick", "long"):
    raise ValueError(f"HYPOTHESIS_PROFILE must be quick or long, not {PROFILE!r}")
LONG = PROFILE == "long"
