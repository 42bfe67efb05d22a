package io.ebm.core.store;

import io.ebm.core.deploy.Deployment;
import io.ebm.core.incident.Incident;
import io.ebm.core.policy.ReleaseOverride;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Everything Error Budget Manager keeps, behind one port that the core owns. The DynamoDB adapter serves
 * the Lambda functions and the embedded (SQLite) adapter serves the local runtime; one contract suite holds
 * both to the same behaviour.
 *
 * <p>Writes that race return false instead of overwriting: versions for snapshots, alert books and the
 * policy's targets. What a change must announce is written with it, in the outbox.
 */
public interface BudgetStore extends CountsStore {

    // ---------------------------------------------------------------- what changed in the counts (readers)

    /**
     * A revision no older than every change noted so far: a reader takes it before reading, and later asks for
     * the changes after it. Writes are noted by {@link #upsertCounts}.
     */
    long countsRevision();

    /**
     * The writes to one series with a revision after {@code afterRevision}, oldest first. It may name some
     * earlier writes again (reading a minute twice is harmless), and answers {@link CountsChange#anything} when
     * it no longer holds every change since that revision.
     */
    List<CountsChange> countsChanges(String series, long afterRevision);

    // ---------------------------------------------------------------- SLO definitions, versioned

    /** Stores a new version of a definition document (OpenSLO YAML); returns its version, 1 for the first. */
    long putDefinition(String name, String document, Instant at);

    /** The latest version of one definition. */
    Optional<Definition> definition(String name);

    /** The latest version of every definition, by name. */
    List<Definition> definitions();

    // ---------------------------------------------------------------- snapshots

    /**
     * Makes {@code snapshot} the latest of its budget and adds it to the history, if the latest stored version
     * is still {@code snapshot.version() - 1} (0: none yet). False when another writer got there first. The same
     * write as a {@link #commitEvaluation} with nothing else in it.
     */
    default boolean putSnapshot(SnapshotRecord snapshot) {
        return commitEvaluation(snapshot, List.of(), List.of(), List.of());
    }

    Optional<SnapshotRecord> latestSnapshot(String budget);

    /**
     * The latest snapshot of each of {@code budgets} that has one, by budget: a store that can reads them in
     * batches (DynamoDB: 100 keys a request) instead of one request each.
     */
    default java.util.Map<String, SnapshotRecord> latestSnapshots(java.util.Collection<String> budgets) {
        java.util.Map<String, SnapshotRecord> out = new java.util.HashMap<>();
        for (String b : budgets) {
            latestSnapshot(b).ifPresent(r -> out.put(b, r));
        }
        return out;
    }

    /**
     * Records that {@code budgets} were evaluated at {@code at} and found as their latest snapshots show them
     * (the calculator rewrites a latest snapshot only when what it shows changes, or hourly): a reader judges a
     * snapshot's freshness by the later of its own time and its confirmation. Runs move forward (a late run is
     * refused before it confirms anything), so the newest write is the newest confirmation.
     */
    void confirmLatest(Instant at, java.util.Collection<String> budgets);

    /** The newest confirmation of each confirmed budget. */
    java.util.Map<String, Instant> confirmations();

    /** History in [from, to), oldest first. */
    List<SnapshotRecord> snapshotHistory(String budget, Instant from, Instant to);

    /**
     * One evaluation as one atomic write: {@code snapshot} becomes the latest (over version
     * {@code snapshot.version() - 1}, as {@link #putSnapshot}), each alert record is stored over its previous
     * version, each incident is stored (replacing the one of its id), and the outbox entries are added. All of it
     * or none of it: false, and nothing written, when any version check fails. With nothing to announce (no alert
     * record, incident or entry) a store may write the latest and then its history point: a failure between the
     * two leaves a gap in the history, never a latest snapshot past its version check.
     */
    boolean commitEvaluation(SnapshotRecord snapshot, List<AlertRecord> alerts, List<Incident> incidents,
                             List<OutboxEntry> outbox);

    // ---------------------------------------------------------------- outbox

    /** Every entry not yet delivered, oldest first (leased ones too: a lease says who may deliver, not whether). */
    List<OutboxEntry> pendingOutbox();

    /** Leases an entry until {@code until} if it exists and no unexpired lease holds it; false otherwise. */
    boolean leaseOutbox(String id, Instant now, Instant until);

    /** Removes a delivered entry; removing one that is gone already is a no-op. */
    void deliveredOutbox(String id);

    // ---------------------------------------------------------------- what the policy manages

    Optional<TargetRecord> target(String key);

    /**
     * Every target whose key starts with {@code keyPrefix}, which names the kind first ({@code rule#},
     * {@code stage#}, {@code flag#}): one read for all of a kind, so that a reconcile need not read one record per
     * rule and budget.
     */
    List<TargetRecord> targets(String keyPrefix);

    /**
     * Stores {@code record} over version {@code record.version() - 1} and adds the outbox entries, atomically;
     * false, and nothing written, when another writer got there first.
     */
    boolean commitTarget(TargetRecord record, List<OutboxEntry> outbox);

    // ---------------------------------------------------------------- alert books and incidents

    /** Same optimistic rule as snapshots: stored only over version {@code state.version() - 1}. */
    boolean putAlertState(AlertRecord state);

    /** The alerting state of one budget (its tiers, its open incidents). */
    Optional<AlertRecord> alertState(String budget);

    /**
     * The incidents of one budget that were open at some time in [from, to) (opened before {@code to}, not
     * resolved before {@code from}), oldest first.
     */
    List<Incident> incidents(String budget, Instant from, Instant to);

    // ---------------------------------------------------------------- deployments

    /**
     * Stores a deployment over version {@code record.version() - 1} (0: none yet, keyed by service, pipeline and
     * execution); false when another writer got there first.
     */
    boolean putDeployment(DeploymentRecord record);

    Optional<DeploymentRecord> deployment(String service, String pipeline, String execution);

    /**
     * The deployments of a service that started, landed or ended in [from, to), and the newest one that landed
     * before {@code from} (the one in force at its start), oldest first by start (or landing).
     */
    List<Deployment> deployments(String service, Instant from, Instant to);

    // ---------------------------------------------------------------- decisions and audit

    /** Appends an entry; an entry whose id is in the log already is kept as it was (retried actions log once). */
    void appendAudit(AuditEntry entry);

    /** Entries of one service in [from, to), oldest first. */
    List<AuditEntry> audit(String service, Instant from, Instant to);

    // ---------------------------------------------------------------- overrides

    void putOverride(ReleaseOverride override);

    /** Overrides of one service that have not been revoked, expired ones included (the engine ignores those). */
    List<ReleaseOverride> overrides(String service);

    /** False when there was no such override. */
    boolean revokeOverride(String id);
}
