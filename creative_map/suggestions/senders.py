"""Who sent a suggestion, kept only as a salted hash: enough to count per sender, never an address in clear.

The app passes the client's address; `sender_key` reduces an IPv6 address to its /64 network (one
household or server gets a whole /64, so counting single IPv6 addresses would count nothing) and returns an
HMAC-SHA256 of it under the store's secret salt (``store_meta.sender_salt``, made when the store is created and
shared by every app server). Without the salt the key cannot be tested against guessed addresses.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress

__all__ = ["sender_identity", "sender_key"]


def sender_identity(sender: str) -> str:
    """Return what identifies a sender for counting: an IPv4 address, an IPv6 /64 network, or the text itself."""
    text = sender.strip().lower()
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return text
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{address}/64", strict=False))
    return str(address)


def sender_key(sender: str, *, salt: str) -> str:
    """Return the salted hash (64 hexadecimal digits) that stands for `sender` in the store."""
    return hmac.new(salt.encode(), sender_identity(sender).encode(), hashlib.sha256).hexdigest()
