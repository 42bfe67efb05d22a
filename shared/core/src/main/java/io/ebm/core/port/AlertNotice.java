package io.ebm.core.port;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ebm.core.Human;
import io.ebm.core.alert.AlertTier;
import io.ebm.core.budget.Snapshot;
import io.ebm.core.incident.AlertBook;
import io.ebm.core.incident.Incident;
import io.ebm.core.slo.DurationShorthand;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One notification: a subject (SNS: ASCII, at most 100 characters), a body for people, message attributes for
 * subscription filter policies (severity, kind, transition, service, slo; {@code notice} is the key receivers
 * drop repeats by, {@code dedupKey} the incident it belongs to), the notification targets (published as the
 * {@code target} list attribute), and how it may be grouped with other SLOs' notices before it goes out.
 */
public record AlertNotice(String subject, String body, Map<String, String> attributes, List<String> targets,
                          Grouping grouping) {

    static final int MAX_SUBJECT = 100;

    /**
     * Notices sharing any key go out as one, once the oldest of them has waited {@code waitFor} (so that the others
     * opening at about the same time can join it).
     */
    public record Grouping(List<String> keys, Duration waitFor) {
        public Grouping {
            keys = List.copyOf(keys);
        }
    }

    public AlertNotice {
        attributes = Map.copyOf(attributes);
        targets = List.copyOf(targets);
    }

    /** The key receivers drop repeats by: one per notice, the same on every delivery of it. */
    public String noticeKey() {
        return attributes.get("notice");
    }

    /** The outbox id, and {@code notice} attribute, of one notification of an incident. */
    public static String noticeKey(AlertBook.Notification n) {
        return n.incident().id() + "#" + n.transition()
                + (n.transition() == AlertBook.Transition.ESCALATED ? "#" + n.incident().severity() : "");
    }

    /** The notice of one incident's transition, told from the snapshot that caused it. */
    public static AlertNotice of(Snapshot s, AlertBook.Notification n, String statusUrl, String runbook,
                                 Grouping grouping) {
        Incident incident = n.incident();
        boolean noData = incident.kind() == Incident.Kind.NO_DATA;
        List<Snapshot.TierResult> firing = s.alerts().stream().filter(Snapshot.TierResult::firing).toList();
        Snapshot.TierResult top = firing.stream().filter(t -> t.tier().severity().equals(incident.severity()))
                .findFirst().orElse(firing.isEmpty() ? null : firing.get(0));
        String what = noData ? (n.transition() == AlertBook.Transition.RESOLVED ? "DATA BACK" : "NO DATA")
                : n.transition().name();
        String severity = incident.severity();
        String subject;
        if (noData) {
            subject = String.format(Locale.ROOT, "[%s] %s %s", severity.toUpperCase(Locale.ROOT), what, s.name());
        } else if (n.transition() == AlertBook.Transition.RESOLVED) {
            subject = String.format(Locale.ROOT, "[%s] RESOLVED %s after %s (peak %sx)",
                    severity.toUpperCase(Locale.ROOT), s.name(),
                    io.ebm.core.Human.duration(Duration.between(incident.openedAt(), s.evaluatedAt())),
                    rate(incident.peakBurnRate()));
        } else {
            subject = String.format(Locale.ROOT, "[%s] %s %s: %sx burn over %s (%s)",
                    severity.toUpperCase(Locale.ROOT), what, s.name(), rate(top == null ? null : top.longBurnRate()),
                    top == null ? "-" : DurationShorthand.ofMinutes(top.tier().longWindowMinutes()),
                    String.join(", ", firing.stream().map(t -> t.tier().name()).toList()));
        }
        StringBuilder body = new StringBuilder();
        body.append(what).append(": ").append(s.name()).append(", service ").append(s.service()).append(", severity ")
                .append(severity).append('\n');
        body.append("Incident ").append(incident.id()).append(", opened ").append(Human.time(incident.openedAt()));
        if (incident.escalatedAt() != null) {
            body.append(", escalated ").append(Human.time(incident.escalatedAt()));
        }
        if (incident.resolvedAt() != null) {
            body.append(", resolved ").append(Human.time(incident.resolvedAt())).append(" after ")
                    .append(io.ebm.core.Human.duration(Duration.between(incident.openedAt(), incident.resolvedAt())));
        }
        body.append('\n');
        if (noData) {
            body.append(n.transition() == AlertBook.Transition.RESOLVED ? "Counts arrive again.\n"
                    : "No counts to judge the budget by: " + s.statusReason() + "\n");
        } else if (firing.isEmpty()) {
            body.append("No tier fires any more; peak burn rate ").append(rate(incident.peakBurnRate()))
                    .append(" over the incident (tiers ").append(String.join(", ", incident.tiers())).append(")\n");
        } else {
            body.append("Tiers firing:\n");
            for (Snapshot.TierResult t : firing) {
                body.append(String.format(Locale.ROOT, "  %s (%s): burn rate %s over %s and %s over %s, threshold %s%n",
                        t.tier().name(), t.tier().severity(), rate(t.longBurnRate()),
                        DurationShorthand.ofMinutes(t.tier().longWindowMinutes()), rate(t.shortBurnRate()),
                        DurationShorthand.ofMinutes(t.tier().shortWindowMinutes()), rate(t.factor())));
            }
        }
        Double consumed = s.consumedFraction();
        Double remaining = s.remainingFraction();
        body.append("Budget: ").append(consumed == null ? "unknown (no data)"
                        : String.format(Locale.ROOT, "%.1f%% spent, %.1f%% left", consumed * 100, remaining * 100))
                .append(" of ").append(String.format(Locale.ROOT, "%,.2f", s.budgetTotal().doubleValue())).append(' ')
                .append(s.budgetUnit()).append(" over ").append(s.window()).append('\n');
        body.append("Budget exhausted in: ").append(exhaustion(s.timeToExhaustion())).append(" at the current burn rate\n");
        body.append("Status: ").append(s.status()).append(" (").append(s.statusReason()).append("), evaluated ")
                .append(Human.time(s.evaluatedAt())).append('\n');
        if (statusUrl != null && !statusUrl.isBlank()) {
            body.append("Dashboard: ").append(statusUrl.replaceAll("/+$", "")).append("/slos/").append(s.name())
                    .append("/view\n");
        }
        if (runbook != null && io.ebm.core.slo.WebLink.isValid(runbook)) {
            body.append("Runbook: ").append(runbook).append('\n');
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("severity", severity);
        attributes.put("kind", noData ? "noData" : "burn");
        attributes.put("transition", n.transition().name());
        attributes.put("service", s.service());
        attributes.put("slo", s.name());
        attributes.put("tier", noData ? "no-data" : top != null ? top.tier().name() : incident.tiers().get(0));
        attributes.put("dedupKey", incident.id());
        attributes.put("notice", noticeKey(n));
        return new AlertNotice(ascii(subject), body.toString(), attributes, n.targets(), grouping);
    }

    /**
     * Notices that go out together as one: one subject naming the SLOs, their bodies in turn, the most urgent
     * severity, every target, and {@code members} listing each notice's key (receivers may drop repeats by any).
     */
    public static AlertNotice combine(List<AlertNotice> notices) {
        if (notices.size() == 1) {
            return notices.get(0);
        }
        AlertNotice first = notices.get(0);
        String severity = first.attributes().get("severity");
        Set<String> slos = new LinkedHashSet<>();
        Set<String> services = new LinkedHashSet<>();
        Set<String> targets = new LinkedHashSet<>();
        List<String> members = new ArrayList<>();
        StringBuilder body = new StringBuilder();
        for (AlertNotice n : notices) {
            String sev = n.attributes().get("severity");
            if (AlertTier.urgency(sev) > AlertTier.urgency(severity)) {
                severity = sev;
            }
            slos.add(n.attributes().get("slo"));
            services.add(n.attributes().get("service"));
            targets.addAll(n.targets());
            members.add(n.noticeKey());
            body.append(body.length() == 0 ? "" : "\n---\n").append(n.body());
        }
        String transition = first.attributes().get("transition");
        String subject = String.format(Locale.ROOT, "[%s] %s %d SLOs: %s", severity.toUpperCase(Locale.ROOT),
                transition, slos.size(), String.join(", ", slos));
        Map<String, String> attributes = new LinkedHashMap<>(first.attributes());
        attributes.put("severity", severity);
        attributes.put("service", String.join(",", services));
        attributes.put("slo", String.join(",", slos));
        attributes.put("notice", "group:" + first.noticeKey());
        attributes.put("members", String.join(" ", members));
        return new AlertNotice(ascii(subject), notices.size() + " SLOs together:\n\n" + body, attributes,
                List.copyOf(targets), first.grouping());
    }

    /** The notice as JSON: how the outbox keeps it until it is sent. */
    public String toJson() {
        ObjectNode o = PortJson.JSON.createObjectNode();
        o.put("subject", subject);
        o.put("body", body);
        ObjectNode a = o.putObject("attributes");
        attributes.forEach(a::put);
        ArrayNode t = o.putArray("targets");
        targets.forEach(t::add);
        if (grouping != null) {
            ObjectNode g = o.putObject("grouping");
            ArrayNode keys = g.putArray("keys");
            grouping.keys().forEach(keys::add);
            g.put("waitSeconds", grouping.waitFor().getSeconds());
        }
        return o.toString();
    }

    /** Reads back what {@link #toJson} wrote. */
    public static AlertNotice fromJson(String text) {
        JsonNode o = PortJson.read(text, "notice");
        Map<String, String> attributes = new LinkedHashMap<>();
        o.path("attributes").fields().forEachRemaining(f -> attributes.put(f.getKey(), f.getValue().asText()));
        List<String> targets = new ArrayList<>();
        o.path("targets").forEach(t -> targets.add(t.asText()));
        Grouping grouping = null;
        if (o.hasNonNull("grouping")) {
            List<String> keys = new ArrayList<>();
            o.get("grouping").path("keys").forEach(k -> keys.add(k.asText()));
            grouping = new Grouping(keys, Duration.ofSeconds(o.get("grouping").path("waitSeconds").asLong()));
        }
        return new AlertNotice(o.path("subject").asText(), o.path("body").asText(), attributes, targets, grouping);
    }

    /** A subject SNS accepts: printable ASCII, at most 100 characters. */
    public static String subject(String text) {
        return ascii(text);
    }

    private static String ascii(String text) {
        String plain = text.replaceAll("[^\\x20-\\x7E]", "?");
        return plain.length() <= MAX_SUBJECT ? plain : plain.substring(0, MAX_SUBJECT - 3) + "...";
    }

    private static String rate(Double r) {
        return r == null ? "n/a" : String.format(Locale.ROOT, "%.2f", r);
    }

    private static String exhaustion(Duration d) {
        if (d == null) {
            return "never";
        }
        if (d.isZero()) {
            return "already";
        }
        return io.ebm.core.Human.duration(d);
    }
}
