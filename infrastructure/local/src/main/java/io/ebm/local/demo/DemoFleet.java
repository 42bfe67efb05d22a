package io.ebm.local.demo;

import io.ebm.core.openslo.OpenSloLoader;
import io.ebm.core.policy.Policy;
import io.ebm.core.policy.PolicyLoader;
import io.ebm.core.slo.Slo;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The SLOs the demo runs: the sample SLOs of events/slos (packaged into the jar), and as many more per-operation
 * SLOs of the same services as it takes to reach the requested count. Every one is OpenSLO text that goes
 * through the loader, and every one reads CloudWatch metrics, so the collector has queries to send.
 */
public record DemoFleet(Map<String, String> sloTexts, List<Slo> slos, int generated, String policyName,
                        String policyText, Policy policy) {

    /** The sample files, in the order they are loaded. */
    static final List<String> SAMPLE_FILES = List.of("checkout-api.yaml", "checkout-journey.yaml", "payments.yaml",
            "search.yaml");
    static final String POLICY_FILE = "default-policy.yaml";

    /** The operations of each sample service that get an SLO of their own, in turn. */
    static final Map<String, List<String>> OPERATIONS = Map.of(
            "checkout-api", List.of("cart", "shipping-quote", "tax", "coupons", "order-status", "address-check"),
            "search", List.of("suggest", "results", "facets", "images", "spellcheck"),
            "payments", List.of("authorize", "capture", "refund", "webhooks", "fraud-check"),
            "checkout-journey", List.of("basket", "confirm", "receipt"));
    static final List<String> SERVICES = List.of("checkout-api", "search", "payments", "checkout-journey");

    /** Generated SLOs per definition file. */
    static final int PER_FILE = 100;

    /** The SLOs of the sample files: the generated ones make up the rest of a fleet. */
    static final int SAMPLE_SLOS = 5;

    /**
     * How many SLOs are generated for a fleet of {@code sloCount}: known before the definitions are parsed, so
     * that their traffic can be made meanwhile.
     *
     * @throws IllegalArgumentException when the fleet is smaller than the samples
     */
    public static int generatedFor(int sloCount) {
        if (sloCount < SAMPLE_SLOS) {
            throw new IllegalArgumentException("the demo needs at least the " + SAMPLE_SLOS + " sample SLOs, asked for "
                    + sloCount);
        }
        return sloCount - SAMPLE_SLOS;
    }

    /** The samples and generated SLOs up to {@code sloCount} SLOs in all, parsed once. */
    public static DemoFleet of(int sloCount) {
        Map<String, String> texts = new LinkedHashMap<>();
        for (String f : SAMPLE_FILES) {
            texts.put(f, resource("demo/slos/" + f));
        }
        // a definition file holds at most 256 KiB: the generated SLOs go 100 to a file
        int generated = generatedFor(sloCount);
        for (int first = 0; first < generated; first += PER_FILE) {
            StringBuilder text = new StringBuilder();
            for (int i = first; i < Math.min(generated, first + PER_FILE); i++) {
                text.append(generatedSlo(i));
            }
            texts.put(generated <= PER_FILE ? "operations.yaml"
                    : String.format(Locale.ROOT, "operations-%03d.yaml", first / PER_FILE + 1), text.toString());
        }
        List<Slo> slos = OpenSloLoader.loadTexts(texts).slos();
        if (slos.size() != sloCount) {
            throw new IllegalStateException("the sample files hold " + (slos.size() - generated) + " SLOs, not "
                    + SAMPLE_SLOS);
        }
        String policyText = resource("demo/policies/" + POLICY_FILE);
        return new DemoFleet(texts, slos, generated, POLICY_FILE, policyText, PolicyLoader.loadText(POLICY_FILE, policyText));
    }

    /** The series name of generated SLO {@code i}: also its SLO name. */
    public static String generatedName(int i) {
        String service = SERVICES.get(i % SERVICES.size());
        List<String> ops = OPERATIONS.get(service);
        int round = i / SERVICES.size();
        String op = ops.get(round % ops.size());
        int copy = round / ops.size();
        return service + "-" + op + (copy == 0 ? "" : "-" + (copy + 1)) + (i % 2 == 0 ? "-availability" : "-latency");
    }

    /** Availability SLOs count 5xx against requests (99.9% over 30 days); latency SLOs count fast requests (99%, 28 days). */
    private static String generatedSlo(int i) {
        String name = generatedName(i);
        String service = SERVICES.get(i % SERVICES.size());
        boolean availability = i % 2 == 0;
        String roleA = availability ? "bad" : "good";
        String metricA = availability ? "Errors5xx" : "FastRequests";
        return String.format(Locale.ROOT, """
                ---
                apiVersion: openslo/v1
                kind: SLO
                metadata:
                  name: %1$s
                spec:
                  description: generated by ebm demo
                  service: %2$s
                  indicator:
                    metadata:
                      name: %1$s-sli
                    spec:
                      ratioMetric:
                        counter: false
                        %3$s:
                          metricSource:
                            type: CloudWatch
                            spec:
                              namespace: Demo/%2$s
                              metricName: %4$s
                              dimensions:
                                Operation: %1$s
                              stat: Sum
                        total:
                          metricSource:
                            type: CloudWatch
                            spec:
                              namespace: Demo/%2$s
                              metricName: Requests
                              dimensions:
                                Operation: %1$s
                              stat: Sum
                  timeWindow:
                    - duration: %5$s
                      isRolling: true
                  budgetingMethod: Occurrences
                  objectives:
                    - target: %6$s
                """, name, service, roleA, metricA, availability ? "30d" : "28d", availability ? "0.999" : "0.99");
    }

    private static String resource(String path) {
        try (InputStream in = DemoFleet.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("the jar has no " + path + ": build it with mvn package");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
