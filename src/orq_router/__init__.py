"""orq-router: a typed Python SDK for the orq.ai AI Router embeddings API.

The wire layer is the generated `orq_router_api` package (see `generated/`); this
package is the handwritten facade on top of it.
"""

from orq_router_api import __version__ as api_version

__version__ = "0.1.0"

__all__ = ["__version__", "api_version"]
