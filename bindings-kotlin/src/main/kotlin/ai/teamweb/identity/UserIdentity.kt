package ai.teamweb.identity

/**
 * Who the visitor is: an [id], and optionally a [name] and an [email].
 *
 * Making one never fails; the identity rules (SPEC section 2) are checked by
 * [IdentityKey.encrypt], which throws [InvalidIdentityException]: `id` needs a
 * non-whitespace character and at most 256 UTF-8 bytes; `name` at most 256
 * bytes; `email` at most 254 bytes, no whitespace and an `@` with text on both
 * sides of the last one; no control characters and no lone surrogates
 * anywhere. A `null` or empty `name`/`email` means absent.
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
 * @property id the visitor's id in your system (required).
 * @property name the visitor's display name, or `null`.
 * @property email the visitor's email address, or `null`.
 */
data class UserIdentity @JvmOverloads constructor(
    val id: String,
    val name: String? = null,
    val email: String? = null,
) {
    /**
     * An identity whose id is an integer, written as its decimal text
     * (`42L` becomes `"42"`), as every TeamWeb identity package writes it.
     */
    @JvmOverloads
    constructor(id: Long, name: String? = null, email: String? = null) : this(id.toString(), name, email)
}
