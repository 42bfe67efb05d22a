package io.ebm.core.policy;

import java.time.Instant;

/**
 * A person's decision to let a service release despite the policy, until {@code expires}. A null stage covers
 * every stage. Expired overrides are ignored.
 */
public record ReleaseOverride(String id, String service, String stage, Instant expires, String reason, String author) {

    public ReleaseOverride {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("an override needs a reason");
        }
        if (author == null || author.isBlank()) {
            throw new IllegalArgumentException("an override needs an author");
        }
    }

    public boolean activeAt(Instant now) {
        return now.isBefore(expires);
    }

    public boolean covers(String service, String stage) {
        return this.service.equals(service) && (this.stage == null || this.stage.equals(stage));
    }

    public String describe() {
        return "override " + id + " by " + author + " until " + io.ebm.core.Human.time(expires) + ": " + reason;
    }
}
