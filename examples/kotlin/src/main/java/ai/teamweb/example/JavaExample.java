// A Java server's view of teamweb-identity: static factories, unchecked
// exceptions with a stable code, try-with-resources; no Kotlin in sight.
package ai.teamweb.example;

import ai.teamweb.identity.IdentityKey;
import ai.teamweb.identity.IdentityKeyring;
import ai.teamweb.identity.InvalidIdentityException;
import ai.teamweb.identity.MalformedTokenException;
import ai.teamweb.identity.TeamwebIdentity;
import ai.teamweb.identity.UserIdentity;
import ai.teamweb.identity.testing.Testing;

public final class JavaExample {
    private static void check(boolean ok, String what) {
        if (!ok) {
            System.err.println("FAILED: " + what);
            System.exit(1);
        }
    }

    /** The README's Java quickstart, exactly as printed there (tests/readme.py compares them). */
    static void readmeQuickstart() {
        // README:begin
        try (IdentityKey key = IdentityKey.fromBase64(System.getenv("TEAMWEB_IDENTITY_SECRET"))) {
            String token = key.encrypt(new UserIdentity("user_123", "Alice", "alice@example.com"));
            String tag = TeamwebIdentity.widgetScriptTag("https://teamweb.example/static/js/chat-widget.js", 123L, token);
            System.out.println(tag);
        }
        // README:end
    }

    public static void main(String[] args) {
        if (System.getenv("TEAMWEB_IDENTITY_SECRET") != null) {
            readmeQuickstart();
        }
        String secret = System.getenv().getOrDefault("TEAMWEB_IDENTITY_SECRET", IdentityKey.generate().secretBase64());
        try (IdentityKey key = IdentityKey.fromBase64(secret)) {
            String token = key.encrypt(new UserIdentity("user_123", "Alice", "alice@example.com"));
            System.out.println(TeamwebIdentity.widgetScriptTag("https://teamweb.example/static/js/chat-widget.js", 123L, token));

            UserIdentity who = key.decrypt(token);
            check(who.equals(new UserIdentity("user_123", "Alice", "alice@example.com")), "round trip");
            check(new UserIdentity(7L).getId().equals("7"), "Long id");
            check(TeamwebIdentity.decryptUserToken(secret, TeamwebIdentity.encryptUserToken(secret, new UserIdentity("u2"))).getName() == null, "one-shot");

            try (IdentityKeyring ring = new IdentityKeyring(IdentityKey.generate(), key)) {
                check(ring.decrypt(token).getId().equals("user_123"), "keyring");
            }

            // Fixed nonce: for tests only.
            byte[] nonce = new byte[12];
            check(Testing.encryptWithNonce(key, nonce, who).equals(Testing.encryptWithNonce(key, nonce, who)), "fixed nonce");

            try {
                key.decrypt("not a token");
                check(false, "a malformed token opened");
            } catch (MalformedTokenException e) {
                System.out.println("malformed: " + e.getCode());
            }
            try {
                key.encrypt(new UserIdentity("u", null, "no-at-sign"));
                check(false, "a bad email was accepted");
            } catch (InvalidIdentityException e) {
                System.out.println("bad email: " + e.getCode() + ": " + e.getMessage());
            }
            System.out.println(key);
        }
        System.out.println("java example: ok");
    }
}
