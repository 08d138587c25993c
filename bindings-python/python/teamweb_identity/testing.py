"""Entry points for tests only.

``encrypt_with_nonce`` makes a token with a nonce you choose, so that tests
can compare tokens byte for byte with the conformance vectors. Never use it
in production: a nonce used twice under one key breaks AES-GCM.
"""

from teamweb_identity._native import encrypt_with_nonce

__all__ = ["encrypt_with_nonce"]
