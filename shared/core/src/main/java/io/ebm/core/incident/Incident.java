package io.ebm.core.incident;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One incident of one SLO, as people are told about it: opened when the first tier fired (or the data stopped),
 * escalated when a more urgent tier joined, resolved once, when no tier fired any more.
 *
 * @param id          the key every notice of the incident carries ({@code dedupKey}), so pagers pair and dedupe
 * @param severity    the most urgent severity reached
 * @param tiers       every tier that fired during the incident, in the order they first fired
 * @param peakBurnRate the highest long-window burn rate of a firing tier; null for a no-data incident
 * @param reopened    how often a tier's condition came back within its resolve hold (kept in this incident)
 * @param flap        opened within a resolve hold (at least the tier's short window) of the previous one's end
 * @param notices     notices owed so far (open, escalation, resolve)
 */
public record Incident(String id, String slo, String service, Kind kind, String severity, Instant openedAt,
                       Instant escalatedAt, Instant resolvedAt, List<String> tiers, Double peakBurnRate,
                       int reopened, boolean flap, int notices) {

    /** A burn incident (tiers firing) or a no-data one (OpenSLO {@code alertWhenNoData}). */
    public enum Kind { BURN, NO_DATA }

    public Incident {
        tiers = List.copyOf(tiers);
    }

    public boolean open() {
        return resolvedAt == null;
    }

    /** Whether it was open at some time in [from, to): opened before {@code to}, not resolved before {@code from}. */
    public boolean openDuring(Instant from, Instant to) {
        return openedAt.isBefore(to) && (resolvedAt == null || !resolvedAt.isBefore(from));
    }

    Incident escalated(String to, Instant at) {
        return new Incident(id, slo, service, kind, to, openedAt, at, resolvedAt, tiers, peakBurnRate, reopened, flap,
                notices);
    }

    Incident resolved(Instant at) {
        return new Incident(id, slo, service, kind, severity, openedAt, escalatedAt, at, tiers, peakBurnRate, reopened,
                flap, notices);
    }

    Incident seen(List<String> allTiers, Double peak, int reopenedNow) {
        return new Incident(id, slo, service, kind, severity, openedAt, escalatedAt, resolvedAt, allTiers, peak,
                reopened + reopenedNow, flap, notices);
    }

    Incident noticed() {
        return new Incident(id, slo, service, kind, severity, openedAt, escalatedAt, resolvedAt, tiers, peakBurnRate,
                reopened, flap, notices + 1);
    }

    // Written out, as the record would: its generated equals and hashCode run through method handles, which the C1
    // compiler the local runtime and Lambda use calls rather than inlines. Every evaluation compares a budget's alert
    // book, incidents included.
    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof Incident i && reopened == i.reopened && flap == i.flap && notices == i.notices
                && kind == i.kind && Objects.equals(id, i.id) && Objects.equals(slo, i.slo)
                && Objects.equals(service, i.service) && Objects.equals(severity, i.severity)
                && Objects.equals(openedAt, i.openedAt) && Objects.equals(escalatedAt, i.escalatedAt)
                && Objects.equals(resolvedAt, i.resolvedAt) && tiers.equals(i.tiers)
                && Objects.equals(peakBurnRate, i.peakBurnRate);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, slo, service, kind, severity, openedAt, escalatedAt, resolvedAt, tiers, peakBurnRate,
                reopened, flap, notices);
    }
}
