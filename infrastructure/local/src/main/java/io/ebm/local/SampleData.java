package io.ebm.local;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * The sample counts in events/data: 30 days of one-minute counts for the sample SLOs, with a daily traffic
 * cycle, a fast incident (checkout errors, day 12), a slow burn (checkout latency from day 22), a collector gap
 * (payments, day 15) and a maintenance window (payments, day 10). Seeded, so the file is reproducible.
 */
public final class SampleData {

    static final Instant DEFAULT_START = Instant.parse("2026-11-01T00:00:00Z");
    private static final int DAY = 1440;

    private SampleData() {
    }

    /** One SLI's traffic: requests per minute at the daily mean, and its error ratio at minute {@code m}. */
    private record Stream(String key, double perMinute, ErrorRatio errors, Gap gap) {
    }

    private interface ErrorRatio {
        double at(int minute, Random random);
    }

    private interface Gap {
        boolean missing(int minute);
    }

    private static boolean within(int m, int day, int hour, int minute, int length) {
        int from = (day - 1) * DAY + hour * 60 + minute;
        return m >= from && m < from + length;
    }

    private static final List<Stream> STREAMS = List.of(
            new Stream("api-availability", 1000,
                    (m, r) -> within(m, 12, 14, 0, 40) ? 0.25 : 0.0003, m -> false),
            new Stream("api-latency", 800,
                    (m, r) -> m >= 21 * DAY ? 0.032 : 0.003, m -> false),
            new Stream("search-timeslices", 300,
                    (m, r) -> within(m, 5, 10, 0, 30) ? 0.5 : r.nextInt(DAY) < 3 ? 0.2 : 0.001, m -> false),
            new Stream("payments-monthly", 200,
                    (m, r) -> within(m, 10, 2, 0, 60) ? 0.5 : 0.0002, m -> within(m, 15, 6, 0, 360)),
            new Stream("checkout-journey/browse", 2000,
                    (m, r) -> within(m, 27, 9, 0, 30) ? 0.1 : 0.0008, m -> false),
            new Stream("checkout-journey/pay", 150,
                    (m, r) -> 0.0003, m -> false));

    /**
     * Something the sample month does to an SLO on purpose, for {@code minutes} from {@code minute} (counted from
     * the start); {@code expectNotice} is false for what the policy excludes.
     */
    public record Injected(String slo, String what, int minute, int minutes, boolean expectNotice) {
    }

    /** What the sample series inject, as {@link #STREAMS} writes it (a slow burn lasts to the end). */
    public static final List<Injected> INJECTED = List.of(
            new Injected("search-timeslices", "fast incident", 4 * DAY + 10 * 60, 30, true),
            new Injected("payments-monthly", "maintenance (excluded by the policy)", 9 * DAY + 2 * 60, 60, false),
            new Injected("api-availability", "fast incident", 11 * DAY + 14 * 60, 40, true),
            new Injected("payments-monthly", "collector gap (no data)", 14 * DAY + 6 * 60, 360, true),
            new Injected("api-latency", "slow burn", 21 * DAY, Integer.MAX_VALUE, true),
            new Injected("checkout-journey", "fast incident (browse)", 26 * DAY + 9 * 60, 30, true));

    static int run(List<String> args, java.io.PrintStream out) {
        Options o = new Options(args, Set.of("out", "days", "start", "slos", "slo-out"), "sample-data");
        Path file = Path.of(o.required("out", "sample-data"));
        int days = o.integer("days", 30, 1, 3660);
        Instant start = o.instant("start", DEFAULT_START);
        int slos = o.integer("slos", SAMPLE_SLOS, SAMPLE_SLOS, 10_000);
        if (slos > SAMPLE_SLOS && o.get("slo-out") == null) {
            throw new UsageException("sample-data: --slos above " + SAMPLE_SLOS + " needs --slo-out <dir> for the "
                    + "definitions of the generated SLOs");
        }
        if (o.get("slo-out") != null) {
            writeDefinitions(Path.of(o.get("slo-out")), slos);
        }
        long rows = write(file, start, days, slos - SAMPLE_SLOS);
        out.println("wrote " + rows + " rows to " + file + (o.get("slo-out") == null ? ""
                : " and " + slos + " SLO definitions to " + o.get("slo-out")));
        return 0;
    }

