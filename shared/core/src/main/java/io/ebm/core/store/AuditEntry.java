package io.ebm.core.store;

import java.time.Instant;

/**
 * One decision or action on record: what was done, why, on which snapshot version, and who or what asked.
 */
public record AuditEntry(String id, String service, Instant at, String actor, String what, String why,
                         long snapshotVersion) {
}
