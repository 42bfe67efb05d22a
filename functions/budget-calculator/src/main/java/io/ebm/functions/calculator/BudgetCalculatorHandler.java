package io.ebm.functions.calculator;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.ebm.aws.dynamodb.DynamoDbBudgetStore;
import io.ebm.aws.lambda.ScheduledTime;
import io.ebm.aws.messaging.EventBridgeStatusEvents;
import io.ebm.aws.messaging.Shards;
import io.ebm.aws.messaging.SnsAlertNotifier;
import io.ebm.core.alert.AlertTier;
import io.ebm.core.budget.EvaluationSettings;
import io.ebm.core.port.AlertNotifier;
import io.ebm.core.port.StatusEvents;
import io.ebm.core.port.StructuredLog;
import io.ebm.core.slo.Slo;
import io.ebm.core.store.BudgetStore;
import io.ebm.engine.StoredDefinitions;
import io.ebm.engine.calculator.Burning;
import io.ebm.engine.calculator.Calculator;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The budget calculator. An EventBridge schedule invokes it; with more SLOs than {@code MAX_SLOS_PER_INVOCATION}
 * it sends them as shards to {@code SHARD_QUEUE_URL}, and the same function consumes that queue with partial
 * batch responses, so that a failing shard is retried alone. Evaluators stay warm in the container.
 *
 * <p>Environment: {@code TABLE_NAME}, {@code ALERT_TOPIC_ARN}, {@code EVENT_BUS_NAME} (default), {@code STATUS_URL},
 * {@code SHARD_QUEUE_URL}, {@code MAX_SLOS_PER_INVOCATION} (500), {@code OVERLAP_MINUTES} (33),
 * {@code CACHE_BUDGETS} (10000: about 90 KB each, 0.9 GB of the 2 GB container), {@code STALE_AFTER_MINUTES} (30),
 * {@code BURNING_SHARE} (none: the burning mode off). With it, every run marks the budgets whose page tiers' short
 * windows burn at that share of their factor, and an event with {@code "burning": true} (the one-minute schedule)
 * evaluates only the SLOs marked.
 */
