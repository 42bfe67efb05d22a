package io.ebm.core.budget;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.SegmentedStringWriter;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.Map;

/**
 * A snapshot as JSON: the {@code slos[]} entries of {@code evaluate}, and the payload the calculator stores.
 * Field by field, in a fixed order; docs/cli.md lists the fields.
 */
public final class SnapshotJson {

    /**
     * Doubles written and read with Jackson's Schubfach and fast-parse code rather than the JDK 17's: a snapshot
     * holds a few dozen of them, and the JDK's conversion was most of a snapshot's JSON. Both give the shortest
     * text that reads back as the same double.
     */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .build();

    private SnapshotJson() {
    }

    /** Written field by field with a streaming generator: the calculator writes one per budget per run. */
    public static String toText(Snapshot s) {
        // Jackson's own string writer: recycled buffers, no synchronized StringBuffer behind it
        SegmentedStringWriter text = new SegmentedStringWriter(JSON.getFactory()._getBufferRecycler());
        try {
            try (JsonGenerator g = JSON.getFactory().createGenerator(text)) {
                write(g, s);
            }
            return text.getAndClear();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The same fields as a tree, for reports that embed snapshots in a larger document. */
    public static ObjectNode toJson(Snapshot s) {
        try {
            return (ObjectNode) JSON.readTree(toText(s));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void write(JsonGenerator g, Snapshot s) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", s.name());
        g.writeStringField("service", s.service());
        number(g, "target", s.target());
        g.writeStringField("budgetingMethod", s.budgetingMethod());
        g.writeStringField("window", s.window());
        // a snapshot's window usually ends, and its data usually stops, at its own instant: written out once
        String evaluatedAt = s.evaluatedAt().toString();
        g.writeStringField("evaluatedAt", evaluatedAt);
        g.writeStringField("windowStart", s.windowStart().toString());
        g.writeStringField("windowEnd", instant(s.windowEnd(), s.evaluatedAt(), evaluatedAt));
        g.writeNumberField("periodMinutes", s.periodMinutes());
        number(g, "sli", s.sli());
        g.writeStringField("status", s.status().name());
        g.writeStringField("statusReason", s.statusReason());
        g.writeObjectFieldStart("events");
        g.writeNumberField("good", s.goodEvents());
        g.writeNumberField("total", s.totalEvents());
        g.writeEndObject();
        g.writeObjectFieldStart("budget");
        g.writeStringField("unit", s.budgetUnit());
        g.writeNumberField("total", s.budgetTotal().doubleValue());
        g.writeNumberField("consumed", s.budgetConsumed().doubleValue());
        g.writeNumberField("remaining", s.budgetRemaining().doubleValue());
        number(g, "consumedFraction", s.consumedFraction());
        number(g, "remainingFraction", s.remainingFraction());
        number(g, "remainingMinutes", s.remainingMinutes());
        // the exact decimals behind the numbers above, for audits and for reading a stored snapshot back
        g.writeStringField("totalExact", s.budgetTotal().toPlainString());
        g.writeStringField("consumedExact", s.budgetConsumed().toPlainString());
        g.writeEndObject();
        g.writeObjectFieldStart("burnRates");
        for (Map.Entry<String, Double> e : s.burnRates().entrySet()) {
            number(g, e.getKey(), e.getValue());
        }
        g.writeEndObject();
        g.writeArrayFieldStart("alerts");
        for (Snapshot.TierResult a : s.alerts()) {
            g.writeStartObject();
            g.writeStringField("tier", a.tier().name());
            g.writeStringField("severity", a.tier().severity());
            g.writeStringField("longWindow", io.ebm.core.slo.DurationShorthand.ofMinutes(a.tier().longWindowMinutes()));
            g.writeStringField("shortWindow", io.ebm.core.slo.DurationShorthand.ofMinutes(a.tier().shortWindowMinutes()));
            g.writeNumberField("factor", a.factor());
            number(g, "longBurnRate", a.longBurnRate());
            number(g, "shortBurnRate", a.shortBurnRate());
            g.writeBooleanField("firing", a.firing());
            g.writeBooleanField("pending", a.pending());
            g.writeNumberField("shortStep", a.shortStep());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeFieldName("timeToExhaustion");
        if (s.timeToExhaustion() == null) {
            g.writeNull();
        } else {
            g.writeString(s.timeToExhaustion().toString());
        }
        g.writeBooleanField("noDataAlert", s.noDataAlert());
        g.writeFieldName("lastDataAt");
        if (s.lastDataAt() == null) {
            g.writeNull();
        } else {
            g.writeString(instant(s.lastDataAt(), s.evaluatedAt(), evaluatedAt));
        }
        if (s.deployment() != null) {
            io.ebm.core.deploy.DeploymentSpend d = s.deployment();
            g.writeObjectFieldStart("deployment");
            g.writeStringField("pipeline", d.pipeline());
            g.writeStringField("execution", d.execution());
            g.writeStringField("revision", d.revision());
            g.writeStringField("stage", d.stage());
            g.writeStringField("landedAt", d.landedAt().toString());
            g.writeNumberField("spentSinceLanding", d.sinceLanding());
            g.writeObjectFieldStart("spentWithin");
            // shortest span first, whatever order the immutable map keeps
            for (Map.Entry<Long, Double> w : new java.util.TreeMap<>(d.within()).entrySet()) {
                g.writeNumberField(io.ebm.core.slo.DurationShorthand.ofMinutes(w.getKey()), w.getValue());
            }
            g.writeEndObject();
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    private static io.ebm.core.deploy.DeploymentSpend deployment(JsonNode d) {
        if (!d.isObject()) {
            return null;
        }
        Map<Long, Double> within = new java.util.TreeMap<>();
        d.path("spentWithin").fields().forEachRemaining(e -> within.put(
                io.ebm.core.slo.DurationShorthand.parse(e.getKey()).toMinutes(), e.getValue().asDouble()));
        return new io.ebm.core.deploy.DeploymentSpend(d.path("pipeline").asText(), d.path("execution").asText(),
                d.path("revision").isTextual() ? d.path("revision").asText() : null,
                d.path("stage").isTextual() ? d.path("stage").asText() : null,
                java.time.Instant.parse(d.path("landedAt").asText()), d.path("spentSinceLanding").asDouble(), within);
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
                    doubleOrNull(a.path("shortBurnRate")), a.path("firing").asBoolean(), a.path("pending").asBoolean(),
                    a.path("shortStep").asDouble()));
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
                n.path("lastDataAt").isTextual() ? java.time.Instant.parse(n.path("lastDataAt").asText()) : null,
                deployment(n.path("deployment")));
    }

    private static Double doubleOrNull(JsonNode v) {
        return v == null || !v.isNumber() ? null : v.asDouble();
    }

    /** {@code at} as text: {@code knownText} when it is {@code known}. */
    private static String instant(java.time.Instant at, java.time.Instant known, String knownText) {
        return at.equals(known) ? knownText : at.toString();
    }

    private static void number(JsonGenerator g, String key, Double v) throws IOException {
        g.writeFieldName(key);
        if (v == null) {
            g.writeNull();
        } else {
            g.writeNumber(v);
        }
    }

    private static void number(JsonGenerator g, String key, BigDecimal v) throws IOException {
        g.writeFieldName(key);
        if (v == null) {
            g.writeNull();
        } else {
            g.writeNumber(v.stripTrailingZeros());
        }
    }
}
