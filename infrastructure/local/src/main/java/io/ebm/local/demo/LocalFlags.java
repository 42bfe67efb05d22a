package io.ebm.local.demo;

import io.ebm.core.port.FeatureFlags;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Feature flags on this machine: every flag starts on; each change is kept with its time and reason. */
public final class LocalFlags implements FeatureFlags {

    public record Change(Instant at, String flag, boolean enabled, String reason) {
    }

    private final Clock clock;
    private final Map<String, Boolean> values = new HashMap<>();
    private final List<Change> changes = new ArrayList<>();

    LocalFlags(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized Result set(String flag, boolean enabled, String reason) {
        boolean was = values.getOrDefault(flag, true);
        if (was == enabled) {
            return new Result(false, "local-" + changes.size(), false);
        }
        values.put(flag, enabled);
        changes.add(new Change(clock.instant(), flag, enabled, reason));
        return new Result(true, "local-" + changes.size(), true);
    }

    @Override
    public synchronized java.util.Optional<Boolean> get(String flag) {
        return java.util.Optional.of(values.getOrDefault(flag, true));
    }

    synchronized List<Change> changes() {
        return List.copyOf(changes);
    }
}
