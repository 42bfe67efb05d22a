package io.ebm.store;

import io.ebm.core.counts.MinuteCounts;
import io.ebm.core.deploy.Deployment;
import io.ebm.core.incident.Incident;
import io.ebm.core.policy.ReleaseOverride;
import io.ebm.core.store.AlertRecord;
import io.ebm.core.store.AuditEntry;
import io.ebm.core.store.BudgetStore;
import io.ebm.core.store.Definition;
import io.ebm.core.store.DeploymentRecord;
import io.ebm.core.store.OutboxEntry;
import io.ebm.core.store.SnapshotRecord;
import io.ebm.core.store.TargetRecord;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;

/**
 * A store that hands every call to another one: extend it and override only what differs (a fault injector in
 * front of the heap store, counts made up on request for a benchmark).
 */
public abstract class ForwardingBudgetStore implements BudgetStore {

    protected final BudgetStore delegate;

    protected ForwardingBudgetStore(BudgetStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public long putDefinition(String name, String document, Instant at) {
        return delegate.putDefinition(name, document, at);
    }

    @Override
    public Optional<Definition> definition(String name) {
        return delegate.definition(name);
    }

    @Override
    public List<Definition> definitions() {
        return delegate.definitions();
    }

    @Override
    public boolean putSnapshot(SnapshotRecord snapshot) {
        return delegate.putSnapshot(snapshot);
    }

    @Override
    public Optional<SnapshotRecord> latestSnapshot(String budget) {
        return delegate.latestSnapshot(budget);
    }

    @Override
    public List<SnapshotRecord> snapshotHistory(String budget, Instant from, Instant to) {
        return delegate.snapshotHistory(budget, from, to);
    }

    @Override
    public boolean commitEvaluation(SnapshotRecord snapshot, List<AlertRecord> alerts, List<Incident> changed,
                                    List<OutboxEntry> outbox) {
        return delegate.commitEvaluation(snapshot, alerts, changed, outbox);
    }

    @Override
    public List<OutboxEntry> pendingOutbox() {
        return delegate.pendingOutbox();
    }

    @Override
    public boolean leaseOutbox(String id, Instant now, Instant until) {
        return delegate.leaseOutbox(id, now, until);
    }

    @Override
    public void deliveredOutbox(String id) {
        delegate.deliveredOutbox(id);
    }

    @Override
    public Optional<TargetRecord> target(String key) {
        return delegate.target(key);
    }

    @Override
    public List<TargetRecord> targets(String keyPrefix) {
        return delegate.targets(keyPrefix);
    }

    @Override
    public boolean commitTarget(TargetRecord record, List<OutboxEntry> outbox) {
        return delegate.commitTarget(record, outbox);
    }

    @Override
    public boolean putAlertState(AlertRecord state) {
        return delegate.putAlertState(state);
    }

    @Override
    public Optional<AlertRecord> alertState(String budget) {
        return delegate.alertState(budget);
    }

    @Override
    public boolean putDeployment(DeploymentRecord record) {
        return delegate.putDeployment(record);
    }

    @Override
    public Optional<DeploymentRecord> deployment(String service, String pipeline, String execution) {
        return delegate.deployment(service, pipeline, execution);
    }

    @Override
    public List<Deployment> deployments(String service, Instant from, Instant to) {
        return delegate.deployments(service, from, to);
    }

    @Override
    public List<Incident> incidents(String budget, Instant from, Instant to) {
        return delegate.incidents(budget, from, to);
    }

    @Override
    public void appendAudit(AuditEntry entry) {
        delegate.appendAudit(entry);
    }

    @Override
    public List<AuditEntry> audit(String service, Instant from, Instant to) {
        return delegate.audit(service, from, to);
    }

    @Override
    public void putOverride(ReleaseOverride override) {
        delegate.putOverride(override);
    }

    @Override
    public List<ReleaseOverride> overrides(String service) {
        return delegate.overrides(service);
    }

    @Override
    public boolean revokeOverride(String id) {
        return delegate.revokeOverride(id);
    }

    @Override
    public void upsertCounts(String series, NavigableMap<Long, MinuteCounts> minutes) {
        delegate.upsertCounts(series, minutes);
    }

    @Override
    public void forEachCount(String series, long fromMinute, long toMinute, MinuteSink sink) {
        delegate.forEachCount(series, fromMinute, toMinute, sink);
    }

    @Override
    public long countsRevision() {
        return delegate.countsRevision();
    }

    @Override
    public java.util.List<io.ebm.core.store.CountsChange> countsChanges(String series, long afterRevision) {
        return delegate.countsChanges(series, afterRevision);
    }

    @Override
    public Map<String, Long> marks(String prefix) {
        return delegate.marks(prefix);
    }

    @Override
    public void confirmLatest(Instant at, java.util.Collection<String> budgets) {
        delegate.confirmLatest(at, budgets);
    }

    @Override
    public java.util.Map<String, Instant> confirmations() {
        return delegate.confirmations();
    }

    @Override
    public void putMark(String key, long value) {
        delegate.putMark(key, value);
    }

    @Override
    public void clearMark(String key) {
        delegate.clearMark(key);
    }
}
