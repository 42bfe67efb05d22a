package io.ebm.engine.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ebm.core.port.AlertNotice;
import io.ebm.core.port.AlertNotifier;
import io.ebm.core.port.StatusChange;
import io.ebm.core.port.StatusEvents;
import io.ebm.core.store.BudgetStore;
import io.ebm.core.store.OutboxEntry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Delivers what state changes owe the world. An entry is written in the same atomic write as its change; this
 * class sends it afterwards: lease it for a short while (so that two runs do not send it at once), send it,
 * delete it. A run killed between sending and deleting leaves the entry leased; once the lease runs out the next
 * run sends it again, under the same id, which receivers use to drop the repeat. Nothing is ever lost, and a
 * duplicate needs a crash in that window.
 *
 * <p>Each deliverer sends only its own kinds: the calculator alerts and status events, the policy its notices.
 */
public final class Outbox {

    /** Long enough for one send, short enough that a crashed run's page goes out on the next tick. */
    public static final Duration LEASE = Duration.ofMinutes(2);

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What one delivery pass did, by kind delivered. */
    public record Delivery(int alerts, int statusEvents, int notices, int leasedElsewhere, List<String> failures) {
        public Delivery {
            failures = List.copyOf(failures);
        }
    }

    private final BudgetStore store;
    private final AlertNotifier notifier;
    private final StatusEvents events;
    private final Clock clock;

    /** {@code clock} is real time: leases guard against runs of the same moment, whatever instant they evaluate. */
    public Outbox(BudgetStore store, AlertNotifier notifier, StatusEvents events, Clock clock) {
        this.store = store;
        this.notifier = notifier;
        this.events = events;
        this.clock = clock;
    }

    /** Sends every pending entry of these kinds that no other run holds. */
    public Delivery deliver(Set<String> kinds) {
        int[] delivered = new int[3];
        int elsewhere = 0;
        List<String> failures = new ArrayList<>();
        for (OutboxEntry e : store.pendingOutbox()) {
            if (!kinds.contains(e.kind())) {
                continue;
            }
            Instant now = clock.instant();
            if (!e.leasableAt(now) || !store.leaseOutbox(e.id(), now, now.plus(LEASE))) {
                elsewhere++;
                continue;
            }
            try {
                send(e);
            } catch (RuntimeException ex) {
                // the lease runs out and the next run sends it: the entry stays until it is delivered
                failures.add(e.kind() + " " + e.id() + " not delivered: " + ex.getMessage());
                continue;
            }
            store.deliveredOutbox(e.id());
            delivered[switch (e.kind()) {
                case OutboxEntry.ALERT -> 0;
                case OutboxEntry.STATUS -> 1;
                default -> 2;
            }]++;
        }
        return new Delivery(delivered[0], delivered[1], delivered[2], elsewhere, failures);
    }

    private void send(OutboxEntry e) {
        switch (e.kind()) {
            case OutboxEntry.ALERT, OutboxEntry.NOTICE -> notifier.publish(notice(e.payload()));
            case OutboxEntry.STATUS -> events.publish(statusChange(e.payload()));
            default -> throw new IllegalStateException("unknown outbox kind " + e.kind());
        }
    }

    // ---------------------------------------------------------------- payloads

    public static String payload(AlertNotice n) {
        ObjectNode o = JSON.createObjectNode();
        o.put("subject", n.subject());
        o.put("body", n.body());
        ObjectNode a = o.putObject("attributes");
        n.attributes().forEach(a::put);
        return o.toString();
    }

    public static AlertNotice notice(String payload) {
        JsonNode o = read(payload);
        Map<String, String> attributes = new LinkedHashMap<>();
        o.path("attributes").fields().forEachRemaining(f -> attributes.put(f.getKey(), f.getValue().asText()));
        return new AlertNotice(o.path("subject").asText(), o.path("body").asText(), attributes);
    }

    public static String payload(StatusChange c) {
        ObjectNode o = JSON.createObjectNode();
        o.put("slo", c.slo());
        o.put("service", c.service());
        o.put("previousStatus", c.previousStatus());
        o.put("status", c.status());
        o.put("reason", c.reason());
        o.put("evaluatedAt", c.evaluatedAt().toString());
        o.put("snapshotVersion", c.snapshotVersion());
        if (c.remainingFraction() == null) {
            o.putNull("remainingFraction");
        } else {
            o.put("remainingFraction", c.remainingFraction());
        }
        ObjectNode rates = o.putObject("burnRates");
        c.burnRates().forEach((k, v) -> {
            if (v == null) {
                rates.putNull(k);
            } else {
                rates.put(k, v);
            }
        });
        c.firingTiers().forEach(o.putArray("firingTiers")::add);
        return o.toString();
    }

    public static StatusChange statusChange(String payload) {
        JsonNode o = read(payload);
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

    private static JsonNode read(String payload) {
        try {
            return JSON.readTree(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("outbox payload is not JSON: " + e.getOriginalMessage(), e);
        }
    }
}
