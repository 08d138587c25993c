"""Make and open identity tokens for TeamWeb AI's chat widget.

A customer's server tells the widget who a logged-in visitor is by
encrypting ``{"id", "name", "email"}`` with the channel's identity secret
(AES-256-GCM) and putting the token on the widget's script tag::

    import os
    from teamweb_identity import IdentityKey, widget_script_tag

    key = IdentityKey.from_base64(os.environ["TEAMWEB_IDENTITY_SECRET"])  # once
    token = key.encrypt("user_123", name="Alice", email="alice@example.com")
    tag = widget_script_tag("https://teamweb.example/static/js/chat-widget.js", 123, token)

Keys are immutable and safe to share between threads and forked workers.
Every token's 12-byte nonce is read from the operating system's CSPRNG at
the moment of the call, so a nonce cannot repeat across threads, ``fork()``
or a process copied without ``fork()`` (VM snapshots). At most 2**32 tokens
per secret (NIST SP 800-38D 8.3); rotate with ``IdentityKeyring`` before
that.

Errors are ``IdentityTokenError`` subclasses (``ValueError``) with a stable
``code``; a wrong argument type raises ``TypeError``.
"""

from teamweb_identity._errors import (
    AuthenticationFailedError,
    IdentityTokenError,
    InvalidIdentityError,
    InvalidPayloadError,
    InvalidSecretError,
    MalformedTokenError,
)
from teamweb_identity._native import (
    IdentityKey,
    IdentityKeyring,
    UserIdentity,
    __version__,
    decrypt_user_token,
    encrypt_user_token,
    widget_script_tag,
)

__all__ = [
    "IdentityKey",
    "IdentityKeyring",
    "UserIdentity",
    "encrypt_user_token",
    "decrypt_user_token",
    "widget_script_tag",
    "IdentityTokenError",
    "InvalidSecretError",
    "InvalidIdentityError",
    "MalformedTokenError",
    "AuthenticationFailedError",
    "InvalidPayloadError",
    "__version__",
]
