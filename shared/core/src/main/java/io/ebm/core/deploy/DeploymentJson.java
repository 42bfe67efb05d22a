package io.ebm.core.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/** How a deployment is stored and served: one JSON object, ISO-8601 instants. */
public final class DeploymentJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private DeploymentJson() {
    }

    public static ObjectNode node(Deployment d) {
        ObjectNode o = JSON.createObjectNode();
        o.put("service", d.service());
        o.put("pipeline", d.pipeline());
        o.put("execution", d.execution());
        o.put("revision", d.revision());
        o.put("stage", d.stage());
        o.put("startedAt", d.startedAt() == null ? null : d.startedAt().toString());
        o.put("landedAt", d.landedAt() == null ? null : d.landedAt().toString());
        o.put("endedAt", d.endedAt() == null ? null : d.endedAt().toString());
        o.put("status", d.status().name());
        o.put("source", d.source());
        return o;
    }

    /** One deployment's cost to one budget, as the ledger route and the evaluate report give it. */
    public static ObjectNode node(LedgerEntry e) {
        ObjectNode o = JSON.createObjectNode();
        o.put("budget", e.budget());
        o.put("firstSpan", io.ebm.core.slo.DurationShorthand.ofMinutes(e.firstSpan().toMinutes()));
        o.put("firstSpanShare", e.firstSpanShare());
        o.put("inForceUntil", e.inForceUntil().toString());
        o.put("inForceShare", e.inForceShare());
        o.put("current", e.current());
        return o;
    }

    public static String toJson(Deployment d) {
        return node(d).toString();
    }

    public static Deployment fromJson(String text) {
        JsonNode o;
        try {
            o = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored deployment is not JSON: " + e.getOriginalMessage(), e);
        }
        return new Deployment(o.path("service").asText(), o.path("pipeline").asText(), o.path("execution").asText(),
                text(o, "revision"), text(o, "stage"), instant(o, "startedAt"), instant(o, "landedAt"),
                instant(o, "endedAt"), Deployment.Status.valueOf(o.path("status").asText()), text(o, "source"));
    }

    private static String text(JsonNode o, String field) {
        return o.path(field).isTextual() ? o.path(field).asText() : null;
    }

    private static Instant instant(JsonNode o, String field) {
        return o.path(field).isTextual() ? Instant.parse(o.path(field).asText()) : null;
    }
}
