package io.ebm.core.store;

import java.time.Instant;

/**
 * What the policy's reconciler last decided for one thing it manages: a pipeline stage's inbound transition, a
 * feature flag, or a rule's notice for one budget. Stored under optimistic locking; a decision older than the
 * stored one ({@code decidedAt}) changes nothing, so a late reconcile never undoes a newer one.
 *
 * @param engaged    frozen, forced, or (for a notice) the rule holds
 * @param ownerValue a flag's value before the policy forced it, restored when no rule holds any more
 * @param allowSince when the gate (or the rules) began to allow while still engaged: the lift waits for
 *                   {@code liftAfter} from here; null when not waiting to lift
 * @param reason     why, in words, for the audit log and the pages
 */
public record TargetRecord(String key, String service, boolean engaged, Boolean ownerValue, Instant allowSince,
                           Instant decidedAt, String reason, long version) {

    /** A target never decided on. */
    public static TargetRecord none(String key, String service) {
        return new TargetRecord(key, service, false, null, null, null, null, 0);
    }

    /** The next version of this record. */
    public TargetRecord next(boolean nowEngaged, Boolean owner, Instant since, Instant at, String why) {
        return new TargetRecord(key, service, nowEngaged, owner, since, at, why, version + 1);
    }
}
