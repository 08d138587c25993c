// A Java 17 service's view of teamweb-identity: static factories, unchecked
// exceptions with a stable code, method references in streams.
package ai.teamweb.example.java;

import ai.teamweb.identity.AuthenticationFailedException;
import ai.teamweb.identity.IdentityKey;
import ai.teamweb.identity.IdentityKeyring;
import ai.teamweb.identity.IdentityTokenException;
import ai.teamweb.identity.InvalidIdentityException;
import ai.teamweb.identity.TeamwebIdentity;
import ai.teamweb.identity.UserIdentity;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

public final class Main {
    private static void check(boolean ok, String what) {
        if (!ok) {
            System.err.println("FAILED: " + what);
            System.exit(1);
        }
    }

    /** bindings-kotlin/README.md's Java quickstart, exactly as printed there (a test there compares them). */
    static List<String> readmeQuickstart(List<UserIdentity> users) {
        // README:begin
        IdentityKey key = IdentityKey.fromBase64(System.getenv("TEAMWEB_IDENTITY_SECRET")); // once, at start-up

        List<String> tags = users.stream()
            .map(key::encrypt)  // unchecked exceptions: a method reference works
            .map(token -> TeamwebIdentity.widgetScriptTag("https://teamweb.example/static/js/chat-widget.js", 123L, token))
            .collect(Collectors.toList());

        try {
            UserIdentity who = key.decrypt("a token from a request");
        } catch (AuthenticationFailedException e) {  // made with another key, or changed
        } catch (IdentityTokenException e) {         // e.getCode(): "malformed_token", ...
            System.out.println("refused: " + e.getCode());
        }
        // README:end
        return tags;
    }

    public static void main(String[] args) {
        List<UserIdentity> users = List.of(
            new UserIdentity("user_123", "Alice", "alice@example.com"),
            new UserIdentity(42L, "Zoë Ångström", null),
            new UserIdentity("user_456"));
        String secret = System.getenv("TEAMWEB_IDENTITY_SECRET");
        if (secret != null) {
            List<String> tags = readmeQuickstart(users);
            check(tags.size() == 3 && tags.get(0).startsWith("<script src=\"https://teamweb.example/"), "README quickstart");
        } else {
            secret = IdentityKey.generate().secretBase64();
        }

        try (IdentityKey key = IdentityKey.fromBase64(secret)) {
            // A method reference to encrypt, and one to decrypt, in a stream.
            List<String> tokens = users.stream().map(key::encrypt).collect(Collectors.toList());
            List<UserIdentity> opened = tokens.stream().map(key::decrypt).collect(Collectors.toList());
            check(opened.equals(users), "stream round trip");
            check(opened.get(1).getId().equals("42") && opened.get(2).getName() == null, "Long id, absent name");

            // Refusals in a lambda: unchecked, grouped by their stable code.
            Map<String, Long> codes = List.of("not a token", tokens.get(0) + "x", IdentityKey.generate().encrypt(users.get(0))).stream()
                .map(token -> {
                    try {
                        return key.decrypt(token).getId();
                    } catch (IdentityTokenException e) {
                        return e.getCode();
                    }
                })
                .collect(Collectors.groupingBy(code -> code, Collectors.counting()));
            check(codes.get("authentication_failed") == 1L, "another key's token: " + codes);
            System.out.println("refusal codes: " + codes);

            try {
                key.encrypt(new UserIdentity("u", null, "no-at-sign"));
                check(false, "a bad email was accepted");
            } catch (InvalidIdentityException e) {
                System.out.println("bad email: " + e.getCode() + ": " + e.getMessage());
            }
            try {
                key.encrypt(null);
                check(false, "a null identity was accepted");
            } catch (NullPointerException e) {
                check("identity must not be null".equals(e.getMessage()), "null message: " + e.getMessage());
            }

            // Rotation: tokens made with the old secret still open.
            try (IdentityKeyring ring = new IdentityKeyring(IdentityKey.generate(), key)) {
                check(tokens.stream().map(ring::decrypt).collect(Collectors.toList()).equals(users), "keyring");
            }
            // Logging an identity shows the id only.
            System.out.println(users.get(0) + " " + key);
            check(users.get(0).toString().equals("UserIdentity(id=user_123)"), "toString");
        }

        // The generated bindings are not readable from this module.
        check(!IdentityKey.class.getModule().isExported("ai.teamweb.identity.ffi"), "ffi is exported");
        check(IdentityKey.class.getModule().isNamed(), "the package runs as a named module");
        System.out.println("java module example: ok");
    }
}
