"""What a model id looks like: the one rule for the client and `orq-router serve`'s config.

The router names models `provider/model` (`openai/text-embedding-3-small`,
`local/hashing-384`). The client refuses any other id before sending it, so a local
router's config must refuse it too: a model it served under another name could never be
asked for through this SDK. Both ask the same question here; this module imports
nothing of the SDK, so the server can read it without loading the client.
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["MODEL_ID", "is_model_id"]

#: `provider/model`: a provider name, a slash, then the provider's model id.
MODEL_ID: Final = re.compile(r"[A-Za-z0-9][\w.-]*/\S+")


def is_model_id(name: object) -> bool:
    """Whether `name` is a model id in `provider/model` form."""
    return isinstance(name, str) and MODEL_ID.fullmatch(name) is not None
