package io.ebm.core.port;

import io.ebm.core.alert.AlertState;
import io.ebm.core.budget.Snapshot;
import io.ebm.core.slo.DurationShorthand;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One burn-rate notification: a subject (SNS: ASCII, at most 100 characters), a body for people, and message
 * attributes for subscription filter policies (page vs ticket routing).
 */
public record AlertNotice(String subject, String body, Map<String, String> attributes) {

    static final int MAX_SUBJECT = 100;

    public AlertNotice {
        attributes = Map.copyOf(attributes);
    }

    /** The notice of {@code state}'s transition (FIRING or RESOLVED) for one tier of a snapshot. */
    public static AlertNotice of(Snapshot s, Snapshot.TierResult t, AlertState state, String statusUrl,
                                 String runbook) {
        boolean firing = state.phase() == AlertState.Phase.FIRING;
        String transition = firing ? "FIRING" : "RESOLVED";
        String severity = t.tier().severity();
        String subject = String.format(Locale.ROOT, "[%s] %s %s: %s burn over %s (%s)",
                severity.toUpperCase(Locale.ROOT), transition, s.name(), rate(t.longBurnRate()) + "x",
                DurationShorthand.ofMinutes(t.tier().longWindowMinutes()), t.tier().name());
        StringBuilder body = new StringBuilder();
        body.append(transition).append(": ").append(t.tier().name()).append(" (").append(severity).append(") on ")
                .append(s.name()).append(", service ").append(s.service()).append('\n');
        body.append(String.format(Locale.ROOT, "Burn rate %s over %s and %s over %s; the tier fires above %s on both.%n",
                rate(t.longBurnRate()), DurationShorthand.ofMinutes(t.tier().longWindowMinutes()), rate(t.shortBurnRate()),
                DurationShorthand.ofMinutes(t.tier().shortWindowMinutes()), rate(t.factor())));
        Double remaining = s.remainingFraction();
        body.append("Budget remaining: ").append(remaining == null ? "unknown (no data)"
                : String.format(Locale.ROOT, "%.1f%%", remaining * 100)).append(" of ")
                .append(String.format(Locale.ROOT, "%,.2f", s.budgetTotal().doubleValue())).append(' ')
                .append(s.budgetUnit()).append(" over ").append(s.window()).append('\n');
        body.append("Budget exhausted in: ").append(exhaustion(s.timeToExhaustion())).append(" at the current burn rate\n");
        body.append("Status: ").append(s.status()).append(" (").append(s.statusReason()).append(")\n");
        body.append("Evaluated at ").append(s.evaluatedAt()).append("; alert ").append(state.dedupKey()).append('\n');
        if (statusUrl != null && !statusUrl.isBlank()) {
            body.append("Status page: ").append(statusUrl.replaceAll("/+$", "")).append("/slos/").append(s.name())
                    .append("/view\n");
        }
        if (runbook != null && io.ebm.core.slo.WebLink.isValid(runbook)) {
            body.append("Runbook: ").append(runbook).append('\n');
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("severity", severity);
        attributes.put("service", s.service());
        attributes.put("slo", s.name());
        attributes.put("tier", t.tier().name());
        attributes.put("transition", transition);
        attributes.put("dedupKey", state.dedupKey());
        return new AlertNotice(ascii(subject), body.toString(), attributes);
    }

    /** The notice as JSON: how the outbox keeps it until it is sent. */
    public String toJson() {
        com.fasterxml.jackson.databind.node.ObjectNode o = PortJson.JSON.createObjectNode();
        o.put("subject", subject);
        o.put("body", body);
        com.fasterxml.jackson.databind.node.ObjectNode a = o.putObject("attributes");
        attributes.forEach(a::put);
        return o.toString();
    }

    /** Reads back what {@link #toJson} wrote. */
    public static AlertNotice fromJson(String text) {
        com.fasterxml.jackson.databind.JsonNode o = PortJson.read(text, "notice");
        Map<String, String> attributes = new LinkedHashMap<>();
        o.path("attributes").fields().forEachRemaining(f -> attributes.put(f.getKey(), f.getValue().asText()));
        return new AlertNotice(o.path("subject").asText(), o.path("body").asText(), attributes);
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

    private static String rate(double r) {
        return String.format(Locale.ROOT, "%.2f", r);
    }

    private static String exhaustion(Duration d) {
        if (d == null) {
            return "never";
        }
        if (d.isZero()) {
            return "already";
        }
        return DurationShorthand.approximate(d);
    }
}
