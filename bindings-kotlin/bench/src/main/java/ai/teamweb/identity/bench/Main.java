package ai.teamweb.identity.bench;

import ai.teamweb.identity.IdentityKey;
import ai.teamweb.identity.IdentityTokenException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The Kotlin/JVM benchmark: the RSS check, then JMH in two rounds (package and
 * JCA benchmarks alternate: each round runs all of them), then the ratios. Writes
 * the rows of target/bench/kotlin.json (path in args[0]).
 */
public final class Main {
    private static final double SPEED_TARGET = 3.0;
    private static final double RSS_TARGET_MIB = 10.0;
    private static final int CALLS = 1_000_000;

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "kotlin.json");
        double measured = rssGrowthMiB();
        double rss = Math.abs(measured) < 0.05 ? 0.0 : measured; // no "-0.0"
        System.out.printf(Locale.ROOT, "RSS growth after %,d encrypt+decrypt and GC: %.1f MiB%n", CALLS, rss);

        Map<String, List<Double>> scores = new HashMap<>();
        for (int round = 1; round <= 2; round++) {
            System.out.println("== JMH round " + round);
            for (RunResult r : new Runner(options()).run()) {
                String name = r.getParams().getBenchmark().replaceAll(".*\\.", "");
                scores.computeIfAbsent(name, k -> new ArrayList<>()).add(r.getPrimaryResult().getScore());
            }
        }
        double pe = mean(scores.get("packageEncrypt")), je = mean(scores.get("jcaEncrypt"));
        double pd = mean(scores.get("packageDecrypt")), jd = mean(scores.get("jcaDecrypt"));
        System.out.printf(Locale.ROOT, "encrypt: package %.0f ns, JCA %.0f ns: %.2fx%n", pe, je, je / pe);
        System.out.printf(Locale.ROOT, "decrypt: package %.0f ns, JCA %.0f ns: %.2fx%n", pd, jd, jd / pd);
        double ke = mean(scores.get("keyringEncrypt")), kd = mean(scores.get("keyringDecryptOldKey"));
        double tag = mean(scores.get("scriptTag"));
        System.out.printf(Locale.ROOT, "keyring of 2: encrypt %.0f ns, decrypt of the old key's token %.0f ns; script tag %.0f ns%n", ke, kd, tag);
        double bare = mean(scores.get("uniffiBareCall"));
        System.out.printf(Locale.ROOT, "a bare uniffi-generated method call (returns an Int, no data): %.0f ns%n", bare);

        List<String> rows = List.of(
            speedRow("encrypt vs JCA (AES/GCM/NoPadding + Jackson)", je / pe),
            speedRow("decrypt vs JCA (AES/GCM/NoPadding + Jackson)", jd / pd),
            row("keyring of 2: encrypt / decrypt of the second key's token", String.format(Locale.ROOT, "%.2f / %.2f us", ke / 1000, kd / 1000), "(info)", true),
            row("widgetScriptTag", String.format(Locale.ROOT, "%.2f us", tag / 1000), "(info)", true),
            row("bare uniffi-generated call, for comparison (why the per-request calls bypass it)", String.format(Locale.ROOT, "%.0f ns", bare), "(info)", true),
            row("RSS growth, 1,000,000 encrypt+decrypt", String.format(Locale.ROOT, "%.1f MiB", rss),
                String.format(Locale.ROOT, "< %.0f MiB", RSS_TARGET_MIB), rss < RSS_TARGET_MIB));
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, "[\n" + String.join(",\n", rows) + "\n]\n", StandardCharsets.UTF_8);
        System.out.println("wrote " + out);
    }

    private static Options options() {
        return new OptionsBuilder()
            .include(TokenBench.class.getName())
            .forks(1)
            .warmupIterations(2)
            .warmupTime(TimeValue.seconds(1))
            .measurementIterations(3)
            .measurementTime(TimeValue.seconds(1))
            .jvmArgs("-Xms256m", "-Xmx256m")
            .build();
    }

    /** RSS growth over CALLS encrypt+decrypt calls with one key, measured after a warm-up and GC each time. */
    private static double rssGrowthMiB() throws IdentityTokenException, IOException, InterruptedException {
        try (IdentityKey key = IdentityKey.fromBase64(TokenBench.SECRET)) {
            churn(key, 100_000);
            long before = settledRssKiB();
            churn(key, CALLS);
            long after = settledRssKiB();
            return (after - before) / 1024.0;
        }
    }

    private static void churn(IdentityKey key, int calls) throws IdentityTokenException {
        for (int i = 0; i < calls; i++) {
            if (!key.decrypt(key.encrypt(TokenBench.ALICE)).equals(TokenBench.ALICE)) throw new AssertionError("round trip");
        }
    }

    private static long settledRssKiB() throws IOException, InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
        throw new IOException("no VmRSS in /proc/self/status");
    }

    private static double mean(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }

    private static String speedRow(String metric, double ratio) {
        String value = ratio >= 1 ? String.format(Locale.ROOT, "%.1fx faster", ratio)
            : String.format(Locale.ROOT, "%.0fx slower", 1 / ratio);
        return row(metric, value,
            String.format(Locale.ROOT, ">= %.0fx faster", SPEED_TARGET), ratio >= SPEED_TARGET);
    }

    private static String row(String metric, String value, String target, boolean ok) {
        return String.format(Locale.ROOT,
            " {\"package\": \"kotlin\", \"metric\": \"%s\", \"value\": \"%s\", \"target\": \"%s\", \"ok\": %s}",
            metric, value, target, ok);
    }
}
