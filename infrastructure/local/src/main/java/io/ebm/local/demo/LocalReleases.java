package io.ebm.local.demo;

import io.ebm.core.port.Releases;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Pipelines on this machine: which stages are frozen, and every change of that and every answer given, in order. */
public final class LocalReleases implements Releases {

    /** One thing that happened to releases: a freeze, an unfreeze, or an answer to an approval or a job. */
    public record Event(Instant at, String what, String pipeline, String stage, String detail) {
    }

    private final Clock clock;
    private final Set<String> frozen = new HashSet<>();
    private final List<Event> events = new ArrayList<>();

    LocalReleases(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized void freeze(String pipeline, String stage, String reason) {
        if (frozen.add(pipeline + "/" + stage)) {
            events.add(new Event(clock.instant(), "frozen", pipeline, stage, reason));
        }
    }

    @Override
    public synchronized java.util.Optional<Boolean> isFrozen(String pipeline, String stage) {
        return java.util.Optional.of(frozen.contains(pipeline + "/" + stage));
    }

    @Override
    public synchronized void unfreeze(String pipeline, String stage) {
        if (frozen.remove(pipeline + "/" + stage)) {
            events.add(new Event(clock.instant(), "allowed again", pipeline, stage, ""));
        }
    }

    @Override
    public synchronized void answerApproval(String pipeline, String stage, String action, String token,
                                            boolean approve, String summary) {
        events.add(new Event(clock.instant(), approve ? "approval approved" : "approval rejected", pipeline, stage,
                summary));
    }

    @Override
    public synchronized void answerJob(String jobId, boolean succeed, String summary) {
        events.add(new Event(clock.instant(), succeed ? "job succeeded" : "job failed", jobId, "", summary));
    }

    synchronized List<Event> events() {
        return List.copyOf(events);
    }
}
