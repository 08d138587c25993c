package ai.teamweb.identity.bench;

import ai.teamweb.identity.IdentityKey;
import ai.teamweb.identity.IdentityKeyring;
import ai.teamweb.identity.TeamwebIdentity;
import ai.teamweb.identity.IdentityTokenException;
import ai.teamweb.identity.UserIdentity;
import ai.teamweb.identity.ffi.FfiKey;
import ai.teamweb.identity.ffi.FfiKeyring;
import ai.teamweb.identity.peer.JcaPeer;
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
 * One identity, one key: the package's encrypt/decrypt against plain JCA
 * (fresh {@code Cipher} per call, shared {@code SecureRandom}, Jackson JSON).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TokenBench {
    static final String SECRET = "q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80=";
    static final UserIdentity ALICE = new UserIdentity("user_123", "Alice", "alice@example.com");

    private IdentityKey key;
    private JcaPeer peer;
    private String token;
    private FfiKeyring bare;
    private IdentityKeyring ring;
    private String oldToken;

    @Setup
    public void setUp() throws IdentityTokenException {
        key = IdentityKey.fromBase64(SECRET);
        peer = new JcaPeer(SECRET);
        token = key.encrypt(ALICE);
        bare = new FfiKeyring(java.util.List.of(FfiKey.Companion.generate()));
        IdentityKey old = IdentityKey.generate();
        ring = new IdentityKeyring(IdentityKey.generate(), old);
        oldToken = old.encrypt(ALICE);
    }

    @TearDown
    public void tearDown() {
        key.close();
        bare.close();
        ring.close();
    }

    /**
     * Why encrypt/decrypt take the fast path: the cheapest call through
     * uniffi's generated Kotlin (a method returning an Int: two FFI crossings,
     * clone-handle and the call, each with a JNA call-status Structure, and
     * no RustBuffer).
     */
    @Benchmark
    public int uniffiBareCall() {
        return bare.size();
    }

    @Benchmark
    public String packageEncrypt() throws IdentityTokenException {
        return key.encrypt(ALICE);
    }

    @Benchmark
    public String jcaEncrypt() throws GeneralSecurityException {
        return peer.encrypt(ALICE.getId(), ALICE.getName(), ALICE.getEmail());
    }

    @Benchmark
    public UserIdentity packageDecrypt() throws IdentityTokenException {
        return key.decrypt(token);
    }

    @Benchmark
    public JcaPeer.Identity jcaDecrypt() throws GeneralSecurityException {
        return peer.decrypt(token);
    }

    /** A keyring during a rotation: encrypts with its first key. */
    @Benchmark
    public String keyringEncrypt() throws IdentityTokenException {
        return ring.encrypt(ALICE);
    }

    /** A token of the keyring's second (old) key: the first key fails first. */
    @Benchmark
    public UserIdentity keyringDecryptOldKey() throws IdentityTokenException {
        return ring.decrypt(oldToken);
    }

    @Benchmark
    public String scriptTag() {
        return TeamwebIdentity.widgetScriptTag("https://teamweb.example/static/js/chat-widget.js", "123", token);
    }
}
