package io.ebm.local;

import io.ebm.core.budget.BudgetEvaluator;
import io.ebm.core.budget.Snapshot;
import io.ebm.core.counts.MinuteCounts;
import io.ebm.core.openslo.OpenSloLoader;
import io.ebm.core.openslo.SloDefinitions;
import io.ebm.core.policy.Policy;
import io.ebm.core.policy.PolicyLoader;
import io.ebm.core.slo.DurationShorthand;
import io.ebm.engine.Evaluation;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * {@code series}: every SLO evaluated at every step of a span of exported counts, one CSV row per SLO per step
 * (status, SLI, budget left, the burn rate of each reported window): what a user plots to tune alert thresholds,
 * or compares with a range query of another system. The counts go through the same pipeline as {@code evaluate};
 * each step costs a snapshot per SLO (window sums are two reads each), not a scan of the windows.
 */
final class SeriesCommand {

    /** The most steps one run writes: a year of minutes. */
    static final long MAX_STEPS = 366L * 1440;

    private SeriesCommand() {
    }

    static int run(List<String> args, PrintStream out) {
        Options o = new Options(args, Set.of("slo", "data", "policy", "from", "to", "every", "out"), "series");
        Path sloPath = Path.of(o.required("slo", "series"));
        Path dataPath = Path.of(o.required("data", "series"));
        Path target = Path.of(o.required("out", "series"));
        Duration every = o.duration("every", Duration.ofMinutes(1));
        if (every.getSeconds() % 60 != 0 || every.toMinutes() < 1 || every.toDays() > 1) {
            throw new UsageException("series: --every must be whole minutes from 1m to 1d, got "
                    + DurationShorthand.ofMinutes(Math.max(0, every.toMinutes())));
        }
        Instant to = o.instant("to", null);
        if (to == null) {
            to = Instant.ofEpochSecond((lastRowMinute(dataPath) + 1) * 60);
        }
        Instant from = o.instant("from", to.minus(Duration.ofDays(1)));
        long step = every.toMinutes();
        long fromMinute = Math.floorDiv(from.getEpochSecond() + 59, 60);
        long toMinute = Math.floorDiv(to.getEpochSecond(), 60);
        if (fromMinute >= toMinute) {
            throw new UsageException("series: --from must be before --to, got " + from + " .. " + to);
        }
        if ((toMinute - fromMinute) / step > MAX_STEPS) {
            throw new UsageException("series: at most " + MAX_STEPS + " steps a run, got "
                    + (toMinute - fromMinute) / step + "; use a larger --every or a shorter span");
        }
        Evaluation[] loaded = new Evaluation[1];
        Evaluation.Feed[][] feeds = new Evaluation.Feed[1][];
        // the definitions load while the reader parses the counts
        java.util.function.Supplier<List<String>> definitions = () -> {
            SloDefinitions slos = OpenSloLoader.load(sloPath);
            Policy policy = o.get("policy") == null ? Policy.NONE : PolicyLoader.load(Path.of(o.get("policy")));
            loaded[0] = new Evaluation(slos, policy);
            List<String> keys = List.copyOf(loaded[0].dataKeys());
            feeds[0] = keys.stream().map(loaded[0]::feed).toArray(Evaluation.Feed[]::new);
            return keys;
        };
        // written beside the target and moved over it at the end: a bad row leaves no half-written series
        Path partial = target.resolveSibling(target.getFileName() + ".partial");
        long[] next = {fromMinute};
        long[] rows = {0};
        boolean done = false;
        try (Writer w = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
            w.write(header());
            CountsCsv.scan(dataPath, CountsCsv.Order.WHOLE_FILE, definitions, (series, minute, good, total) -> {
                // every step up to this minute sees the minutes before it only
                while (next[0] <= minute && next[0] < toMinute) {
                    rows[0] += write(w, loaded[0].snapshots(Instant.ofEpochSecond(next[0] * 60)));
                    next[0] += step;
                }
                if (minute < toMinute) {
                    try {
                        feeds[0][series].add(minute, new MinuteCounts(good, total));
                    } catch (IllegalArgumentException e) {
                        throw new UsageException(dataPath + ": " + e.getMessage());
                    }
                }
            });
            for (; next[0] < toMinute; next[0] += step) {
                rows[0] += write(w, loaded[0].snapshots(Instant.ofEpochSecond(next[0] * 60)));
            }
            w.close();
            Files.move(partial, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            done = true;
        } catch (IOException | UncheckedIOException e) {
            throw new UsageException("series: cannot write " + target + ": " + e.getMessage());
        } finally {
            if (!done) {
                partial.toFile().delete();
            }
        }
        out.println("wrote " + rows[0] + " rows (" + loaded[0].budgets().size() + " SLOs, "
                + (toMinute - fromMinute + step - 1) / step + " steps of " + DurationShorthand.ofMinutes(step) + ") to "
                + target);
        return 0;
    }

    static String header() {
        StringBuilder h = new StringBuilder("timestamp,slo,status,sli,budget_remaining");
        for (String w : BudgetEvaluator.REPORTED_WINDOWS.keySet()) {
            h.append(",burn_").append(w);
        }
        return h.append(",burn_window\n").toString();
    }

    private static int write(Writer w, List<Snapshot> snapshots) {
        try {
            StringBuilder line = new StringBuilder(256 * snapshots.size());
            String at = snapshots.isEmpty() ? "" : snapshots.get(0).evaluatedAt().toString();
            for (Snapshot s : snapshots) {
                line.append(at).append(',').append(s.name()).append(',').append(s.status()).append(',');
                number(line, s.sli());
                line.append(',');
                number(line, s.remainingFraction());
                for (String key : BudgetEvaluator.REPORTED_WINDOWS.keySet()) {
                    line.append(',');
                    number(line, s.burnRates().get(key));
                }
                line.append(',');
                number(line, s.burnRates().get("window"));
                line.append('\n');
            }
            w.append(line);
            return snapshots.size();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The shortest text that reads back as the same double; empty when there is none (no data). */
    private static void number(StringBuilder b, Double v) {
        if (v != null && !v.isNaN()) {
            b.append(v.doubleValue());
        }
    }

    /** The minute of the file's last row (the file is in time order), read from its end. */
    static long lastRowMinute(Path file) {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long length = f.length();
            int n = (int) Math.min(length, CountsCsv.MAX_LINE);
            byte[] tail = new byte[n];
            f.seek(length - n);
            f.readFully(tail);
            String[] lines = new String(tail, StandardCharsets.UTF_8).split("\n");
            for (int i = lines.length - 1; i >= 0; i--) {
                String line = lines[i].strip();
                if (!line.isEmpty()) {
                    int comma = line.indexOf(',');
                    Instant last = Instant.parse(line.substring(0, comma < 0 ? line.length() : comma).strip());
                    return Math.floorDiv(last.getEpochSecond(), 60);
                }
            }
        } catch (IOException | RuntimeException e) {
            // below: the reader names what is wrong when there is a row at all
        }
        throw new UsageException(file + ": the last row's timestamp cannot be read; give --to");
    }
}
