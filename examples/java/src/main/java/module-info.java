/** A Java service using teamweb-identity as a module: only its API packages are readable. */
module ai.teamweb.example.java {
    requires ai.teamweb.identity;
}
