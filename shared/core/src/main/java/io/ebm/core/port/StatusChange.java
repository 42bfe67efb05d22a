package io.ebm.core.port;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The detail of an {@code Error Budget Status Changed} event. {@code previousStatus} is null for a budget's
 * first snapshot. The schema is in docs/events.md.
 */
public record StatusChange(String slo, String service, String previousStatus, String status, String reason,
                           Instant evaluatedAt, long snapshotVersion, Double remainingFraction,
                           Map<String, Double> burnRates, List<String> firingTiers) {

    /** The event's detail as docs/events.md gives it; also how the outbox keeps the change until it is sent. */
    public String toJson() {
        ObjectNode o = PortJson.JSON.createObjectNode();
        o.put("slo", slo);
        o.put("service", service);
        o.put("previousStatus", previousStatus);
        o.put("status", status);
        o.put("reason", reason);
        o.put("evaluatedAt", evaluatedAt.toString());
        o.put("snapshotVersion", snapshotVersion);
        o.put("remainingFraction", remainingFraction);
        ObjectNode rates = o.putObject("burnRates");
        burnRates.forEach(rates::put);
        firingTiers.forEach(o.putArray("firingTiers")::add);
        return o.toString();
    }

    /** Reads back what {@link #toJson} wrote. */
    public static StatusChange fromJson(String text) {
        JsonNode o = PortJson.read(text, "status change");
        Map<String, Double> rates = new LinkedHashMap<>();
        o.path("burnRates").fields().forEachRemaining(f -> rates.put(f.getKey(),
                f.getValue().isNull() ? null : f.getValue().asDouble()));
        List<String> tiers = new ArrayList<>();
        o.path("firingTiers").forEach(t -> tiers.add(t.asText()));
        return new StatusChange(o.path("slo").asText(), o.path("service").asText(),
                o.path("previousStatus").isNull() ? null : o.path("previousStatus").asText(), o.path("status").asText(),
                o.path("reason").asText(), Instant.parse(o.path("evaluatedAt").asText()),
                o.path("snapshotVersion").asLong(),
                o.path("remainingFraction").isNull() ? null : o.path("remainingFraction").asDouble(), rates, tiers);
    }
}
