package io.ebm.core.incident;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** How incidents and alert books are stored (one JSON document each) and served (ISO-8601 instants). */
public final class IncidentJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private IncidentJson() {
    }

    public static ObjectNode node(Incident i) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", i.id());
        o.put("slo", i.slo());
        o.put("service", i.service());
        o.put("kind", i.kind().name());
        o.put("severity", i.severity());
        o.put("openedAt", i.openedAt().toString());
        putInstant(o, "escalatedAt", i.escalatedAt());
        putInstant(o, "resolvedAt", i.resolvedAt());
        ArrayNode tiers = o.putArray("tiers");
        i.tiers().forEach(tiers::add);
        if (i.peakBurnRate() == null) {
            o.putNull("peakBurnRate");
        } else {
            o.put("peakBurnRate", i.peakBurnRate());
        }
        o.put("reopened", i.reopened());
        o.put("flap", i.flap());
        o.put("notices", i.notices());
        return o;
    }

    public static String toJson(Incident i) {
        return node(i).toString();
    }

    public static Incident incident(String text) {
        return incident(read(text));
    }

    private static Incident incident(JsonNode o) {
        List<String> tiers = new ArrayList<>();
        o.path("tiers").forEach(t -> tiers.add(t.asText()));
        JsonNode peak = o.path("peakBurnRate");
        return new Incident(o.path("id").asText(), o.path("slo").asText(), o.path("service").asText(),
                Incident.Kind.valueOf(o.path("kind").asText()), o.path("severity").asText(),
                Instant.parse(o.path("openedAt").asText()), instant(o, "escalatedAt"), instant(o, "resolvedAt"), tiers,
                peak.isNumber() ? peak.asDouble() : null, o.path("reopened").asInt(), o.path("flap").asBoolean(),
                o.path("notices").asInt());
    }

    public static String toJson(AlertBook b) {
        ObjectNode o = JSON.createObjectNode();
        o.put("slo", b.slo());
        ArrayNode tiers = o.putArray("tiers");
        for (TierState t : b.tiers()) {
            ObjectNode n = tiers.addObject();
            n.put("tier", t.tier());
            n.put("phase", t.phase().name());
            putInstant(n, "since", t.since());
        }
        if (b.burn() != null) {
            o.set("burn", node(b.burn()));
        }
        if (b.noData() != null) {
            o.set("noData", node(b.noData()));
        }
        putInstant(o, "lastResolvedAt", b.lastResolvedAt());
        putInstant(o, "noDataSince", b.noDataSince());
        return o.toString();
    }

    public static AlertBook book(String text) {
        JsonNode o = read(text);
        List<TierState> tiers = new ArrayList<>();
        o.path("tiers").forEach(t -> tiers.add(new TierState(t.path("tier").asText(),
                TierState.Phase.valueOf(t.path("phase").asText()), instant(t, "since"))));
        return new AlertBook(o.path("slo").asText(), tiers, o.hasNonNull("burn") ? incident(o.get("burn")) : null,
                o.hasNonNull("noData") ? incident(o.get("noData")) : null, instant(o, "lastResolvedAt"),
                instant(o, "noDataSince"));
    }

    private static void putInstant(ObjectNode o, String field, Instant at) {
        if (at == null) {
            o.putNull(field);
        } else {
            o.put(field, at.toString());
        }
    }

    private static Instant instant(JsonNode o, String field) {
        JsonNode n = o.path(field);
        return n.isTextual() ? Instant.parse(n.asText()) : null;
    }

    private static JsonNode read(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored alert document is not JSON: " + e.getOriginalMessage(), e);
        }
    }
}
