package io.ebm.engine.policy;

import io.ebm.core.policy.Policy;
import io.ebm.core.policy.ReleaseOverride;
import io.ebm.core.store.AuditEntry;
import io.ebm.core.store.BudgetStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/** Creating, listing and revoking overrides, each recorded in the audit log with its author. */
public final class Overrides {

    private final BudgetStore store;

    public Overrides(BudgetStore store) {
        this.store = store;
    }

    /** A stored override with whether it is still in force. */
    public record Listed(ReleaseOverride override, boolean active) {
    }

    /**
     * The overrides the gate weighs for these services: the policy file's and the stored ones, expired ones too
     * (the policy engine ignores those).
     */
    public List<ReleaseOverride> weighed(Policy policy, Collection<String> services) {
        List<ReleaseOverride> stored = new ArrayList<>();
        services.forEach(s -> stored.addAll(store.overrides(s)));
        return policy.overridesWith(stored);
    }

    /** An override until {@code expires}, at most {@code maxDuration} from now (the policy's overrideMaxDuration). */
    public ReleaseOverride create(String service, String stage, Instant expires, String reason, String author,
                                  Instant now, java.time.Duration maxDuration) {
        if (!expires.isAfter(now)) {
            throw new IllegalArgumentException("an override must expire in the future, got " + expires);
        }
        if (expires.isAfter(now.plus(maxDuration))) {
            throw new IllegalArgumentException("an override may last at most " + maxDuration.toHours()
                    + " h (the policy's overrideMaxDuration), so it must expire by " + now.plus(maxDuration)
                    + ", got " + expires);
        }
        ReleaseOverride o = new ReleaseOverride("ovr-" + UUID.randomUUID(), service, stage, expires, reason, author);
        store.putOverride(o);
        store.appendAudit(new AuditEntry("audit-" + o.id(), service, now, author, "create override " + o.id()
                + (stage == null ? "" : " for stage " + stage) + " until " + expires, reason, 0));
        return o;
    }

    public List<Listed> list(String service, Instant now) {
        return store.overrides(service).stream().map(o -> new Listed(o, o.activeAt(now))).toList();
    }

    /** Revokes an override of {@code service}; false when that service has no such override in force. */
    public boolean revoke(String service, String id, String author, Instant now) {
        boolean own = store.overrides(service).stream().anyMatch(o -> o.id().equals(id));
        boolean revoked = own && store.revokeOverride(id);
        if (revoked) {
            store.appendAudit(new AuditEntry("audit-revoke-" + id, service, now, author, "revoke override " + id,
                    "revoked by " + author, 0));
        }
        return revoked;
    }
}
