package io.ebm.core.budget;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.Map;

/**
 * A snapshot as JSON: the {@code slos[]} entries of {@code evaluate}, and the payload the calculator stores.
 * Field by field, in a fixed order; the README lists the fields.
 */
public final class SnapshotJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();

    private SnapshotJson() {
    }

    public static String toText(Snapshot s) {
        try {
            return JSON.writeValueAsString(toJson(s));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ObjectNode toJson(Snapshot s) {
        ObjectNode n = NODES.objectNode();
        n.put("name", s.name());
        n.put("service", s.service());
        putNumber(n, "target", s.target());
        n.put("budgetingMethod", s.budgetingMethod());
        n.put("window", s.window());
        n.put("evaluatedAt", s.evaluatedAt().toString());
        n.put("windowStart", s.windowStart().toString());
        n.put("windowEnd", s.windowEnd().toString());
        n.put("periodMinutes", s.periodMinutes());
        putNumber(n, "sli", s.sli());
        n.put("status", s.status().name());
        n.put("statusReason", s.statusReason());
        ObjectNode events = n.putObject("events");
        events.put("good", s.goodEvents());
        events.put("total", s.totalEvents());
        ObjectNode budget = n.putObject("budget");
        budget.put("unit", s.budgetUnit());
        budget.put("total", s.budgetTotal().doubleValue());
        budget.put("consumed", s.budgetConsumed().doubleValue());
        budget.put("remaining", s.budgetRemaining().doubleValue());
        putNumber(budget, "consumedFraction", s.consumedFraction());
        putNumber(budget, "remainingFraction", s.remainingFraction());
        putNumber(budget, "remainingMinutes", s.remainingMinutes());
        // the exact decimals behind the numbers above, for audits and for reading a stored snapshot back
        budget.put("totalExact", s.budgetTotal().toPlainString());
        budget.put("consumedExact", s.budgetConsumed().toPlainString());
        ObjectNode burn = n.putObject("burnRates");
        for (Map.Entry<String, Double> e : s.burnRates().entrySet()) {
            putNumber(burn, e.getKey(), e.getValue());
        }
        ArrayNode alerts = n.putArray("alerts");
        for (Snapshot.TierResult a : s.alerts()) {
            ObjectNode t = alerts.addObject();
            t.put("tier", a.tier().name());
            t.put("severity", a.tier().severity());
            t.put("longWindow", io.ebm.core.slo.DurationShorthand.ofMinutes(a.tier().longWindowMinutes()));
            t.put("shortWindow", io.ebm.core.slo.DurationShorthand.ofMinutes(a.tier().shortWindowMinutes()));
            t.put("factor", a.factor());
            putNumber(t, "longBurnRate", a.longBurnRate());
            putNumber(t, "shortBurnRate", a.shortBurnRate());
            t.put("firing", a.firing());
        }
        if (s.timeToExhaustion() == null) {
            n.putNull("timeToExhaustion");
        } else {
            n.put("timeToExhaustion", s.timeToExhaustion().toString());
        }
        n.put("noDataAlert", s.noDataAlert());
        if (s.lastDataAt() == null) {
            n.putNull("lastDataAt");
        } else {
            n.put("lastDataAt", s.lastDataAt().toString());
        }
        return n;
    }

    /** Reads back what {@link #toText} wrote. */
    public static Snapshot fromText(String text) {
        JsonNode n;
        try {
            n = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("stored snapshot is not JSON: " + e.getOriginalMessage(), e);
        }
        java.util.Map<String, Double> burnRates = new java.util.LinkedHashMap<>();
        n.path("burnRates").fields().forEachRemaining(e -> burnRates.put(e.getKey(), doubleOrNull(e.getValue())));
        java.util.List<Snapshot.TierResult> alerts = new java.util.ArrayList<>();
        for (JsonNode a : n.path("alerts")) {
            io.ebm.core.alert.AlertTier tier = new io.ebm.core.alert.AlertTier(a.path("tier").asText(),
                    a.path("severity").asText(),
                    io.ebm.core.slo.DurationShorthand.parse(a.path("longWindow").asText()).toMinutes(),
                    io.ebm.core.slo.DurationShorthand.parse(a.path("shortWindow").asText()).toMinutes(),
                    null, BigDecimal.valueOf(a.path("factor").asDouble()), 0, true);
            alerts.add(new Snapshot.TierResult(tier, a.path("factor").asDouble(), doubleOrNull(a.path("longBurnRate")),
                    doubleOrNull(a.path("shortBurnRate")), a.path("firing").asBoolean()));
        }
        JsonNode budget = n.path("budget");
        return new Snapshot(n.path("name").asText(), n.path("service").asText(),
                n.path("target").isNumber() ? n.path("target").decimalValue() : null,
                n.path("budgetingMethod").asText(), n.path("window").asText(),
                java.time.Instant.parse(n.path("evaluatedAt").asText()),
                java.time.Instant.parse(n.path("windowStart").asText()),
                java.time.Instant.parse(n.path("windowEnd").asText()), n.path("periodMinutes").asLong(),
                n.path("events").path("good").asLong(), n.path("events").path("total").asLong(),
                doubleOrNull(n.path("sli")), budget.path("unit").asText(),
                new BigDecimal(budget.path("totalExact").asText()), new BigDecimal(budget.path("consumedExact").asText()),
                burnRates, alerts,
                n.path("timeToExhaustion").isTextual() ? java.time.Duration.parse(n.path("timeToExhaustion").asText()) : null,
                BudgetStatus.valueOf(n.path("status").asText()), n.path("statusReason").asText(),
                n.path("noDataAlert").asBoolean(),
                n.path("lastDataAt").isTextual() ? java.time.Instant.parse(n.path("lastDataAt").asText()) : null);
    }

    private static Double doubleOrNull(JsonNode v) {
        return v == null || !v.isNumber() ? null : v.asDouble();
    }

    private static void putNumber(ObjectNode n, String key, Double v) {
        if (v == null) {
            n.putNull(key);
        } else {
            n.put(key, v);
        }
    }

    private static void putNumber(ObjectNode n, String key, BigDecimal v) {
        if (v == null) {
            n.putNull(key);
        } else {
            n.put(key, v.stripTrailingZeros());
        }
    }
}
