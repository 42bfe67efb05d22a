package io.ebm.aws.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * Fan-out of one calculation tick: the SLO names cut into shards, one SQS message each
 * ({@code {"at": "...", "slos": [...]}}), so that each shard is evaluated, and retried, on its own.
 */
public final class Shards {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One shard: the SLOs to evaluate at one instant. */
    public record Shard(Instant at, List<String> slos) {
        public Shard {
            slos = List.copyOf(slos);
        }

        public String toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("at", at.toString());
            m.put("slos", slos);
            try {
                return JSON.writeValueAsString(m);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }

        public static Shard fromJson(String body) {
            try {
                JsonNode n = JSON.readTree(body);
                List<String> slos = new ArrayList<>();
                n.path("slos").forEach(s -> slos.add(s.asText()));
                if (!n.path("at").isTextual() || slos.isEmpty()) {
                    throw new IllegalArgumentException("expected {\"at\": instant, \"slos\": [names]}, got " + body);
                }
                return new Shard(Instant.parse(n.get("at").asText()), slos);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("shard message is not JSON: " + body, e);
            }
        }
    }

    private Shards() {
    }

    /** {@code names} in order, cut into shards of at most {@code size}. */
    public static List<Shard> of(Instant at, List<String> names, int size) {
        List<Shard> out = new ArrayList<>();
        for (int i = 0; i < names.size(); i += size) {
            out.add(new Shard(at, names.subList(i, Math.min(names.size(), i + size))));
        }
        return out;
    }

    /** Sends the shards in SendMessageBatch requests of ten; a refused entry is an exception naming it. */
    public static void send(SqsClient sqs, String queueUrl, List<Shard> shards) {
        for (int i = 0; i < shards.size(); i += 10) {
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int j = i; j < Math.min(shards.size(), i + 10); j++) {
                entries.add(SendMessageBatchRequestEntry.builder().id("shard-" + j).messageBody(shards.get(j).toJson())
                        .build());
            }
            SendMessageBatchResponse r = sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
            if (!r.failed().isEmpty()) {
                throw new IllegalStateException("SQS refused " + r.failed().size() + " shard messages, first: "
                        + r.failed().get(0).id() + " " + r.failed().get(0).message());
            }
        }
    }
}
