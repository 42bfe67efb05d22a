package io.ebm.local.demo;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/** The replay's time: the policy engine and the status pages read it; the replay moves it. */
final class ReplayClock extends Clock {

    private final AtomicReference<Instant> now;
    private final ZoneId zone;

    ReplayClock(Instant start) {
        this(new AtomicReference<>(start), ZoneOffset.UTC);
    }

    private ReplayClock(AtomicReference<Instant> now, ZoneId zone) {
        this.now = now;
        this.zone = zone;
    }

    void set(Instant instant) {
        now.set(instant);
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    /** The same moving time, seen in another zone. */
    @Override
    public Clock withZone(ZoneId other) {
        return new ReplayClock(now, other);
    }

    @Override
    public Instant instant() {
        return now.get();
    }
}
