"""Which hosts are this machine: the one rule for "loopback" in the client and the CLI.

The client lets a loopback base URL go without a key and over plain http; `orq-router
serve` lets a loopback bind go without `api_keys`. Both ask the same question here.
"""

from __future__ import annotations

import ipaddress

__all__ = ["is_loopback"]


def is_loopback(host: str) -> bool:
    """`localhost`, or an IPv4/IPv6 loopback address (127.0.0.0/8, ::1)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
