"""The exceptions of ``teamweb_identity`` (docs/FORMAT.md, section 6).

Every error the package raises about a secret, an identity or a token is an
``IdentityTokenError``, a ``ValueError`` with a stable ``code`` string that is
the same in every TeamWeb identity package (Rust, Python, Node, Kotlin).
Messages explain what was wrong and never contain a secret or a token.
A wrong argument *type* raises ``TypeError`` instead.
"""

from __future__ import annotations

from typing import ClassVar

__all__ = [
    "IdentityTokenError",
    "InvalidSecretError",
    "InvalidIdentityError",
    "MalformedTokenError",
    "AuthenticationFailedError",
    "InvalidPayloadError",
]


class IdentityTokenError(ValueError):
    """Base class of every error about a secret, an identity or a token.

    ``code`` is one of ``invalid_secret``, ``invalid_identity``,
    ``malformed_token``, ``authentication_failed``, ``invalid_payload``.
    """

    code: ClassVar[str] = "identity_token_error"


class InvalidSecretError(IdentityTokenError):
    """The secret is not the base64 of exactly 32 bytes (or a keyring is empty)."""

    code: ClassVar[str] = "invalid_secret"


class InvalidIdentityError(IdentityTokenError):
    """The identity breaks a rule: empty or too long ``id``, control
    characters, a lone surrogate, an ``email`` without ``@``, ..."""

    code: ClassVar[str] = "invalid_identity"


class MalformedTokenError(IdentityTokenError):
    """The token is not base64 of at least 28 bytes, or is over 8192 characters."""

    code: ClassVar[str] = "malformed_token"


class AuthenticationFailedError(IdentityTokenError):
    """AES-GCM refused the token: it was made with another key, or changed."""

    code: ClassVar[str] = "authentication_failed"


class InvalidPayloadError(IdentityTokenError):
    """The token decrypted, but does not hold an identity object."""

    code: ClassVar[str] = "invalid_payload"
