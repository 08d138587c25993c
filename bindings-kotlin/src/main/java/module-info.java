/**
 * ai.teamweb:teamweb-identity: makes and opens TeamWeb AI chat-widget
 * identity tokens.
 *
 * Only the API packages are exported: {@code ai.teamweb.identity} and, for
 * tests, {@code ai.teamweb.identity.testing}. The uniffi-generated bindings
 * ({@code ai.teamweb.identity.ffi}) and the direct calls
 * ({@code ai.teamweb.identity.internal}) are not; JNA may reflect on the
 * generated structures. bindings-kotlin/api/public-api.txt lists every public
 * class and member, and a test compares it with the built jar.
 */
module ai.teamweb.identity {
    requires kotlin.stdlib;
    requires com.sun.jna;

    exports ai.teamweb.identity;
    exports ai.teamweb.identity.testing;

    opens ai.teamweb.identity.ffi to com.sun.jna;
}
