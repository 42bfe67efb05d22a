package io.ebm.engine.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.ebm.core.SettableClock;
import io.ebm.core.port.AlertNotice;
import io.ebm.core.store.OutboxEntry;
import io.ebm.core.store.SnapshotRecord;
import io.ebm.store.MemoryBudgetStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Grouped delivery: notices sharing a key (and a transition) go out as one, after the group's interval. */
class OutboxGroupingTest {

    static final Instant T = Instant.parse("2026-11-12T14:15:00Z");

    static OutboxEntry entry(String slo, String transition, Instant at, Duration wait, String... keys) {
        AlertNotice n = new AlertNotice("[PAGE] " + transition + " " + slo, "body " + slo,
                Map.of("severity", "page", "kind", "burn", "transition", transition, "slo", slo, "service", "s",
                        "dedupKey", slo + "/1", "notice", slo + "/1#" + transition), List.of(),
                keys.length == 0 ? null : new AlertNotice.Grouping(List.of(keys), wait));
        return OutboxEntry.of(slo + "/1#" + transition, OutboxEntry.ALERT, slo, at, n.toJson());
    }

    @Test
    void sharedKeysChainIntoOneBatchPerTransitionAndOthersGoAlone() {
        List<OutboxEntry> pending = List.of(
                entry("a", "FIRING", T, Duration.ZERO, "metric:lb"),
                entry("b", "FIRING", T, Duration.ZERO, "metric:lb", "metric:db"),
                entry("c", "FIRING", T, Duration.ZERO, "metric:db"),
                entry("d", "RESOLVED", T, Duration.ZERO, "metric:lb"),   // another transition: not with a
                entry("e", "FIRING", T, Duration.ZERO),                   // not grouped
                entry("f", "FIRING", T, Duration.ZERO, "metric:other"),
                OutboxEntry.of("status#a#1", OutboxEntry.STATUS, "a", T, "{}"));
        List<List<String>> batches = Outbox.batches(pending, Set.of(OutboxEntry.ALERT, OutboxEntry.STATUS)).stream()
                .map(b -> b.entries().stream().map(OutboxEntry::budget).toList()).toList();
        assertThat(batches).containsExactly(List.of("a", "b", "c"), List.of("d"), List.of("e"), List.of("f"),
                List.of("a"));
        assertThat(Outbox.batches(pending, Set.of(OutboxEntry.STATUS))).singleElement()
                .satisfies(b -> assertThat(b.entries()).extracting(OutboxEntry::id).containsExactly("status#a#1"));
    }

    @Test
    void aGroupWaitsForItsIntervalThenGoesOutAsOneNoticeAndIsDeleted() {
        MemoryBudgetStore store = new MemoryBudgetStore();
        SettableClock clock = new SettableClock(T);
        List<AlertNotice> sent = new ArrayList<>();
        Outbox outbox = new Outbox(store, sent::add, e -> { }, clock);
        store.commitEvaluation(new SnapshotRecord("a", T, "HEALTHY", 1, "{}"), List.of(), List.of(),
                List.of(entry("a", "FIRING", T, Duration.ofMinutes(1), "service:checkout")));
        store.commitEvaluation(new SnapshotRecord("b", T, "HEALTHY", 1, "{}"), List.of(), List.of(),
                List.of(entry("b", "FIRING", T, Duration.ofMinutes(1), "service:checkout")));

        Outbox.Delivery early = outbox.deliver(Set.of(OutboxEntry.ALERT));
        assertThat(early.alerts()).isZero();
        assertThat(early.undelivered()).isEqualTo(2); // waiting for others to join
        assertThat(sent).isEmpty();

        clock.set(T.plus(Duration.ofMinutes(1)));
        Outbox.Delivery due = outbox.deliver(Set.of(OutboxEntry.ALERT));
        assertThat(due.alerts()).isEqualTo(2);
        assertThat(sent).singleElement().satisfies(n -> {
            assertThat(n.subject()).isEqualTo("[PAGE] FIRING 2 SLOs: a, b");
            assertThat(n.attributes()).containsEntry("members", "a/1#FIRING b/1#FIRING")
                    .containsEntry("notice", "group:a/1#FIRING").containsEntry("slo", "a,b");
            assertThat(n.body()).startsWith("2 SLOs together:").contains("body a").contains("body b");
        });
        assertThat(store.pendingOutbox()).isEmpty();
    }

    @Test
    void aFailedGroupStaysWholeAndIsSentAgainAfterTheLease() {
        MemoryBudgetStore store = new MemoryBudgetStore();
        SettableClock clock = new SettableClock(T);
        List<AlertNotice> sent = new ArrayList<>();
        boolean[] down = {true};
        Outbox outbox = new Outbox(store, n -> {
            if (down[0]) {
                throw new IllegalStateException("SNS unreachable");
            }
            sent.add(n);
        }, e -> { }, clock);
        store.commitEvaluation(new SnapshotRecord("a", T, "HEALTHY", 1, "{}"), List.of(), List.of(),
                List.of(entry("a", "FIRING", T, Duration.ZERO, "metric:lb"), entry("b", "FIRING", T, Duration.ZERO,
                        "metric:lb")));
        Outbox.Delivery failed = outbox.deliver(Set.of(OutboxEntry.ALERT));
        assertThat(failed.failures()).hasSize(2).allSatisfy(f -> assertThat(f).contains("SNS unreachable"));
        assertThat(failed.undelivered()).isEqualTo(2);
        down[0] = false;
        assertThat(outbox.deliver(Set.of(OutboxEntry.ALERT)).alerts()).isZero(); // leased by the failed run
        clock.set(T.plus(Outbox.LEASE));
        assertThat(outbox.deliver(Set.of(OutboxEntry.ALERT)).alerts()).isEqualTo(2);
        assertThat(sent).singleElement().satisfies(n -> assertThat(n.attributes().get("members"))
                .isEqualTo("a/1#FIRING b/1#FIRING"));
    }
}
