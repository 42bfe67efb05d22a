package io.ebm.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.ebm.core.counts.MinuteCounts;
import io.ebm.core.incident.AlertBook;
import io.ebm.core.incident.Incident;
import io.ebm.core.incident.TierState;
import io.ebm.core.policy.ReleaseOverride;
import java.time.Instant;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link BudgetStore} adapter must have. An adapter's test extends this and gives a
 * fresh, empty store for each test.
 */
public abstract class BudgetStoreContract {

    protected static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
    protected static final long M0 = T0.getEpochSecond() / 60;

    /** A new, empty store. */
    protected abstract BudgetStore store();

    protected static NavigableMap<Long, MinuteCounts> minutes(long from, long count, long good, long total) {
        NavigableMap<Long, MinuteCounts> m = new TreeMap<>();
        for (long i = 0; i < count; i++) {
            m.put(from + i, new MinuteCounts(good, total));
        }
        return m;
    }

    @Test
    void definitionsAreVersioned() {
        BudgetStore s = store();
        assertThat(s.definition("api")).isEmpty();
        assertThat(s.putDefinition("api", "v1 text", T0)).isEqualTo(1);
        assertThat(s.putDefinition("api", "v2 text", T0.plusSeconds(60))).isEqualTo(2);
        assertThat(s.putDefinition("web", "web text", T0)).isEqualTo(1);
        Definition api = s.definition("api").orElseThrow();
        assertThat(api.version()).isEqualTo(2);
        assertThat(api.document()).isEqualTo("v2 text");
        assertThat(api.storedAt()).isEqualTo(T0.plusSeconds(60));
        assertThat(s.definitions()).extracting(Definition::name, Definition::version)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("api", 2L), org.assertj.core.groups.Tuple.tuple("web", 1L));
    }

    @Test
    void countsRoundTripAndMissingMinutesStayMissing() {
        BudgetStore s = store();
        NavigableMap<Long, MinuteCounts> written = minutes(M0 + 50, 20, 99, 100); // crosses an hour
        written.remove(M0 + 55);
        s.upsertCounts("api", written);
        NavigableMap<Long, MinuteCounts> read = s.counts("api", M0, M0 + 120);
        assertThat(read).isEqualTo(written);
        assertThat(read).doesNotContainKey(M0 + 55);
        assertThat(s.counts("api", M0 + 60, M0 + 65)).containsOnlyKeys(M0 + 60, M0 + 61, M0 + 62, M0 + 63, M0 + 64);
        assertThat(s.counts("other", M0, M0 + 120)).isEmpty();
    }

    @Test
    void writingTheSameMinutesTwiceNeverDoubleCounts() {
        BudgetStore s = store();
        s.upsertCounts("api", minutes(M0, 10, 90, 100));
        s.upsertCounts("api", minutes(M0 + 5, 10, 80, 100)); // overlap: minutes 5..9 are replaced
        NavigableMap<Long, MinuteCounts> read = s.counts("api", M0, M0 + 60);
        assertThat(read).hasSize(15);
        assertThat(read.get(M0 + 4)).isEqualTo(new MinuteCounts(90, 100));
        assertThat(read.get(M0 + 5)).isEqualTo(new MinuteCounts(80, 100));
        assertThat(read.values().stream().mapToLong(MinuteCounts::total).sum()).isEqualTo(1500);
    }

    @Test
    void coarseDatapointsKeepTheMinutesTheyCover() {
        BudgetStore s = store();
        NavigableMap<Long, MinuteCounts> m = new TreeMap<>();
        m.put(29_000_000L, new MinuteCounts(5_000, 6_000, 60));
        m.put(29_000_060L, new MinuteCounts(400, 500, 5));
        m.put(29_000_065L, new MinuteCounts(7, 8));
        s.upsertCounts("coarse", m);
        assertThat(s.counts("coarse", 29_000_000L, 29_000_120L)).isEqualTo(m);
    }

    @Test
    void everyWriteOfCountsIsNotedForReadersThatAskWhatChanged() {
        BudgetStore s = store();
        long before = s.countsRevision();
        NavigableMap<Long, MinuteCounts> old = new TreeMap<>();
        old.put(29_000_000L, new MinuteCounts(1, 1));
        old.put(29_000_009L, new MinuteCounts(1, 1));
        s.upsertCounts("noted", old);
        s.upsertCounts("other", old);
        long middle = s.countsRevision();
        NavigableMap<Long, MinuteCounts> late = new TreeMap<>();
        late.put(29_000_500L, new MinuteCounts(2, 2));
        s.upsertCounts("noted", late);

        List<CountsChange> all = s.countsChanges("noted", before);
        assertThat(all).extracting(CountsChange::fromMinute, CountsChange::toMinute)
                .containsSubsequence(org.assertj.core.groups.Tuple.tuple(29_000_000L, 29_000_010L),
                        org.assertj.core.groups.Tuple.tuple(29_000_500L, 29_000_501L));
        assertThat(all).noneMatch(CountsChange::isAnything);
        // after the middle revision: at least the late write (a store may name earlier ones again)
        List<CountsChange> recent = s.countsChanges("noted", middle);
        assertThat(recent).extracting(CountsChange::fromMinute).contains(29_000_500L);
        assertThat(s.countsRevision()).isGreaterThanOrEqualTo(middle);
        assertThat(s.countsChanges("never-written", before)).isEmpty();
    }

    @Test
    void aThirtyDayWindowReadsBack() {
        BudgetStore s = store();
        s.upsertCounts("api", minutes(M0, 30 * 1440, 999, 1000));
        NavigableMap<Long, MinuteCounts> read = s.counts("api", M0, M0 + 30 * 1440);
        assertThat(read).hasSize(30 * 1440);
        assertThat(read.firstKey()).isEqualTo(M0);
        assertThat(read.lastKey()).isEqualTo(M0 + 30 * 1440 - 1);
    }

    @Test
    void snapshotsUseOptimisticVersions() {
        BudgetStore s = store();
        assertThat(s.putSnapshot(new SnapshotRecord("api", T0, "HEALTHY", 1, "{\"a\":1}"))).isTrue();
        assertThat(s.putSnapshot(new SnapshotRecord("api", T0.plusSeconds(60), "WARNING", 1, "{}"))).isFalse();
        assertThat(s.putSnapshot(new SnapshotRecord("api", T0.plusSeconds(60), "WARNING", 2, "{\"a\":2}"))).isTrue();
        assertThat(s.putSnapshot(new SnapshotRecord("api", T0.plusSeconds(120), "HEALTHY", 5, "{}"))).isFalse();
        SnapshotRecord latest = s.latestSnapshot("api").orElseThrow();
        assertThat(latest).isEqualTo(new SnapshotRecord("api", T0.plusSeconds(60), "WARNING", 2, "{\"a\":2}"));
        assertThat(s.snapshotHistory("api", T0, T0.plusSeconds(3600))).extracting(SnapshotRecord::version)
                .containsExactly(1L, 2L);
        assertThat(s.snapshotHistory("api", T0.plusSeconds(30), T0.plusSeconds(3600))).hasSize(1);
        assertThat(s.latestSnapshot("web")).isEmpty();
    }

    @Test
    void aPayloadReadsBackAsWrittenWhateverItsCharacters() {
        BudgetStore s = store();
        // Latin-1, beyond it, and beyond the basic plane: every store keeps each character as it was
        String payload = "{\"name\":\"caf\u00e9-\u6ce8\u6587-\ud83d\ude80\",\"statusReason\":\"a \\\"quoted\\\" reason\"}";
        SnapshotRecord written = new SnapshotRecord("unicode", T0, "HEALTHY", 1, payload);
        assertThat(s.putSnapshot(written)).isTrue();
        assertThat(s.latestSnapshot("unicode").orElseThrow().payload()).isEqualTo(payload);
        assertThat(s.snapshotHistory("unicode", T0, T0.plusSeconds(60))).singleElement()
                .extracting(SnapshotRecord::payload).isEqualTo(payload);
    }

    @Test
    void twoWritersOnOneSnapshotNeverLoseAnUpdate() throws Exception {
        BudgetStore s = store();
        int writers = 4;
        int rounds = 10;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Integer>> results = new java.util.ArrayList<>();
            for (int w = 0; w < writers; w++) {
                results.add(pool.submit(() -> {
                    start.await();
                    int won = 0;
                    for (int r = 0; r < rounds; r++) {
                        while (true) {
                            long v = s.latestSnapshot("api").map(SnapshotRecord::version).orElse(0L);
                            if (s.putSnapshot(new SnapshotRecord("api", T0.plusSeconds(v * 60), "HEALTHY", v + 1, "{}"))) {
                                won++;
                                break;
                            }
                        }
                    }
                    return won;
                }));
            }
            start.countDown();
            int total = 0;
            for (Future<Integer> f : results) {
                total += f.get(120, TimeUnit.SECONDS);
            }
            assertThat(total).isEqualTo(writers * rounds);
            assertThat(s.latestSnapshot("api").orElseThrow().version()).isEqualTo((long) writers * rounds);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void alertBooksUseOptimisticVersions() {
        BudgetStore s = store();
        AlertBook firing = book("api", incident("api/1", T0, null));
        assertThat(s.alertState("api")).isEmpty();
        assertThat(s.putAlertState(new AlertRecord(firing, 1))).isTrue();
        assertThat(s.putAlertState(new AlertRecord(firing, 1))).isFalse(); // a retried run: no second transition
        assertThat(s.alertState("api")).contains(new AlertRecord(firing, 1));
        AlertBook quiet = new AlertBook("api", List.of(TierState.inactive("page-1h")), null, null,
                T0.plusSeconds(600), null);
        assertThat(s.putAlertState(new AlertRecord(quiet, 2))).isTrue();
        assertThat(s.alertState("api")).contains(new AlertRecord(quiet, 2));
        assertThat(s.alertState("search")).isEmpty();
    }

    @Test
    void incidentsAreListedByTheTimeTheyWereOpen() {
        BudgetStore s = store();
        Incident early = incident("api/1", T0, T0.plusSeconds(1800));
        Incident late = incident("api/2", T0.plusSeconds(7200), null);
        assertThat(s.commitEvaluation(record("api", T0, 1), List.of(), List.of(early, late), List.of())).isTrue();
        assertThat(s.commitEvaluation(record("search", T0, 1), List.of(), List.of(incident("search/1", "search", T0,
                null)), List.of())).isTrue();
        assertThat(s.incidents("api", T0.minusSeconds(60), T0.plusSeconds(86_400))).containsExactly(early, late);
        assertThat(s.incidents("api", T0.plusSeconds(1800), T0.plusSeconds(3600))).containsExactly(early); // resolved at its start
        assertThat(s.incidents("api", T0.plusSeconds(1801), T0.plusSeconds(7200))).isEmpty(); // opened at its end
        assertThat(s.incidents("api", T0.plusSeconds(90_000), T0.plusSeconds(99_000))).containsExactly(late); // still open
        // an incident written again (escalated, resolved) replaces the one of its id
        Incident resolved = incident("api/2", T0.plusSeconds(7200), T0.plusSeconds(9000));
        assertThat(s.commitEvaluation(record("api", T0.plusSeconds(9000), 2), List.of(), List.of(resolved),
                List.of())).isTrue();
        assertThat(s.incidents("api", T0, T0.plusSeconds(86_400))).containsExactly(early, resolved);
        assertThat(s.incidents("api", T0.plusSeconds(90_000), T0.plusSeconds(99_000))).isEmpty();
        assertThat(s.incidents("search", T0, T0.plusSeconds(60))).hasSize(1);
    }

    @Test
    void deploymentsMergeUnderVersionsAndAreListedWithTheOneInForce() {
        BudgetStore s = store();
        io.ebm.core.deploy.Deployment old = new io.ebm.core.deploy.Deployment("checkout", "checkout-pipeline", "41",
                "aaa", "Production", T0.minusSeconds(90_000), T0.minusSeconds(86_400), T0.minusSeconds(86_000),
                io.ebm.core.deploy.Deployment.Status.SUCCEEDED, "codepipeline");
        io.ebm.core.deploy.Deployment older = new io.ebm.core.deploy.Deployment("checkout", "checkout-pipeline", "40",
                "zzz", "Production", T0.minusSeconds(200_000), T0.minusSeconds(190_000), T0.minusSeconds(189_000),
                io.ebm.core.deploy.Deployment.Status.SUCCEEDED, "codepipeline");
        io.ebm.core.deploy.Deployment started = new io.ebm.core.deploy.Deployment("checkout", "checkout-pipeline",
                "42", null, null, T0, null, null, io.ebm.core.deploy.Deployment.Status.IN_PROGRESS, "codepipeline");
        assertThat(s.putDeployment(new DeploymentRecord(old, 1))).isTrue();
        assertThat(s.putDeployment(new DeploymentRecord(older, 1))).isTrue();
        assertThat(s.putDeployment(new DeploymentRecord(started, 1))).isTrue();
        assertThat(s.putDeployment(new DeploymentRecord(started, 1))).isFalse(); // a second writer loses
        io.ebm.core.deploy.Deployment landed = started.merge(new io.ebm.core.deploy.Deployment("checkout",
                "checkout-pipeline", "42", "bbb", "Production", null, T0.plusSeconds(600), null,
                io.ebm.core.deploy.Deployment.Status.IN_PROGRESS, "codepipeline"));
        assertThat(s.putDeployment(new DeploymentRecord(landed, 2))).isTrue();
        assertThat(s.deployment("checkout", "checkout-pipeline", "42")).contains(new DeploymentRecord(landed, 2));
        assertThat(s.deployment("checkout", "checkout-pipeline", "43")).isEmpty();
        // the span's own, and the newest that landed before it (in force at its start); not the older ones
        assertThat(s.deployments("checkout", T0.minusSeconds(3600), T0.plusSeconds(3600))).containsExactly(old, landed);
        assertThat(s.deployments("checkout", T0.plusSeconds(7200), T0.plusSeconds(9000))).containsExactly(landed);
        assertThat(s.deployments("search", T0.minusSeconds(3600), T0.plusSeconds(3600))).isEmpty();
    }

    @Test
    void auditEntriesListByServiceAndTime() {
        BudgetStore s = store();
        s.appendAudit(new AuditEntry("a1", "checkout", T0, "policy-engine", "freeze releases", "EXHAUSTED", 7));
        s.appendAudit(new AuditEntry("a2", "checkout", T0.plusSeconds(60), "alice", "override", "hotfix", 7));
        s.appendAudit(new AuditEntry("a3", "search", T0.plusSeconds(30), "policy-engine", "flag off", "page", 3));
        s.appendAudit(new AuditEntry("a4", "checkout", T0.plusSeconds(7200), "policy-engine", "allow", "ok", 9));
        s.appendAudit(new AuditEntry("a1", "checkout", T0, "policy-engine", "a retry", "logged twice", 8)); // kept once
        assertThat(s.audit("checkout", T0, T0.plusSeconds(3600))).extracting(AuditEntry::id).containsExactly("a1", "a2");
        assertThat(s.audit("checkout", T0, T0.plusSeconds(3600)).get(0))
                .isEqualTo(new AuditEntry("a1", "checkout", T0, "policy-engine", "freeze releases", "EXHAUSTED", 7));
        assertThat(s.audit("search", T0, T0.plusSeconds(3600))).hasSize(1);
    }

    @Test
    void overridesCanBeListedAndRevoked() {
        BudgetStore s = store();
        ReleaseOverride o1 = new ReleaseOverride("o1", "checkout", "Production", T0.plusSeconds(3600), "fix", "alice");
        ReleaseOverride o2 = new ReleaseOverride("o2", "checkout", null, T0.plusSeconds(60), "test", "bob");
        s.putOverride(o1);
        s.putOverride(o2);
        s.putOverride(new ReleaseOverride("o3", "search", null, T0, "x", "carol"));
        assertThat(s.overrides("checkout")).containsExactlyInAnyOrder(o1, o2);
        assertThat(s.revokeOverride("o1")).isTrue();
        assertThat(s.revokeOverride("o1")).isFalse();
        assertThat(s.revokeOverride("nope")).isFalse();
        assertThat(s.overrides("checkout")).containsExactly(o2);
    }



    private static SnapshotRecord record(String budget, Instant at, long version) {
        return new SnapshotRecord(budget, at, "HEALTHY", version, "{\"name\":\"" + budget + "\",\"v\":" + version + "}");
    }

    private static Incident incident(String id, Instant opened, Instant resolved) {
        return incident(id, "api", opened, resolved);
    }

    private static Incident incident(String id, String slo, Instant opened, Instant resolved) {
        return new Incident(id, slo, "checkout", Incident.Kind.BURN, "page", opened, null, resolved,
                List.of("page-1h", "ticket-1d"), 14.5, 0, false, resolved == null ? 1 : 2);
    }

    private static AlertBook book(String budget, Incident open) {
        return new AlertBook(budget, List.of(new TierState("page-1h", TierState.Phase.FIRING, T0)), open, null, null,
                null);
    }

    private static AlertRecord firing(String budget, long version) {
        return new AlertRecord(book(budget, incident(budget + "/1", T0, null)), version);
    }

    @Test
    void anEvaluationIsCommittedWholeOrNotAtAll() {
        BudgetStore s = store();
        OutboxEntry page = OutboxEntry.of("api/page/1#FIRING", OutboxEntry.ALERT, "api", T0, "{\"subject\":\"x\"}");
        Incident opened = incident("api/1", T0, null);
        assertThat(s.commitEvaluation(record("api", T0, 1), List.of(firing("api", 1)), List.of(opened),
                List.of(page))).isTrue();
        assertThat(s.latestSnapshot("api").orElseThrow().version()).isEqualTo(1);
        assertThat(s.alertState("api").orElseThrow().book().tiers().get(0).phase()).isEqualTo(TierState.Phase.FIRING);
        assertThat(s.alertState("api").orElseThrow().book().burn()).isEqualTo(opened);
        assertThat(s.pendingOutbox()).extracting(OutboxEntry::id).containsExactly("api/page/1#FIRING");

        // a stale alert version fails the whole write: the snapshot, the incidents and the outbox stay as they were
        OutboxEntry status = OutboxEntry.of("status#api#2", OutboxEntry.STATUS, "api", T0.plusSeconds(60), "{}");
        assertThat(s.commitEvaluation(record("api", T0.plusSeconds(60), 2), List.of(firing("api", 1)),
                List.of(incident("api/1", T0, T0.plusSeconds(60))), List.of(status))).isFalse();
        assertThat(s.latestSnapshot("api").orElseThrow().version()).isEqualTo(1);
        assertThat(s.alertState("api").orElseThrow().version()).isEqualTo(1);
        assertThat(s.incidents("api", T0, T0.plusSeconds(3600))).containsExactly(opened);
        assertThat(s.pendingOutbox()).extracting(OutboxEntry::id).containsExactly("api/page/1#FIRING");
        assertThat(s.snapshotHistory("api", T0, T0.plusSeconds(3600))).hasSize(1);

        // a stale snapshot version too
        assertThat(s.commitEvaluation(record("api", T0.plusSeconds(60), 1), List.of(), List.of(), List.of(status)))
                .isFalse();
        assertThat(s.pendingOutbox()).hasSize(1);
    }

    @Test
    void outboxEntriesAreLeasedByOneRunAtATimeUntilDelivered() {
        BudgetStore s = store();
        OutboxEntry a = OutboxEntry.of("a", OutboxEntry.ALERT, "api", T0, "{\"n\":1}");
        OutboxEntry b = OutboxEntry.of("b", OutboxEntry.STATUS, "api", T0.plusSeconds(1), "{\"n\":2}");
        assertThat(s.commitEvaluation(record("api", T0, 1), List.of(), List.of(), List.of(b, a))).isTrue();
        assertThat(s.pendingOutbox()).extracting(OutboxEntry::id, OutboxEntry::payload)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("a", "{\"n\":1}"),
                        org.assertj.core.groups.Tuple.tuple("b", "{\"n\":2}"));
        Instant now = T0.plusSeconds(10);
        assertThat(s.leaseOutbox("a", now, now.plusSeconds(120))).isTrue();
        assertThat(s.leaseOutbox("a", now.plusSeconds(60), now.plusSeconds(180))).isFalse(); // held
        assertThat(s.pendingOutbox().get(0).leaseUntil()).isEqualTo(now.plusSeconds(120));
        assertThat(s.leaseOutbox("a", now.plusSeconds(120), now.plusSeconds(240))).isTrue(); // expired: a crash
        assertThat(s.leaseOutbox("missing", now, now.plusSeconds(60))).isFalse();
        s.deliveredOutbox("a");
        s.deliveredOutbox("a");
        assertThat(s.pendingOutbox()).extracting(OutboxEntry::id).containsExactly("b");
        assertThat(s.leaseOutbox("a", now.plusSeconds(999), now.plusSeconds(1999))).isFalse();
    }

    @Test
    void targetsAreVersionedAndCommittedWithTheirNotices() {
        BudgetStore s = store();
        assertThat(s.target("stage#p#Prod")).isEmpty();
        TargetRecord first = TargetRecord.none("stage#p#Prod", "checkout").next(true, null, null, T0, "exhausted");
        OutboxEntry notice = OutboxEntry.of("notice#r#api#1", OutboxEntry.NOTICE, "api", T0, "{}");
        assertThat(s.commitTarget(first, List.of(notice))).isTrue();
        assertThat(s.target("stage#p#Prod")).contains(first);
        assertThat(s.pendingOutbox()).extracting(OutboxEntry::id).containsExactly("notice#r#api#1");
        TargetRecord flag = TargetRecord.none("flag#f", "checkout").next(true, Boolean.TRUE, T0.plusSeconds(5),
                T0.plusSeconds(9), "page firing");
        assertThat(s.commitTarget(flag, List.of())).isTrue();
        assertThat(s.target("flag#f")).contains(flag);
        // a second writer of version 1 loses, and its notice is not added
        assertThat(s.commitTarget(first, List.of(OutboxEntry.of("other", OutboxEntry.NOTICE, "api", T0, "{}")))).isFalse();
        assertThat(s.pendingOutbox()).hasSize(1);
        TargetRecord rule = TargetRecord.none("rule#warn#api", "checkout").next(true, null, null, T0, "low budget");
        assertThat(s.commitTarget(rule, List.of())).isTrue();
        assertThat(s.targets("rule#")).containsExactly(rule);
        assertThat(s.targets("stage#")).containsExactly(first);
        assertThat(s.targets("stage#other#")).isEmpty();
        TargetRecord lifted = first.next(false, null, null, T0.plusSeconds(60), "healthy");
        assertThat(s.commitTarget(lifted, List.of())).isTrue();
        assertThat(s.target("stage#p#Prod").orElseThrow().version()).isEqualTo(2);
        assertThat(s.target("stage#p#Prod").orElseThrow().engaged()).isFalse();
    }

    @Test
    void marksAreReadByPrefix() {
        BudgetStore s = store();
        s.putMark("collector/through", M0);
        s.putMark("collector/gap/api", M0 - 30);
        s.putMark("collector/gap/web", M0 - 10);
        s.putMark("other", 1);
        s.putMark("collector/gap/web", M0 - 5);
        assertThat(s.marks("collector/gap/")).containsExactly(java.util.Map.entry("collector/gap/api", M0 - 30),
                java.util.Map.entry("collector/gap/web", M0 - 5));
        s.clearMark("collector/gap/api");
        assertThat(s.marks("collector/")).containsOnlyKeys("collector/through", "collector/gap/web");
    }

    @Test
    void confirmationsKeepTheNewestOfEachBudgetAcrossManyBudgets() {
        BudgetStore s = store();
        assertThat(s.confirmations()).isEmpty();
        java.time.Instant t = java.time.Instant.ofEpochSecond(M0 * 60);
        java.util.List<String> budgets = new java.util.ArrayList<>();
        for (int i = 0; i < 200; i++) {
            budgets.add("budget-" + i);
        }
        s.confirmLatest(t, budgets);
        s.confirmLatest(t.plusSeconds(300), budgets.subList(0, 50));
        s.confirmLatest(t.plusSeconds(600), java.util.List.of("checkout-journey"));
        java.util.Map<String, java.time.Instant> read = s.confirmations();
        assertThat(read).hasSize(201);
        assertThat(read.get("budget-0")).isEqualTo(t.plusSeconds(300));
        assertThat(read.get("budget-49")).isEqualTo(t.plusSeconds(300));
        assertThat(read.get("budget-50")).isEqualTo(t);
        assertThat(read.get("checkout-journey")).isEqualTo(t.plusSeconds(600));
    }

    @Test
    void latestSnapshotsInBatchesAreTheLatestOfEachBudget() {
        BudgetStore s = store();
        java.util.List<String> asked = new java.util.ArrayList<>();
        for (int i = 0; i < 130; i++) { // more than one batch of 100
            String b = "budget-" + i;
            asked.add(b);
            if (i % 13 != 0) {
                s.putSnapshot(new SnapshotRecord(b, T0, "HEALTHY", 1, "{\"i\":" + i + "}"));
            }
            if (i % 10 == 0) {
                s.putSnapshot(new SnapshotRecord(b, T0.plusSeconds(60), "WARNING", i % 13 != 0 ? 2 : 1, "{}"));
            }
        }
        java.util.Map<String, SnapshotRecord> read = s.latestSnapshots(asked);
        for (String b : asked) {
            assertThat(read.get(b)).as(b).isEqualTo(s.latestSnapshot(b).orElse(null));
        }
        assertThat(read).hasSize(130 - 10 + 1); // of budgets 0, 13, .. 117 only 0 has one (written at T0 + 60 s)
        assertThat(s.latestSnapshots(java.util.List.of())).isEmpty();
    }
}
