"""Visma Connect's signing key: one RS256 key per process, published in the JWKS.

Making a key takes tens of milliseconds, so every world shares the process's key and
a world stays cheap to create and reset. PyJWT and cryptography are imported on first
use: they cost tens of milliseconds too, and only Visma Connect needs them.
"""

from __future__ import annotations

import base64
import hashlib
import json
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric import rsa


@dataclass(frozen=True)
class SigningKey:
    private: rsa.RSAPrivateKey
    kid: str
    public_jwk: dict[str, str]


_key: SigningKey | None = None
_key_lock = threading.Lock()


def signing_key() -> SigningKey:
    """The process's RS256 key, made on first use and shared by every world: making one
    takes tens of milliseconds, and a world must stay cheap to create and reset."""
    global _key
    if _key is None:
        with _key_lock:
            if _key is None:
                from cryptography.hazmat.primitives.asymmetric import rsa
                from jwt.algorithms import RSAAlgorithm

                private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
                jwk = RSAAlgorithm.to_jwk(private.public_key(), as_dict=True)
                members = {"e": jwk["e"], "kty": "RSA", "n": jwk["n"]}
                canonical = json.dumps(members, separators=(",", ":"), sort_keys=True).encode()
                kid = b64url(hashlib.sha256(canonical).digest())  # RFC 7638 thumbprint
                _key = SigningKey(private, kid, {**members, "use": "sig", "alg": "RS256", "kid": kid})
    return _key


def b64url(raw: bytes) -> str:
    """Base64url without padding (JWT, PKCE, RFC 7638)."""
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def sign(claims: dict[str, Any], typ: str) -> str:
    """An RS256 JWT of ``claims`` with header ``typ`` (``at+JWT`` for access tokens)."""
    import jwt

    key = signing_key()
    return jwt.encode(claims, key.private, algorithm="RS256", headers={"kid": key.kid, "typ": typ})
