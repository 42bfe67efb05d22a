package io.ebm.aws.testing;

import io.ebm.core.budget.Snapshot;
import io.ebm.core.counts.MinuteCounts;
import io.ebm.core.openslo.OpenSloLoader;
import io.ebm.core.openslo.SloDefinitions;
import io.ebm.core.policy.Policy;
import io.ebm.core.policy.PolicyLoader;
import io.ebm.engine.Evaluation;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/** The sample SLOs, policy and month of counts in events/, evaluated by the core at any instant. */
public final class SampleMonth {

    public static final Instant END = Instant.parse("2026-12-01T00:00:00Z");
    public static final Instant INCIDENT = Instant.parse("2026-11-12T14:30:00Z");

    private SampleMonth() {
    }

    public static SloDefinitions definitions() {
        return OpenSloLoader.load(Path.of("../../events/slos"));
    }

    public static Policy policy() {
        return PolicyLoader.load(Path.of("../../events/policies/default-policy.yaml"));
    }

    /**
     * Stores the sample SLO files, the policy (as {@code policy/default-policy.yaml}), a snapshot of every budget
     * every {@code every} over the month, and the incidents of a calculator ticking every 5 minutes, as a
     * calculator would have.
     */
    public static void seed(io.ebm.core.store.BudgetStore store, java.time.Duration every) {
        storeDefinitions(store);
        try {
            store.putDefinition("policy/default-policy.yaml",
                    Files.readString(Path.of("../../events/policies/default-policy.yaml")), Instant.EPOCH);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        Evaluation e = new Evaluation(definitions(), policy());
        io.ebm.engine.AlertReplay alerting = new io.ebm.engine.AlertReplay(definitions(), policy(),
                java.time.Duration.ofMinutes(5));
        long step = every.toMinutes();
        long next = Instant.parse("2026-11-01T00:00:00Z").getEpochSecond() / 60 + step;
        java.util.Map<String, Long> versions = new java.util.HashMap<>();
        for (String[] f : rows()) {
            long minute = Instant.parse(f[0]).getEpochSecond() / 60;
            while (minute >= next) {
                write(store, e.snapshots(Instant.ofEpochSecond(next * 60)), versions);
                next += step;
            }
            MinuteCounts counts = new MinuteCounts(Long.parseLong(f[2]), Long.parseLong(f[3]));
            e.add(f[1], minute, counts);
            alerting.add(f[1], minute, counts);
        }
        java.util.Map<String, List<io.ebm.core.incident.Incident>> incidents = new java.util.HashMap<>();
        alerting.finish(END).budgets().forEach(b -> incidents.put(b.name(), b.incidents()));
        write(store, e.snapshots(END), versions, incidents);
    }

    private static void write(io.ebm.core.store.BudgetStore store, List<Snapshot> snapshots,
                              java.util.Map<String, Long> versions) {
        write(store, snapshots, versions, java.util.Map.of());
    }

    private static void write(io.ebm.core.store.BudgetStore store, List<Snapshot> snapshots,
                              java.util.Map<String, Long> versions,
                              java.util.Map<String, List<io.ebm.core.incident.Incident>> incidents) {
        for (Snapshot s : snapshots) {
            long v = versions.merge(s.name(), 1L, Long::sum);
            store.commitEvaluation(new io.ebm.core.store.SnapshotRecord(s.name(), s.evaluatedAt(), s.status().name(),
                    v, io.ebm.core.budget.SnapshotJson.toText(s)), List.of(), incidents.getOrDefault(s.name(),
                    List.of()), List.of());
        }
    }

    /** Stores each sample SLO file as a definition named after the file. */
    public static void storeDefinitions(io.ebm.core.store.BudgetStore store) {
        try (java.util.stream.Stream<Path> files = Files.list(Path.of("../../events/slos"))) {
            for (Path f : files.sorted().toList()) {
                store.putDefinition(f.getFileName().toString(), Files.readString(f), Instant.EPOCH);
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    public static List<Snapshot> snapshots(Instant at) {
        Evaluation e = new Evaluation(definitions(), policy());
        long atMinute = at.getEpochSecond() / 60;
        for (String[] f : rows()) {
            long minute = Instant.parse(f[0]).getEpochSecond() / 60;
            if (minute < atMinute) {
                e.add(f[1], minute, new MinuteCounts(Long.parseLong(f[2]), Long.parseLong(f[3])));
            }
        }
        return e.snapshots(at);
    }

    /** The sample counts, one {@code timestamp, slo, good, total} row each, in file order. */
    private static List<String[]> rows() {
        try (BufferedReader in = Files.newBufferedReader(Path.of("../../events/data/sample-30d.csv"))) {
            return in.lines().skip(1).map(l -> l.split(",")).toList();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
