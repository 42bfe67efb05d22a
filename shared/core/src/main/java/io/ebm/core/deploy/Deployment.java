package io.ebm.core.deploy;

import java.time.Instant;
import java.util.Objects;

/**
 * One change that reached a service: a pipeline execution (or an AppConfig deployment, or a row of a deployments
 * file), with what it shipped and when. It is <em>in force</em> from {@code landedAt} (its landing stage, or the
 * whole execution, succeeded) until the next one of the service lands.
 *
 * @param pipeline  the pipeline's name; {@code appconfig:<application>/<environment>/<profile>} for AppConfig
 * @param execution the execution id (AppConfig: the deployment number)
 * @param revision  the source revision (commit), when known
 * @param stage     the stage whose success landed it, when known
 * @param source    {@code codepipeline}, {@code appconfig} or {@code file}
 */
public record Deployment(String service, String pipeline, String execution, String revision, String stage,
                         Instant startedAt, Instant landedAt, Instant endedAt, Status status, String source) {

    /** Where an execution stands. Terminal states win over IN_PROGRESS whatever order events arrive in. */
    public enum Status {
        IN_PROGRESS, SUCCEEDED, FAILED, STOPPED, SUPERSEDED;

        boolean terminal() {
            return this != IN_PROGRESS;
        }
    }

    public Deployment {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(pipeline, "pipeline");
        Objects.requireNonNull(execution, "execution");
        Objects.requireNonNull(status, "status");
    }

    /** The key of one execution for one service: pipeline and execution id. */
    public String key() {
        return pipeline + "#" + execution;
    }

    public boolean landed() {
        return landedAt != null;
    }

    /** When it first shows in time: its start, else its landing, else its end. */
    public Instant firstSeen() {
        return startedAt != null ? startedAt : landedAt != null ? landedAt : endedAt;
    }

    /** Whether it started, landed or ended in [from, to). */
    public boolean touches(Instant from, Instant to) {
        return within(startedAt, from, to) || within(landedAt, from, to) || within(endedAt, from, to);
    }

    private static boolean within(Instant t, Instant from, Instant to) {
        return t != null && !t.isBefore(from) && t.isBefore(to);
    }

    /**
     * {@link io.ebm.core.store.BudgetStore#deployments}'s selection over all of a service's deployments: those that
     * touch [from, to) and the newest landed before {@code from}, oldest first.
     */
    public static java.util.List<Deployment> select(java.util.Collection<Deployment> all, Instant from, Instant to) {
        java.util.List<Deployment> out = new java.util.ArrayList<>();
        Deployment inForce = null;
        for (Deployment d : all) {
            if (d.touches(from, to)) {
                out.add(d);
            } else if (d.landed() && d.landedAt().isBefore(from)
                    && (inForce == null || d.landedAt().isAfter(inForce.landedAt()))) {
                inForce = d;
            }
        }
        // never in out already: a deployment goes to one side or the other, and equal ones go to the same side
        if (inForce != null) {
            out.add(inForce);
        }
        out.sort(FIRST_SEEN_ORDER);
        return out;
    }

    /**
     * {@code all} in the order {@link #select} returns them: a store that keeps them so (and reads them often)
     * hands {@code select} a list it sorts in one pass.
     */
    public static java.util.List<Deployment> inFirstSeenOrder(java.util.Collection<Deployment> all) {
        java.util.List<Deployment> out = new java.util.ArrayList<>(all);
        out.sort(FIRST_SEEN_ORDER);
        return java.util.List.copyOf(out);
    }

    /** Oldest first, by when first seen (never seen last), then by pipeline and execution. */
    private static final java.util.Comparator<Deployment> FIRST_SEEN_ORDER = Deployment::firstSeenOrder;

    /**
     * {@code comparing(firstSeen, nullsLast(naturalOrder())).thenComparing(key)}, written out: a store selects
     * and sorts a service's deployments at every calculator run, and the composed comparator's extractors cost
     * more than the comparisons.
     */
    private static int firstSeenOrder(Deployment a, Deployment b) {
        Instant x = a.firstSeen();
        Instant y = b.firstSeen();
        if (x == null || y == null) {
            if (x != y) {
                return x == null ? 1 : -1; // never seen: last
            }
        } else {
            int c = x.compareTo(y);
            if (c != 0) {
                return c;
            }
        }
        return a.key().compareTo(b.key());
    }

    /**
     * This record with what {@code later} adds: events come at least once and in any order, so a known field is
     * never forgotten, the earliest start and landing are kept, and a terminal status is never undone.
     */
    public Deployment merge(Deployment later) {
        return new Deployment(service, pipeline, execution, later.revision != null ? later.revision : revision,
                later.stage != null && (stage == null || later.landedAt != null) ? later.stage : stage,
                earliest(startedAt, later.startedAt), earliest(landedAt, later.landedAt),
                endedAt != null ? endedAt : later.endedAt,
                status.terminal() && !later.status.terminal() ? status : later.status,
                source != null ? source : later.source);
    }

    private static Instant earliest(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isBefore(b) ? a : b;
    }

    /**
     * How people name it where it landed: {@code checkout-pipeline execution 42 (revision abc123, Production at
     * 12 Nov 14:02 UTC)}.
     */
    public String describeLanding() {
        return describeLanding(pipeline, execution, revision, stage, landedAt);
    }

    static String describeLanding(String pipeline, String execution, String revision, String stage, Instant landed) {
        return pipeline + " execution " + execution + " (" + (revision == null ? "" : "revision " + revision + ", ")
                + (stage == null ? "landed" : stage) + " at " + io.ebm.core.Human.time(landed) + ")";
    }

    /** How people name it: {@code checkout-pipeline execution 42 (revision abc123)}. */
    public String describe() {
        return pipeline + " execution " + execution + (revision == null ? "" : " (revision " + revision + ")");
    }

    // Written out, as the record would: its generated equals and hashCode run through method handles, which the C1
    // compiler the local runtime and Lambda use calls rather than inlines. Each run compares a service's deployments.
    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof Deployment d && service.equals(d.service) && pipeline.equals(d.pipeline)
                && execution.equals(d.execution) && Objects.equals(revision, d.revision)
                && Objects.equals(stage, d.stage) && Objects.equals(startedAt, d.startedAt)
                && Objects.equals(landedAt, d.landedAt) && Objects.equals(endedAt, d.endedAt) && status == d.status
                && Objects.equals(source, d.source);
    }

    @Override
    public int hashCode() {
        return Objects.hash(service, pipeline, execution, revision, stage, startedAt, landedAt, endedAt, status,
                source);
    }
}