public final class BudgetCalculatorHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    /** Built once per container, on the first invocation's cold start. */
    private static final class Container {
        static final StructuredLog LOG = StructuredLog.to(System.out);
        static final BudgetStore STORE = new DynamoDbBudgetStore(DynamoDbClient.builder()
                .httpClient(UrlConnectionHttpClient.create()).build(), System.getenv("TABLE_NAME"));
        static final SnsClient SNS = SnsClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
        static final EventBridgeClient EVENTS = EventBridgeClient.builder()
                .httpClient(UrlConnectionHttpClient.create()).build();
        static final SqsClient SQS = SqsClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
    }

    private final BudgetStore store;
    private final Calculator calculator;
    private final Consumer<List<Shards.Shard>> fanOut;
    private final int maxPerInvocation;
    private final StructuredLog log;
    private final Clock clock;

    public BudgetCalculatorHandler() {
        this(Container.STORE, new SnsAlertNotifier(Container.SNS, System.getenv("ALERT_TOPIC_ARN")),
                new EventBridgeStatusEvents(Container.EVENTS, env("EVENT_BUS_NAME", "default")),
                System.getenv("SHARD_QUEUE_URL") == null ? null
                        : shards -> Shards.send(Container.SQS, System.getenv("SHARD_QUEUE_URL"), shards),
                new Calculator.Options(new EvaluationSettings(new BigDecimal("0.25"), 0, 60,
                        Long.parseLong(env("STALE_AFTER_MINUTES", "30"))), AlertTier.WORKBOOK_DEFAULTS,
                        System.getenv("STATUS_URL"), overlapMinutes(),
                        Integer.parseInt(env("CACHE_BUDGETS", "10000")), burningShare()),
                Integer.parseInt(env("MAX_SLOS_PER_INVOCATION", "500")), Container.LOG, Clock.systemUTC());
    }

    /** DynamoDB leaves a collector's usual tick unnoted: the calculator must read at least that much again. */
    static long overlapMinutes() {
        long overlap = Long.parseLong(env("OVERLAP_MINUTES", "33"));
        if (overlap < Calculator.MIN_OVERLAP_MINUTES) {
            throw new IllegalArgumentException("OVERLAP_MINUTES must be at least " + Calculator.MIN_OVERLAP_MINUTES
                    + " over DynamoDB (recent writes are not noted as changes), got " + overlap);
        }
        return overlap;
    }

    BudgetCalculatorHandler(BudgetStore store, AlertNotifier notifier, StatusEvents events,
                            Consumer<List<Shards.Shard>> fanOut, Calculator.Options options, int maxPerInvocation,
                            StructuredLog log, Clock clock) {
        this.store = store;
        this.calculator = new Calculator(store, notifier, events, options, log);
        this.fanOut = fanOut;
        this.maxPerInvocation = maxPerInvocation;
        this.log = log;
        this.clock = clock;
    }

    /** {@code BURNING_SHARE}: the share of a page tier's factor at which a budget is marked burning; none: off. */
    private static Double burningShare() {
        String v = env("BURNING_SHARE", "");
        return v.isEmpty() ? null : Double.valueOf(v);
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v.strip();
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        if (event != null && event.get("Records") instanceof List<?> records) {
            return shards(records);
        }
        return schedule(ScheduledTime.of(event, clock, log), ScheduledTime.burning(event));
    }

    private Map<String, Object> schedule(Instant at, boolean burning) {
        List<Slo> defined = StoredDefinitions.load(store, log);
        // the burning mode's one-minute run: only the SLOs marked as burning (few, so never sharded)
        List<Slo> slos = burning ? Burning.of(store, defined) : defined;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("at", at.toString());
        out.put("burning", burning);
        out.put("slos", slos.size());
        if (!burning && slos.size() > maxPerInvocation && fanOut != null) {
            List<Shards.Shard> shards = Shards.of(at, slos.stream().map(Slo::name).toList(), maxPerInvocation);
            fanOut.accept(shards);
            out.put("shards", shards.size());
            return out;
        }
        Calculator.Run run = calculator.run(slos, at, StoredDefinitions.policy(store));
        out.put("snapshotsWritten", run.snapshotsWritten());
        out.put("notices", run.notices());
        out.put("statusEvents", run.statusEvents());
        out.put("stale", run.stale());
        out.put("undelivered", run.undelivered());
        out.put("failed", run.failures());
        return out;
    }

    /** SQS shards, with a partial batch response: only the shards that failed come back. */
    private Map<String, Object> shards(List<?> records) {
        List<Slo> all = StoredDefinitions.load(store, log);
        io.ebm.core.policy.Policy policy = StoredDefinitions.policy(store);
        List<Map<String, String>> failures = new ArrayList<>();
        for (Object o : records) {
            if (!(o instanceof Map<?, ?> record)) {
                continue;
            }
            String id = String.valueOf(record.get("messageId"));
            try {
                Shards.Shard shard = Shards.Shard.fromJson(String.valueOf(record.get("body")));
                List<Slo> mine = all.stream().filter(s -> shard.slos().contains(s.name())).toList();
                List<String> missing = shard.slos().stream()
                        .filter(n -> mine.stream().noneMatch(s -> s.name().equals(n))).toList();
                Calculator.Run run = calculator.run(mine, shard.at(), policy);
                if (!missing.isEmpty() || !run.failures().isEmpty()) {
                    log.error("shard failed; SQS will deliver it again", Map.of("messageId", id,
                            "unknownSlos", missing, "failures", run.failures()));
                    failures.add(Map.of("itemIdentifier", id));
                }
            } catch (RuntimeException e) {
                log.error("shard failed; SQS will deliver it again", Map.of("messageId", id,
                        "reason", String.valueOf(e.getMessage())));
                failures.add(Map.of("itemIdentifier", id));
            }
        }
        return Map.of("batchItemFailures", failures);
    }
}
