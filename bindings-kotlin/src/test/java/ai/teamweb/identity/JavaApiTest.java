package ai.teamweb.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.teamweb.identity.testing.Testing;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The API as Java code sees it: unchecked exceptions, null arguments, toString. */
class JavaApiTest {
    private static final String SECRET = "q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80=";
    private final IdentityKey key = IdentityKey.fromBase64(SECRET);
    private final UserIdentity alice = new UserIdentity("user_123", "Alice", "alice@example.com");

    @Test
    void encryptIsAMethodReferenceInAStream() {
        List<UserIdentity> users = List.of(alice, new UserIdentity("u2"), new UserIdentity(3L, "C", null));
        List<String> tokens = users.stream().map(key::encrypt).collect(Collectors.toList());
        assertEquals(users, tokens.stream().map(key::decrypt).collect(Collectors.toList()));
    }

    @Test
    void refusalsInALambdaAreUncheckedAndKeepTheirCode() {
        MalformedTokenException e = assertThrows(MalformedTokenException.class,
            () -> List.of("not a token").forEach(key::decrypt));
        assertEquals("malformed_token", e.getCode());
        IdentityTokenException base = e;
        assertTrue(base instanceof RuntimeException);
    }

    private static void nullRefused(String parameter, Executable call) {
        NullPointerException e = assertThrows(NullPointerException.class, call);
        assertEquals(parameter + " must not be null", e.getMessage());
    }

    @Test
    void nullArgumentsNameTheParameter() {
        nullRefused("secret", () -> IdentityKey.fromBase64(null));
        nullRefused("identity", () -> key.encrypt(null));
        nullRefused("token", () -> key.decrypt(null));
        nullRefused("id", () -> new UserIdentity((String) null));
        nullRefused("keys", () -> new IdentityKeyring((List<IdentityKey>) null));
        nullRefused("keys", () -> new IdentityKeyring((IdentityKey[]) null));
        nullRefused("keys[1]", () -> new IdentityKeyring(key, null));
        try (IdentityKeyring ring = new IdentityKeyring(key)) {
            nullRefused("identity", () -> ring.encrypt(null));
            nullRefused("token", () -> ring.decrypt(null));
        }
        nullRefused("secret", () -> TeamwebIdentity.encryptUserToken(null, alice));
        nullRefused("identity", () -> TeamwebIdentity.encryptUserToken(SECRET, null));
        nullRefused("secret", () -> TeamwebIdentity.decryptUserToken(null, "t"));
        nullRefused("token", () -> TeamwebIdentity.decryptUserToken(SECRET, null));
        nullRefused("src", () -> TeamwebIdentity.widgetScriptTag(null, "1"));
        nullRefused("assistantId", () -> TeamwebIdentity.widgetScriptTag("/w.js", (String) null));
        nullRefused("key", () -> Testing.encryptWithNonce(null, new byte[12], alice));
        nullRefused("nonce", () -> Testing.encryptWithNonce(key, null, alice));
        nullRefused("identity", () -> Testing.encryptWithNonce(key, new byte[12], null));
        // Null name, email and token are allowed: they mean absent.
        assertEquals(new UserIdentity("u"), key.decrypt(key.encrypt(new UserIdentity("u", null, null))));
        assertFalse(TeamwebIdentity.widgetScriptTag("/w.js", 1L, null).contains("data-user-token"));
    }

    @Test
    void anEmptyKeyringIsAnInvalidSecret() {
        assertThrows(InvalidSecretException.class, () -> new IdentityKeyring(List.of()));
        assertThrows(InvalidSecretException.class, IdentityKeyring::new);
    }

    @Test
    void identitiesShowTheirIdOnly() {
        assertEquals("UserIdentity(id=user_123)", alice.toString());
        assertEquals(alice, new UserIdentity("user_123", "Alice", "alice@example.com"));
        assertEquals(alice.hashCode(), new UserIdentity("user_123", "Alice", "alice@example.com").hashCode());
        assertFalse(alice.equals(new UserIdentity("user_123", "Alice", null)));
        assertEquals("Alice", alice.getName());
        assertEquals("alice@example.com", alice.getEmail());
    }
}
