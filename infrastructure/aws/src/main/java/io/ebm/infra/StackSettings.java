package io.ebm.infra;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What a deployment can change, with the defaults docs/aws.md documents. Every value comes from CDK context
 * ({@code cdk deploy -c ebm:runtime=java17}) or {@code cdk.json}.
 *
 * @param definitions    directory of OpenSLO files, loaded into the store on deploy
 * @param policy         the error-budget policy file, stored as {@code policy/<file name>}
 * @param functions      directory holding the function modules (their shaded jars in {@code <name>/target})
 * @param runtime        {@code java17} or {@code java21}
 * @param memoryMb       per function name; functions not named get 1024
 * @param timeoutSeconds per function name; functions not named get 60
 * @param pipelines      CodePipeline pipelines the policy may freeze and answer, besides those the policy names
 * @param alarmEmail     where the system's own alarms are mailed (none if blank)
 * @param publicReads    which reads answer without IAM: {@code none}, {@code badges} (the default) or {@code all}
 * @param apiRateLimit   API Gateway's steady request rate, per second
 * @param apiBurstLimit  API Gateway's burst of requests
 * @param burningShare   the burning mode: SLOs whose page tiers' short windows burn at this share of their factor
 *                       are collected and evaluated every minute while they burn; null (the default): off
 */
public record StackSettings(Path definitions, Path policy, Path functions, String runtime, int collectorEveryMinutes,
                            int calculatorEveryMinutes, int logRetentionDays, Map<String, Integer> memoryMb,
                            Map<String, Integer> timeoutSeconds, List<String> pipelines, String alarmEmail,
                            String publicReads, int apiRateLimit, int apiBurstLimit, Double burningShare) {

    public static final List<String> RUNTIMES = List.of("java17", "java21");
    public static final List<String> PUBLIC_READS = List.of("none", "badges", "all");

    public StackSettings {
        if (!RUNTIMES.contains(runtime)) {
            throw new IllegalArgumentException("ebm:runtime must be one of " + RUNTIMES + ", got " + runtime);
        }
        if (collectorEveryMinutes < 1 || calculatorEveryMinutes < 1) {
            throw new IllegalArgumentException("ebm:collectorEveryMinutes and ebm:calculatorEveryMinutes must be at "
                    + "least 1, got " + collectorEveryMinutes + " and " + calculatorEveryMinutes);
        }
        if (!PUBLIC_READS.contains(publicReads)) {
            throw new IllegalArgumentException("ebm:publicReads must be one of " + PUBLIC_READS + ", got " + publicReads);
        }
        if (apiRateLimit < 1 || apiBurstLimit < 1) {
            throw new IllegalArgumentException("ebm:apiRateLimit and ebm:apiBurstLimit must be at least 1, got "
                    + apiRateLimit + " and " + apiBurstLimit);
        }
        if (burningShare != null && !(burningShare > 0 && burningShare <= 1)) {
            throw new IllegalArgumentException("ebm:burningShare must be a share above 0 and at most 1, got "
                    + burningShare);
        }
        memoryMb = Map.copyOf(memoryMb);
        timeoutSeconds = Map.copyOf(timeoutSeconds);
        pipelines = List.copyOf(pipelines);
    }

    /** Settings from a context lookup (name to value, null when absent), relative paths from the working directory. */
    public static StackSettings from(Function<String, Object> context) {
        return new StackSettings(
                Path.of(text(context, "ebm:definitions", "../../events/slos")),
                Path.of(text(context, "ebm:policy", "../../events/policies/default-policy.yaml")),
                Path.of(text(context, "ebm:functions", "../../functions")),
                text(context, "ebm:runtime", "java21"),
                number(context, "ebm:collectorEveryMinutes", 5),
                number(context, "ebm:calculatorEveryMinutes", 5),
                number(context, "ebm:logRetentionDays", 30),
                Map.of("sli-collector", number(context, "ebm:collectorMemoryMb", 1024),
                        "budget-calculator", number(context, "ebm:calculatorMemoryMb", 2048),
                        "policy-engine", number(context, "ebm:policyMemoryMb", 1024),
                        "status-api", number(context, "ebm:statusMemoryMb", 1024)),
                Map.of("sli-collector", number(context, "ebm:collectorTimeoutSeconds", 120),
                        "budget-calculator", number(context, "ebm:calculatorTimeoutSeconds", 300),
                        "policy-engine", number(context, "ebm:policyTimeoutSeconds", 60),
                        "status-api", number(context, "ebm:statusTimeoutSeconds", 15)),
                List.of(text(context, "ebm:pipelines", "").split(",")).stream().map(String::strip)
                        .filter(s -> !s.isEmpty()).toList(),
                text(context, "ebm:alarmEmail", ""),
                text(context, "ebm:publicReads", "badges"),
                number(context, "ebm:apiRateLimit", 50),
                number(context, "ebm:apiBurstLimit", 100),
                share(context, "ebm:burningShare"));
    }

    private static Double share(Function<String, Object> context, String key) {
        Object v = context.apply(key);
        if (v == null || String.valueOf(v).isBlank()) {
            return null;
        }
        try {
            return v instanceof Number n ? n.doubleValue() : Double.parseDouble(String.valueOf(v).strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("context " + key + " must be a number, got '" + v + "'");
        }
    }

    int memory(String function) {
        return memoryMb.getOrDefault(function, 1024);
    }

    int timeout(String function) {
        return timeoutSeconds.getOrDefault(function, 60);
    }

    private static String text(Function<String, Object> context, String key, String fallback) {
        Object v = context.apply(key);
        return v == null ? fallback : String.valueOf(v);
    }

    private static int number(Function<String, Object> context, String key, int fallback) {
        Object v = context.apply(key);
        if (v == null) {
            return fallback;
        }
        try {
            return v instanceof Number n ? n.intValue() : Integer.parseInt(String.valueOf(v).strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("context " + key + " must be a whole number, got '" + v + "'");
        }
    }
}
