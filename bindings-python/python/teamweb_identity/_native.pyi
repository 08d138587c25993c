"""Type stubs for ``teamweb_identity._native``, the compiled half of the
package. Import everything from ``teamweb_identity`` instead."""

from collections.abc import Iterable
from typing import Any, Final, NoReturn, final

__version__: Final[str]

@final
class IdentityKey:
    """An AES-256-GCM identity key, parsed once from the channel's secret.

    Immutable and safe to share between threads and forked workers.
    ``repr()``/``str()`` never show the key; keys cannot be pickled.
    Build one with ``from_base64`` or ``generate``.
    """

    @staticmethod
    def from_base64(secret: str) -> IdentityKey:
        """Parse the base64 of 32 bytes (standard or URL-safe, padding
        optional, surrounding whitespace ignored).

        Raises ``InvalidSecretError`` (never echoing the secret)."""
    @staticmethod
    def generate() -> IdentityKey:
        """A new random key from the operating system's CSPRNG."""
    def secret_base64(self) -> str:
        """The secret as padded standard base64 (44 characters)."""
    def encrypt(self, id: str | int, *, name: str | None = None, email: str | None = None) -> str:
        """Make a token with a fresh random nonce.

        Raises ``InvalidIdentityError``, or ``TypeError`` for a wrong type."""
    def decrypt(self, token: str) -> UserIdentity:
        """Open a token. Raises ``MalformedTokenError``,
        ``AuthenticationFailedError`` or ``InvalidPayloadError``."""
    def __reduce__(self) -> NoReturn:
        """Always raises ``TypeError``: keys are not pickled."""
    def __copy__(self) -> IdentityKey:
        """The same (immutable) key."""
    def __deepcopy__(self, memo: Any, /) -> IdentityKey:
        """The same (immutable) key."""

@final
class IdentityKeyring:
    """Several keys for rotation: encrypts with the first, decrypts with
    each in turn. An empty list raises ``InvalidSecretError``."""

    def __init__(self, keys: Iterable[IdentityKey], /) -> None:
        """Keep ``keys``, the encrypting one first."""
    @property
    def keys(self) -> tuple[IdentityKey, ...]:
        """The keys, the encrypting one first."""
    def encrypt(self, id: str | int, *, name: str | None = None, email: str | None = None) -> str:
        """Make a token with the first key (see ``IdentityKey.encrypt``)."""
    def decrypt(self, token: str) -> UserIdentity:
        """Open a token with whichever key made it (see ``IdentityKey.decrypt``)."""
    def __reduce__(self) -> NoReturn:
        """Always raises ``TypeError``: keyrings are not pickled."""
    def __copy__(self) -> IdentityKeyring:
        """The same (immutable) keyring."""
    def __deepcopy__(self, memo: Any, /) -> IdentityKeyring:
        """The same (immutable) keyring."""

@final
class UserIdentity:
    """Who the visitor is. Immutable, hashable, comparable, picklable.

    ``""`` for ``name`` or ``email`` means absent (``None``). Building one
    checks types only; ``validate()`` or making a token checks the rules.
    """

    __match_args__: Final = ("id", "name", "email")

    def __init__(self, id: str | int, name: str | None = None, email: str | None = None) -> None:
        """An identity; an ``int`` id becomes its decimal text."""
    @property
    def id(self) -> str:
        """The visitor's id, as text."""
    @property
    def name(self) -> str | None:
        """The visitor's name, or ``None``."""
    @property
    def email(self) -> str | None:
        """The visitor's email, or ``None``."""
    def validate(self) -> None:
        """Check the identity rules; raises ``InvalidIdentityError``."""
    def to_dict(self) -> dict[str, str | None]:
        """``{"id": ..., "name": ... or None, "email": ... or None}``."""
    def __eq__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...
    def __reduce__(self) -> tuple[type[UserIdentity], tuple[str, str | None, str | None]]:
        """Pickle support."""

def encrypt_user_token(secret: str, id: str | int, *, name: str | None = None, email: str | None = None) -> str:
    """Make a token in one call (parses the secret each time)."""

def decrypt_user_token(secret: str, token: str) -> UserIdentity:
    """Open a token in one call (parses the secret each time)."""

def widget_script_tag(src: str, assistant_id: str | int, user_token: str | None = None) -> str:
    """The widget's ``<script>`` tag, every value HTML-attribute-escaped.

    An ``int`` ``assistant_id`` wider than 851 bits raises
    ``InvalidIdentityError``; a lone surrogate is written as U+FFFD."""

def encrypt_with_nonce(
    key: IdentityKey, nonce: bytes, id: str | int, *, name: str | None = None, email: str | None = None
) -> str:
    """Make a token with a fixed 12-byte nonce. Tests only."""
