package ai.teamweb.identity.peer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Identity tokens WITHOUT the package: plain JCA AES-GCM, {@link SecureRandom}
 * nonces, {@link Base64} and Jackson's JSON, as the public page's Python and
 * Node examples do it. The peer of the package in the tests, the
 * cross-language driver and the benchmark (one source, compiled into each).
 */
public final class JcaPeer {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;

    /** A peer for the secret's 32 bytes, decoded with {@code java.util.Base64}. */
    public JcaPeer(String secretBase64) {
        this.key = new SecretKeySpec(Base64.getDecoder().decode(secretBase64.trim()), "AES");
    }

    /** An opened identity: absent fields are null. */
    public static final class Identity {
        public final String id;
        public final String name;
        public final String email;

        public Identity(String id, String name, String email) {
            this.id = id;
            this.name = name;
            this.email = email;
        }
    }

    /**
     * The compact JSON plaintext of an identity; null or empty name/email are
     * left out. {@code id} is a String, or a Number written as a JSON number.
     */
    public static byte[] plaintext(Object id, String name, String email) throws GeneralSecurityException {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("id", id);
        if (name != null && !name.isEmpty()) fields.put("name", name);
        if (email != null && !email.isEmpty()) fields.put("email", email);
        try {
            return JSON.writeValueAsBytes(fields);
        } catch (java.io.IOException e) {
            throw new GeneralSecurityException("peer JSON failed", e);
        }
    }

    /** A token with a fresh random nonce. */
    public String encrypt(Object id, String name, String email) throws GeneralSecurityException {
        byte[] nonce = new byte[NONCE];
        RANDOM.nextBytes(nonce);
        return encryptWithNonce(nonce, plaintext(id, name, email));
    }

    /** A token for {@code plaintext} with the given nonce. */
    public String encryptWithNonce(byte[] nonce, byte[] plaintext) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
        byte[] out = new byte[NONCE + cipher.getOutputSize(plaintext.length)];
        System.arraycopy(nonce, 0, out, 0, NONCE);
        cipher.doFinal(plaintext, 0, plaintext.length, out, NONCE);
        return Base64.getEncoder().encodeToString(out);
    }

    /** The decrypted plaintext bytes of a standard-base64 token. */
    public byte[] open(String token) throws GeneralSecurityException {
        byte[] sealed = Base64.getDecoder().decode(token.trim());
        if (sealed.length < NONCE + TAG_BITS / 8) throw new GeneralSecurityException("token too short");
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE));
        return cipher.doFinal(sealed, NONCE, sealed.length - NONCE);
    }

    /** Opens a token: AES-GCM, then Jackson (an integer id becomes its decimal text, "" becomes null). */
    public Identity decrypt(String token) throws GeneralSecurityException {
        JsonNode node;
        try {
            node = JSON.readTree(open(token));
        } catch (java.io.IOException e) {
            throw new GeneralSecurityException("peer JSON failed", e);
        }
        JsonNode id = node.get("id");
        if (id == null || !(id.isTextual() || id.isIntegralNumber())) throw new GeneralSecurityException("no id");
        return new Identity(id.asText(), text(node.get("name")), text(node.get("email")));
    }

    private static String text(JsonNode value) {
        if (value == null || value.isNull()) return null;
        String s = value.asText();
        return s.isEmpty() ? null : s;
    }

    /** The plaintext as text, for messages. */
    public static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Bytes from hex text. */
    public static byte[] hex(String hex) {
        byte[] out = new byte[hex.length() / 2];
        for (int i = 0; i < out.length; i++) out[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        return out;
    }

    @Override
    public String toString() {
        return "JcaPeer(<redacted>)";
    }
}
