"""Key format and hashing. A key reads `bzk_<prefix>_<secret>`: the prefix (8 hex characters) finds the row,
the secret (43 URL-safe characters, 256 bits) is what proves possession. A secret that random needs no slow
password hash: SHA-256 of the whole key cannot be reversed or guessed, and is cheap to check per request."""

from __future__ import annotations

import hashlib
import hmac
import secrets

KEY_PREFIX = "bzk"


def new_key() -> tuple[str, str]:
    """(prefix, whole key)."""
    prefix = secrets.token_hex(4)
    return prefix, f"{KEY_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def split_key(key: str) -> str | None:
    """The prefix of a well-formed key, else None."""
    parts = key.strip().split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_PREFIX or len(parts[1]) != 8 or not parts[2]:
        return None
    return parts[1]


def matches(key: str, stored_hash: str) -> bool:
    return hmac.compare_digest(hash_key(key.strip()), stored_hash)
