"""The generator's tests.

`SHARED` is the steering repository's `shared/` folder, beside this checkout (or where
`ORQ_SHARED` says): third-party documents some tests read, and skip without.
"""

from __future__ import annotations

import os
from pathlib import Path

SHARED = Path(os.environ.get("ORQ_SHARED") or Path(__file__).resolve().parents[3] / "shared")
