package io.ebm.local.demo;

import io.ebm.local.SampleData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * A month of one-minute counts for every series of the demo fleet: the sample series as events/data has them
 * (a fast incident on checkout, a slow burn on checkout latency, a collector gap on payments), and for the
 * generated SLOs a daily cycle, a small steady error rate, and on some of them a fast incident or a slow burn.
 * Seeded: every run replays the same month.
 */
public final class DemoTraffic {

    static final int DAY = 1440;

    /** Minute {@code m}'s counts; {@code total[m] < 0} means no datapoint that minute. */
    record Series(long[] good, long[] total) {
        void set(int minute, long goodCount, long totalCount) {
            good[minute] = goodCount;
            total[minute] = totalCount;
        }
    }

    private final int minutes;
    private final Map<String, Series> series;
    private final java.util.List<SampleData.Injected> injected;

    private DemoTraffic(int minutes, Map<String, Series> series, java.util.List<SampleData.Injected> injected) {
        this.minutes = minutes;
        this.series = series;
        this.injected = java.util.List.copyOf(injected);
    }

    /** A release the month injects: it lands at {@code minute} (from the start) whatever the gate says. */
    public record Release(String service, int minute, String revision) {
    }

    /**
     * The bad releases: each lands two minutes before a sample fast incident of its service starts, so that the
     * ledger has a deployment to charge it to (the search incident starts with the 10:00 release itself).
     */
    public java.util.List<Release> releases() {
        return java.util.List.of(
                new Release("checkout-api", 11 * DAY + 14 * 60 - 2, "abc123f"),
                new Release("checkout-journey", 26 * DAY + 9 * 60 - 2, "c0ffee1")).stream()
                .filter(r -> r.minute() < minutes).toList();
    }

    /** The incidents the month injects, in time order: the sample series' and the generated SLOs' troubles. */
    public java.util.List<SampleData.Injected> injected() {
        return injected;
    }

    public int minutes() {
        return minutes;
    }

    Series series(String key) {
        return series.get(key);
    }

    /** Bad events of an SLO's series (its components' too) in minutes [from, to) counted from the start. */
    public long badEvents(String slo, int from, int to) {
        long bad = 0;
        for (Map.Entry<String, Series> e : series.entrySet()) {
            if (e.getKey().equals(slo) || e.getKey().startsWith(slo + "/")) {
                Series s = e.getValue();
                for (int m = Math.max(0, from); m < Math.min(to, minutes); m++) {
                    bad += s.total()[m] < 0 ? 0 : s.total()[m] - s.good()[m];
                }
            }
        }
        return bad;
    }

    /** The sample series and those of generated SLOs {@code 0 .. generated-1}, for {@code days} days. */
    public static DemoTraffic generate(int days, int generated) {
        int n = days * DAY;
        Map<String, Series> out = new LinkedHashMap<>();
        try {
            SampleData.generate(days, (m, key, good, total) ->
                    out.computeIfAbsent(key, k -> empty(n)).set(m, good, total));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        java.util.List<SampleData.Injected> injected = new java.util.ArrayList<>();
        SampleData.INJECTED.stream().filter(x -> x.minute() < n).forEach(injected::add);
        for (int i = 0; i < generated; i++) {
            out.put(DemoFleet.generatedName(i), operation(i, n));
            Trouble t = trouble(i);
            if (t.fastDay() >= 0 && t.fastDay() * DAY < n) {
                injected.add(new SampleData.Injected(DemoFleet.generatedName(i), "fast incident",
                        t.fastDay() * DAY + t.fastHour() * 60, t.fastMinutes(), true));
            }
            if (t.slowFromDay() >= 0 && t.slowFromDay() * DAY < n) {
                injected.add(new SampleData.Injected(DemoFleet.generatedName(i), "slow burn", t.slowFromDay() * DAY,
                        Integer.MAX_VALUE, true));
            }
        }
        injected.sort(java.util.Comparator.comparingInt(SampleData.Injected::minute));
        return new DemoTraffic(n, out, injected);
    }

    private static Series empty(int n) {
        long[] total = new long[n];
        Arrays.fill(total, -1);
        return new Series(new long[n], total);
    }

    /** Which generated SLOs get trouble, and when (day, hour; lengths in minutes). */
    record Trouble(int fastDay, int fastHour, int fastMinutes, double fastRatio, int slowFromDay, double slowFactor) {
        static final Trouble NONE = new Trouble(-1, 0, 0, 0, -1, 0);
    }

    static Trouble trouble(int i) {
        if (i % 9 == 3) {
            return new Trouble(3 + (i * 7) % 25, 8 + i % 10, 25 + (i * 13) % 30, 0.15 + (i % 4) * 0.05, -1, 0);
        }
        if (i % 11 == 5) {
            return new Trouble(-1, 0, 0, 0, 14 + i % 6, 1.6 + (i % 3) * 0.55); // clear of the 3x ticket threshold
        }
        return Trouble.NONE;
    }

    private static Series operation(int i, int n) {
        Random random = new Random(7919L * (i + 1));
        boolean availability = i % 2 == 0;
        double budget = availability ? 0.001 : 0.01;
        double steady = budget * (0.1 + 0.3 * random.nextDouble());
        double perMinute = 80 + (i * 137) % 1200;
        Trouble t = trouble(i);
        Series s = empty(n);
        for (int m = 0; m < n; m++) {
            double cycle = 1 + 0.5 * Math.sin(2 * Math.PI * ((m % DAY) - 360) / DAY);
            long total = Math.max(0, Math.round(perMinute * cycle + random.nextGaussian() * Math.sqrt(perMinute)));
            double p = steady;
            int fastFrom = t.fastDay() * DAY + t.fastHour() * 60;
            if (t.fastDay() >= 0 && m >= fastFrom && m < fastFrom + t.fastMinutes()) {
                p = t.fastRatio();
            } else if (t.slowFromDay() >= 0 && m >= t.slowFromDay() * DAY) {
                p = budget * t.slowFactor();
            }
            long bad = Math.min(total, SampleData.poisson(total * p, random));
            s.set(m, total - bad, total);
        }
        return s;
    }

    /** The minutes of [from, to) (counted from the start) that hold counts. */
    static java.util.NavigableMap<Long, io.ebm.core.counts.MinuteCounts> minutes(Series s, long startMinute, int from,
                                                                            int to) {
        java.util.NavigableMap<Long, io.ebm.core.counts.MinuteCounts> out = new java.util.TreeMap<>();
        for (int m = Math.max(0, from); m < Math.min(to, s.total().length); m++) {
            if (s.total()[m] >= 0) {
                out.put(startMinute + m, new io.ebm.core.counts.MinuteCounts(s.good()[m], s.total()[m]));
            }
        }
        return out;
    }

    /** The role values the metrics carry: good and bad are derived from the stored good count. */
    /** What a metric bound to one series shows: its good events, its bad ones, or all. */
    enum Role {
        GOOD, BAD, TOTAL;

        static Role named(String role) {
            return switch (role) {
                case "total" -> TOTAL;
                case "good" -> GOOD;
                case "bad" -> BAD;
                default -> throw new IllegalArgumentException("unknown role " + role);
            };
        }
    }

    static long value(Series s, int minute, Role role) {
        long total = s.total()[minute];
        return switch (role) {
            case TOTAL -> total;
            case GOOD -> s.good()[minute];
            case BAD -> total - s.good()[minute];
        };
    }
}
