package ai.teamweb.identity

import ai.teamweb.identity.internal.notNull
import java.util.Objects

/**
 * Who the visitor is: an [id], and optionally a [name] and an [email].
 *
 * Making one never fails (except for a `null` id, which throws
 * [NullPointerException]); the identity rules (docs/FORMAT.md, section 2) are checked by
 * [IdentityKey.encrypt], which throws [InvalidIdentityException]: `id` needs
 * a non-whitespace character and at most 256 UTF-8 bytes; `name` at most 256
 * bytes; `email` at most 254 bytes, no whitespace and an `@` with text on
 * both sides of the last one; no control characters and no lone surrogates
 * anywhere. A `null` or empty `name`/`email` means absent: an empty one is
 * stored as `null` (so [name] and [email] return `null` for it), as the
 * core and every other package treat it.
 *
 * Two identities are equal when their three fields are, so
 * `UserIdentity("u", "")` equals `UserIdentity("u", null)` and its own round
 * trip through a token. [toString] shows the
 * id only, so logging an identity never writes a name or an email address.
 *
 * ```kotlin
 * val alice = UserIdentity("user_123", "Alice", "alice@example.com")
 * val byNumber = UserIdentity(42L)            // id "42"
 * ```
 * ```java
 * UserIdentity alice = new UserIdentity("user_123", "Alice", "alice@example.com");
 * UserIdentity bob = new UserIdentity("user_456");
 * ```
 *
 * @param id the visitor's id in your system (required).
 * @param name the visitor's display name, or `null`.
 * @param email the visitor's email address, or `null`.
 */
class UserIdentity @JvmOverloads constructor(id: String, name: String? = null, email: String? = null) {
    /** The visitor's id in your system. */
    val id: String = notNull(id, "id")

    /** The visitor's display name, or `null` (also when it was given as `""`). */
    val name: String? = name?.ifEmpty { null }

    /** The visitor's email address, or `null` (also when it was given as `""`). */
    val email: String? = email?.ifEmpty { null }

    /**
     * An identity whose id is an integer, written as its decimal text
     * (`42L` becomes `"42"`), as every TeamWeb identity package writes it.
     */
    @JvmOverloads
    constructor(id: Long, name: String? = null, email: String? = null) : this(id.toString(), name, email)

    override fun equals(other: Any?): Boolean =
        other is UserIdentity && id == other.id && name == other.name && email == other.email

    override fun hashCode(): Int = Objects.hash(id, name, email)

    /** `UserIdentity(id=user_123)`: the id only, never the name or the email. */
    override fun toString(): String = "UserIdentity(id=$id)"
}