    /** The sample SLOs of events/slos: the fleet of {@code --slos N} adds the demo's per-operation SLOs to them. */
    static final int SAMPLE_SLOS = 5;

    /** The demo fleet's definitions (the samples, then generated per-operation SLOs), one file each as loaded. */
    private static void writeDefinitions(Path dir, int slos) {
        try {
            Files.createDirectories(dir);
            for (var e : io.ebm.local.demo.DemoFleet.of(slos).sloTexts().entrySet()) {
                Files.writeString(dir.resolve(e.getKey()), e.getValue(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UsageException(dir + ": cannot write the definitions: " + e.getMessage());
        }
    }

    /** One minute of one sample series, minutes counted from the start. */
    public interface Sink {
        void minute(int minute, String series, long good, long total) throws IOException;
    }

    /** The sample series minute by minute, in time order; minutes in a collector gap are not given. */
    public static void generate(int days, Sink sink) throws IOException {
        generate(days, 0, sink);
    }

    /**
     * The sample series and {@code generated} per-operation series of the demo fleet (a steady error ratio each,
     * from their own seed so that the sample series stay as they are).
     */
    static void generate(int days, int generated, Sink sink) throws IOException {
        Random random = new Random(20261101L);
        Random operations = new Random(14L);
        String[] names = new String[generated];
        double[] perMinute = new double[generated];
        double[] errors = new double[generated];
        for (int i = 0; i < generated; i++) {
            names[i] = io.ebm.local.demo.DemoFleet.generatedName(i);
            perMinute[i] = 50 + operations.nextInt(950);
            errors[i] = i % 2 == 0 ? 0.0004 : 0.004;
        }
        for (int m = 0; m < days * DAY; m++) {
            double cycle = 1 + 0.5 * Math.sin(2 * Math.PI * ((m % DAY) - 360) / DAY);
            for (Stream s : STREAMS) {
                long total = Math.max(0, Math.round(s.perMinute() * cycle + random.nextGaussian()
                        * Math.sqrt(s.perMinute())));
                double p = s.errors().at(m, random);
                if (s.gap().missing(m)) {
                    continue;
                }
                long bad = Math.min(total, poisson(total * p, random));
                sink.minute(m, s.key(), total - bad, total);
            }
            for (int i = 0; i < generated; i++) {
                long total = Math.max(0, Math.round(perMinute[i] * cycle + operations.nextGaussian()
                        * Math.sqrt(perMinute[i])));
                long bad = Math.min(total, poisson(total * errors[i], operations));
                sink.minute(m, names[i], total - bad, total);
            }
        }
    }

    static long write(Path file, Instant start, int days) {
        return write(file, start, days, 0);
    }

    static long write(Path file, Instant start, int days, int generated) {
        long startMinute = start.getEpochSecond() / 60;
        long[] rows = {0};
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(CountsCsv.HEADER);
            w.newLine();
            generate(days, generated, (m, series, good, total) -> {
                w.write(Instant.ofEpochSecond((startMinute + m) * 60).toString());
                w.write(',');
                w.write(series);
                w.write(',');
                w.write(Long.toString(good));
                w.write(',');
                w.write(Long.toString(total));
                w.newLine();
                rows[0]++;
            });
        } catch (IOException e) {
            throw new UsageException(file + ": cannot write: " + e.getMessage());
        }
        return rows[0];
    }

    public static long poisson(double lambda, Random random) {
        if (lambda > 30) {
            return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * random.nextGaussian()));
        }
        double limit = Math.exp(-lambda);
        double product = random.nextDouble();
        long k = 0;
        while (product > limit) {
            product *= random.nextDouble();
            k++;
        }
        return k;
    }
}
