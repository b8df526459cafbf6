"""Communiqué: typed summit records over gRPC.

`Client` is a thin helper over the generated stubs (`communique.v1`), which
are built from the repository's protos when the package is installed.
"""

from communique.client import Client, Watch, read_token, summit_filter

__all__ = ["Client", "Watch", "read_token", "summit_filter"]
__version__ = "0.1.0"
