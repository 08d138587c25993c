package ai.teamweb.identity.bench;

import ai.teamweb.identity.IdentityKey;
import ai.teamweb.identity.IdentityKeyring;
import ai.teamweb.identity.TeamwebIdentity;
import ai.teamweb.identity.UserIdentity;
import ai.teamweb.identity.peer.JcaPeer;
import ai.teamweb.identity.testing.Testing;
import java.security.GeneralSecurityException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Every public call of the package against the plain JCA snippet it replaces
 * (fresh {@code Cipher} per call, shared {@code SecureRandom}, Jackson JSON),
 * in the same process.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TokenBench {
    static final String SECRET = "q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80=";
    static final UserIdentity ALICE = new UserIdentity("user_123", "Alice", "alice@example.com");
    static final String SRC = "https://teamweb.example/static/js/chat-widget.js";
    static final byte[] NONCE = new byte[12];

    private IdentityKey key;
    private JcaPeer peer;
    private String token;
    private IdentityKeyring ring;
    private JcaPeer newPeer;
    private JcaPeer oldPeer;
    private String oldToken;

    @Setup
    public void setUp() throws Exception {
        key = IdentityKey.fromBase64(SECRET);
        peer = new JcaPeer(SECRET);
        token = key.encrypt(ALICE);
        IdentityKey newKey = IdentityKey.generate();
        IdentityKey old = IdentityKey.generate();
        ring = new IdentityKeyring(newKey, old);
        newPeer = new JcaPeer(newKey.secretBase64());
        oldPeer = new JcaPeer(old.secretBase64());
        oldToken = old.encrypt(ALICE);
    }

    @TearDown
    public void tearDown() {
        key.close();
        ring.close();
    }

    /** The JCA side's HTML attribute escaping, as a Java page would write it. */
    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#x27;");
    }

    // IdentityKey

    @Benchmark
    public String packageEncrypt() {
        return key.encrypt(ALICE);
    }

    @Benchmark
    public String jcaEncrypt() throws GeneralSecurityException {
        return peer.encrypt(ALICE.getId(), ALICE.getName(), ALICE.getEmail());
    }


    @Benchmark
    public UserIdentity packageDecrypt() {
        return key.decrypt(token);
    }

    @Benchmark
    public JcaPeer.Identity jcaDecrypt() throws GeneralSecurityException {
        return peer.decrypt(token);
    }


    // IdentityKeyring of two keys, during a rotation

    @Benchmark
    public String keyringEncrypt() {
        return ring.encrypt(ALICE);
    }

    @Benchmark
    public String jcaKeyringEncrypt() throws GeneralSecurityException {
        return newPeer.encrypt(ALICE.getId(), ALICE.getName(), ALICE.getEmail());
    }


    /** A token of the keyring's second (old) key: the first key fails first. */
    @Benchmark
    public UserIdentity keyringDecryptOldKey() {
        return ring.decrypt(oldToken);
    }

    @Benchmark
    public JcaPeer.Identity jcaKeyringDecryptOldKey() throws GeneralSecurityException {
        try {
            return newPeer.decrypt(oldToken);
        } catch (javax.crypto.AEADBadTagException e) {
            return oldPeer.decrypt(oldToken);
        }
    }


    // One-shots: the secret is parsed on every call, on both sides

    @Benchmark
    public String oneShotEncrypt() {
        return TeamwebIdentity.encryptUserToken(SECRET, ALICE);
    }

    @Benchmark
    public String jcaOneShotEncrypt() throws GeneralSecurityException {
        return new JcaPeer(SECRET).encrypt(ALICE.getId(), ALICE.getName(), ALICE.getEmail());
    }


    @Benchmark
    public UserIdentity oneShotDecrypt() {
        return TeamwebIdentity.decryptUserToken(SECRET, token);
    }

    @Benchmark
    public JcaPeer.Identity jcaOneShotDecrypt() throws GeneralSecurityException {
        return new JcaPeer(SECRET).decrypt(token);
    }


    // The script tag: a page handler makes a token and puts it on the tag

    @Benchmark
    public String scriptTag() {
        return TeamwebIdentity.widgetScriptTag(SRC, "123", key.encrypt(ALICE));
    }

    @Benchmark
    public String jcaScriptTag() throws GeneralSecurityException {
        String t = peer.encrypt(ALICE.getId(), ALICE.getName(), ALICE.getEmail());
        return "<script src=\"" + escape(SRC) + "\" data-assistant-id=\"" + escape("123") + "\" data-user-token=\"" + escape(t) + "\"></script>";
    }


    /** The tag alone, for the record (no JCA counterpart: plain string escaping). */
    @Benchmark
    public String scriptTagOnly() {
        return TeamwebIdentity.widgetScriptTag(SRC, "123", token);
    }

    // The testing call: a fixed nonce

    @Benchmark
    public String testingEncryptWithNonce() {
        return Testing.encryptWithNonce(key, NONCE, ALICE);
    }

    @Benchmark
    public String jcaEncryptWithNonce() throws GeneralSecurityException {
        return peer.encryptWithNonce(NONCE, JcaPeer.plaintext(ALICE.getId(), ALICE.getName(), ALICE.getEmail()));
    }

}
