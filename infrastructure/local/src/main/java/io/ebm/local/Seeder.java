package io.ebm.local;

import io.ebm.core.budget.Snapshot;
import io.ebm.core.budget.SnapshotJson;
import io.ebm.core.incident.Incident;
import io.ebm.core.openslo.OpenSloLoader;
import io.ebm.core.openslo.SloDefinitions;
import io.ebm.core.policy.Policy;
import io.ebm.core.policy.PolicyLoader;
import io.ebm.core.store.Definition;
import io.ebm.core.store.SnapshotRecord;
import io.ebm.engine.AlertReplay;
import io.ebm.engine.Evaluation;
import io.ebm.store.SqliteBudgetStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Fills a store from files: the SLO definitions and policy, snapshots of exported counts evaluated every
 * {@code every}, as the calculator would have written them, and the incidents a calculator ticking every five
 * minutes would have opened ({@link AlertReplay}). Optional renamed copies of the last snapshots make
 * a larger store for load tests. Everything is checked first (definitions, policy, every row) and then written in
 * one transaction: bad input writes nothing.
 */
final class Seeder {

    /** The calculator's deployed cadence, at which the incidents are replayed. */
    static final Duration CALCULATOR_TICK = Duration.ofMinutes(5);

    private Seeder() {
    }

    static int seed(SqliteBudgetStore store, Path slos, Path data, Path policyFile, Duration every, int copies) {
        SloDefinitions definitions = OpenSloLoader.load(slos);
        Policy policy = policyFile == null ? Policy.NONE : PolicyLoader.load(policyFile);
        Map<String, String> texts = definitionTexts(slos, definitions);
        Evaluation evaluation = new Evaluation(definitions, policy);
        // the incidents, as a calculator at the deployed 5-minute cadence would have opened and resolved them
        AlertReplay alerting = new AlertReplay(definitions, policy, CALCULATOR_TICK);
        long step = every.toMinutes();
        Map<String, Long> versions = new HashMap<>();
        List<SnapshotRecord> records = new ArrayList<>();
        long[] next = {Long.MIN_VALUE};
        CountsCsv.Summary read = CountsCsv.stream(data, evaluation.dataKeys(),
                CountsCsv.Order.WHOLE_FILE, r -> {
                    if (next[0] == Long.MIN_VALUE) {
                        next[0] = r.epochMinute() + step;
                    }
                    while (r.epochMinute() >= next[0]) {
                        add(records, evaluation.snapshots(Instant.ofEpochSecond(next[0] * 60)), versions);
                        next[0] += step;
                    }
                    try {
                        evaluation.add(r.slo(), r.epochMinute(), r.counts());
                        alerting.add(r.slo(), r.epochMinute(), r.counts());
                    } catch (IllegalArgumentException e) {
                        // counts the budget cannot hold exactly (a window sum past 64 bits): named, nothing written
                        throw new UsageException(data + ": " + e.getMessage());
                    }
                });
        if (read.rows() == 0) {
            throw new UsageException(data + ": no data rows to seed from");
        }
        Instant end = Instant.ofEpochSecond((read.lastMinute() + 1) * 60);
        List<Snapshot> last = evaluation.snapshots(end);
        add(records, last, versions);
        Map<String, List<Incident>> incidents = new HashMap<>();
        alerting.finish(end).budgets().forEach(b -> incidents.put(b.name(), b.incidents()));
        for (int i = 0; i < copies; i++) {
            for (Snapshot s : last) {
                String text = SnapshotJson.toText(s).replace("\"name\":\"" + s.name() + "\"",
                        "\"name\":\"" + s.name() + "-copy-" + i + "\"");
                records.add(new SnapshotRecord(s.name() + "-copy-" + i, s.evaluatedAt(), s.status().name(), 1, text));
            }
        }
        Instant now = Instant.now();
        store.batch(() -> {
            texts.forEach((name, text) -> store.putDefinition(name, text, now));
            if (policyFile != null) {
                store.putDefinition(Definition.policyName(policyFile.getFileName().toString()), read(policyFile), now);
            }
            for (SnapshotRecord r : records) {
                // each budget's last snapshot goes in with its incidents, as the calculator commits them
                boolean lastOfBudget = r.version() == versions.getOrDefault(r.budget(), -1L);
                store.commitEvaluation(r, List.of(), lastOfBudget ? incidents.getOrDefault(r.budget(), List.of())
                        : List.of(), List.of());
            }
        });
        return records.size();
    }

    /**
     * The text of each file the loader read, named by its path under {@code slos} (two files of one name in
     * different folders stay two definitions).
     */
    private static Map<String, String> definitionTexts(Path slos, SloDefinitions definitions) {
        Map<String, String> texts = new TreeMap<>();
        Path root = Files.isDirectory(slos) ? slos : slos.toAbsolutePath().getParent();
        for (String file : definitions.documentsByFile().keySet()) {
            Path path = Path.of(file);
            String name = root == null ? path.getFileName().toString()
                    : root.toAbsolutePath().relativize(path.toAbsolutePath()).toString().replace('\\', '/');
            texts.put(name, read(path));
        }
        return texts;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UsageException(file + ": cannot read: " + e.getMessage());
        }
    }

    private static void add(List<SnapshotRecord> records, List<Snapshot> snapshots, Map<String, Long> versions) {
        for (Snapshot s : snapshots) {
            long v = versions.merge(s.name(), 1L, Long::sum);
            records.add(new SnapshotRecord(s.name(), s.evaluatedAt(), s.status().name(), v, SnapshotJson.toText(s)));
        }
    }
}
