package io.ebm.local;

import io.ebm.core.budget.Snapshot;
import io.ebm.core.budget.SnapshotJson;
import io.ebm.core.openslo.OpenSloLoader;
import io.ebm.core.policy.Policy;
import io.ebm.core.policy.PolicyLoader;
import io.ebm.core.store.BudgetStore;
import io.ebm.core.store.Definition;
import io.ebm.core.store.SnapshotRecord;
import io.ebm.engine.Evaluation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Fills a store from files: the SLO definitions and policy, and snapshots of exported counts evaluated every
 * {@code every}, as the calculator would have written them. Optional renamed copies of the last snapshots make
 * a larger store for load tests.
 */
final class Seeder {

    private Seeder() {
    }

    static int seed(BudgetStore store, Path slos, Path data, Path policyFile, Duration every, int copies) {
        try (Stream<Path> files = Files.isDirectory(slos) ? Files.list(slos) : Stream.of(slos)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted()
                    .toList()) {
                store.putDefinition(f.getFileName().toString(), Files.readString(f), Instant.now());
            }
            if (policyFile != null) {
                store.putDefinition(Definition.policyName(policyFile.getFileName().toString()), Files.readString(policyFile), Instant.now());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Policy policy = policyFile == null ? Policy.NONE : PolicyLoader.load(policyFile);
        Evaluation evaluation = new Evaluation(OpenSloLoader.load(slos), policy);
        List<CountsCsv.Row> rows = CountsCsv.read(data, evaluation::accepts, evaluation.dataKeys());
        if (rows.isEmpty()) {
            throw new UsageException(data + ": no data rows to seed from");
        }
        long step = every.toMinutes();
        long next = rows.get(0).epochMinute() + step;
        long end = rows.get(rows.size() - 1).epochMinute() + 1;
        Map<String, Long> versions = new HashMap<>();
        int written = 0;
        List<Snapshot> last = List.of();
        for (CountsCsv.Row r : rows) {
            while (r.epochMinute() >= next) {
                last = evaluation.snapshots(Instant.ofEpochSecond(next * 60));
                written += write(store, last, versions);
                next += step;
            }
            try {
                evaluation.add(r.slo(), r.epochMinute(), r.counts());
            } catch (IllegalArgumentException e) {
                // counts the budget cannot hold exactly (a window sum past 64 bits): named, nothing evaluated
                throw new UsageException(data + ": " + e.getMessage());
            }
        }
        last = evaluation.snapshots(Instant.ofEpochSecond(end * 60));
        written += write(store, last, versions);
        for (int i = 0; i < copies; i++) {
            for (Snapshot s : last) {
                String text = SnapshotJson.toText(s).replace("\"name\":\"" + s.name() + "\"",
                        "\"name\":\"" + s.name() + "-copy-" + i + "\"");
                store.putSnapshot(new SnapshotRecord(s.name() + "-copy-" + i, s.evaluatedAt(), s.status().name(), 1, text));
                written++;
            }
        }
        return written;
    }

    private static int write(BudgetStore store, List<Snapshot> snapshots, Map<String, Long> versions) {
        for (Snapshot s : snapshots) {
            long v = versions.merge(s.name(), 1L, Long::sum);
            store.putSnapshot(new SnapshotRecord(s.name(), s.evaluatedAt(), s.status().name(), v, SnapshotJson.toText(s)));
        }
        return snapshots.size();
    }
}
