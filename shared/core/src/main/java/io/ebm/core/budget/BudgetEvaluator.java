package io.ebm.core.budget;

import io.ebm.core.alert.AlertTier;
import io.ebm.core.alert.BurnRateThreshold;
import io.ebm.core.counts.CountSeries;
import io.ebm.core.counts.EmptySlices;
import io.ebm.core.counts.MinuteCounts;
import io.ebm.core.counts.WindowCounts;
import io.ebm.core.slo.TimeWindow;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps the counts of one budget and evaluates it at any instant. Every window is two lookups per component
 * in the cumulative series, so one snapshot costs O(windows × components), never O(window length).
 */
public final class BudgetEvaluator {

    /** The burn-rate windows every snapshot reports, besides the SLO window itself. */
    public static final Map<String, Long> REPORTED_WINDOWS = reportedWindows();

    private static final long MINUTES_3D = 3 * 1440;

    private final BudgetSpec spec;
    private final List<CountSeries> series;
    private final Map<String, CountSeries> seriesByKey;

    public BudgetEvaluator(BudgetSpec spec) {
        this(spec, EmptySlices.EXCLUDE);
    }

    public BudgetEvaluator(BudgetSpec spec, EmptySlices emptySlices) {
        this.spec = spec;
        long retain = Math.max(spec.window().maxPeriodMinutes(), MINUTES_3D);
        for (AlertTier t : spec.tiers()) {
            retain = Math.max(retain, t.longWindowMinutes());
        }
        this.series = new ArrayList<>();
        this.seriesByKey = new HashMap<>();
        for (BudgetSpec.Component c : spec.components()) {
            CountSeries s = switch (spec.method()) {
                case OCCURRENCES -> CountSeries.occurrences(retain);
                case TIMESLICES -> CountSeries.timeslices(spec.sliceMinutes(), c.timeSliceTarget(), emptySlices, retain);
                case RATIO_TIMESLICES -> CountSeries.ratioTimeslices(spec.sliceMinutes(), emptySlices, retain);
            };
            series.add(s);
            seriesByKey.put(c.dataKey(), s);
        }
    }

    public BudgetSpec spec() {
        return spec;
    }

    /** The data keys this budget reads: its own name, or {@code slo/objective} for composite components. */
    public List<String> dataKeys() {
        return spec.components().stream().map(BudgetSpec.Component::dataKey).toList();
    }

    /** Adds one minute of counts to the component named {@code dataKey}. */
    public void add(String dataKey, long epochMinute, MinuteCounts counts) {
        CountSeries s = seriesByKey.get(dataKey);
        if (s == null) {
            throw new IllegalArgumentException("budget " + spec.name() + " has no component " + dataKey);
        }
        s.add(epochMinute, counts);
    }

    public Snapshot snapshot(Instant at, EvaluationSettings settings) {
        long atMinute = Math.floorDiv(at.getEpochSecond(), 60);
        Instant evaluatedAt = Instant.ofEpochSecond(atMinute * 60);
        for (CountSeries s : series) {
            s.advanceTo(atMinute);
        }
        TimeWindow window = spec.window();
        TimeWindow.Interval covered = window.coveredAt(evaluatedAt);
        long periodMinutes = window.periodMinutesAt(evaluatedAt);

        Combined sloWindow = combine(minuteOf(covered.start()), atMinute);
        Map<Long, Combined> byLength = new HashMap<>();
        Map<String, Double> burnRates = new LinkedHashMap<>();
        for (Map.Entry<String, Long> w : REPORTED_WINDOWS.entrySet()) {
            burnRates.put(w.getKey(), trailing(byLength, atMinute, w.getValue()).burnRate());
        }
        burnRates.put("window", sloWindow.burnRate());

        List<Snapshot.TierResult> alerts = new ArrayList<>();
        for (AlertTier tier : spec.tiers()) {
            if (!tier.enabled()) {
                continue;
            }
            BurnRateThreshold threshold = tier.thresholdFor(periodMinutes);
            Combined longW = trailing(byLength, atMinute, tier.longWindowMinutes());
            Combined shortW = trailing(byLength, atMinute, tier.shortWindowMinutes());
            // NO_DATA on either window never fires (slo-math §3.3)
            boolean firing = longW.hasData() && shortW.hasData()
                    && threshold.exceededBy(longW.bad, longW.allowed)
                    && threshold.exceededBy(shortW.bad, shortW.allowed);
            alerts.add(new Snapshot.TierResult(tier, threshold.value(), longW.burnRate(), shortW.burnRate(), firing));
        }

        BigDecimal budgetTotal;
        BigDecimal consumed;
        String unit;
        if (spec.method().isSliced()) {
            unit = "minutes";
            budgetTotal = BigDecimal.ZERO;
            for (BudgetSpec.Component c : spec.components()) {
                budgetTotal = budgetTotal.add(c.weight().multiply(BigDecimal.ONE.subtract(c.target()))
                        .multiply(BigDecimal.valueOf(periodMinutes)));
            }
            consumed = sliceUnitsToMinutes(sloWindow.bad);
        } else {
            unit = "events";
            budgetTotal = sloWindow.allowed;
            consumed = sloWindow.bad;
        }

        BudgetStatus status;
        String reason;
        if (sloWindow.totalEvents == 0) {
            status = BudgetStatus.NO_DATA;
            reason = "no events in the SLO window " + covered.start() + " .. " + covered.end();
        } else if (sloWindow.totalEvents < settings.minimumEvents()) {
            status = BudgetStatus.INSUFFICIENT_TRAFFIC;
            reason = sloWindow.totalEvents + " events in the SLO window, fewer than the minimum "
                    + settings.minimumEvents();
        } else if (consumed.compareTo(budgetTotal) > 0) {
            status = BudgetStatus.EXHAUSTED;
            reason = "error budget exceeded: consumed " + percent(consumed, budgetTotal) + " of it";
        } else if (budgetTotal.subtract(consumed).compareTo(settings.warningRemaining().multiply(budgetTotal)) < 0) {
            status = BudgetStatus.WARNING;
            reason = "remaining budget " + percent(budgetTotal.subtract(consumed), budgetTotal)
                    + " is below the warning threshold " + settings.warningRemaining().movePointRight(2).stripTrailingZeros().toPlainString() + "%";
        } else {
            status = BudgetStatus.HEALTHY;
            reason = "remaining budget " + percent(budgetTotal.subtract(consumed), budgetTotal);
        }

        Duration tte = timeToExhaustion(budgetTotal, consumed, periodMinutes,
                trailing(byLength, atMinute, settings.currentBurnMinutes()).burnRate(), status);
        return new Snapshot(spec.name(), spec.service(), effectiveTarget(sloWindow), spec.method().openSloName(),
                window.describe(), evaluatedAt, covered.start(), covered.end(), periodMinutes,
                sloWindow.goodEvents, sloWindow.totalEvents, sloWindow.sli(), unit, budgetTotal, consumed,
                burnRates, alerts, tte, status, reason,
                spec.slo().alertWhenNoData() && status == BudgetStatus.NO_DATA);
    }

    private BigDecimal effectiveTarget(Combined sloWindow) {
        BigDecimal shared = spec.sharedTarget();
        if (shared != null || !sloWindow.hasData()) {
            return shared;
        }
        // mixed composite targets: the traffic-weighted target the components add up to
        return BigDecimal.ONE.subtract(sloWindow.allowed.divide(sloWindow.valid, new MathContext(8)));
    }

    private static Duration timeToExhaustion(BigDecimal total, BigDecimal consumed, long periodMinutes,
                                             Double currentBurn, BudgetStatus status) {
        if (status == BudgetStatus.NO_DATA || total.signum() == 0) {
            return null;
        }
        if (consumed.compareTo(total) >= 0) {
            return Duration.ZERO;
        }
        if (currentBurn == null) {
            return null;
        }
        double remainingFraction = total.subtract(consumed).divide(total, MathContext.DECIMAL64).doubleValue();
        return BudgetMath.timeToExhaustion(remainingFraction, periodMinutes, currentBurn);
    }

    private BigDecimal sliceUnitsToMinutes(BigDecimal units) {
        BigDecimal minutes = units.multiply(BigDecimal.valueOf(spec.sliceMinutes()));
        return spec.method() == io.ebm.core.slo.BudgetingMethod.RATIO_TIMESLICES
                ? minutes.divide(BigDecimal.valueOf(CountSeries.RATIO_SCALE)) : minutes;
    }

    private Combined trailing(Map<Long, Combined> cache, long atMinute, long minutes) {
        return cache.computeIfAbsent(minutes, m -> combine(atMinute - m, atMinute));
    }

    private Combined combine(long startMinute, long endMinute) {
        if (series.size() == 1) {
            BudgetSpec.Component c = spec.components().get(0);
            WindowCounts w = series.get(0).sum(startMinute, endMinute);
            BigDecimal valid = BigDecimal.valueOf(w.valid());
            return new Combined(BigDecimal.valueOf(w.bad()), valid,
                    valid.multiply(BigDecimal.ONE.subtract(c.target())), w.good(), w.total());
        }
        BigDecimal bad = BigDecimal.ZERO;
        BigDecimal valid = BigDecimal.ZERO;
        BigDecimal allowed = BigDecimal.ZERO;
        long good = 0;
        long total = 0;
        for (int i = 0; i < series.size(); i++) {
            BudgetSpec.Component c = spec.components().get(i);
            WindowCounts w = series.get(i).sum(startMinute, endMinute);
            BigDecimal weightedValid = c.weight().multiply(BigDecimal.valueOf(w.valid()));
            bad = bad.add(c.weight().multiply(BigDecimal.valueOf(w.bad())));
            valid = valid.add(weightedValid);
            allowed = allowed.add(weightedValid.multiply(BigDecimal.ONE.subtract(c.target())));
            good += w.good();
            total += w.total();
        }
        return new Combined(bad, valid, allowed, good, total);
    }

    private static long minuteOf(Instant instant) {
        return Math.floorDiv(instant.getEpochSecond(), 60);
    }

    private static String percent(BigDecimal part, BigDecimal whole) {
        if (whole.signum() == 0) {
            return "n/a";
        }
        return part.multiply(BigDecimal.valueOf(100)).divide(whole, new MathContext(4)).stripTrailingZeros()
                .toPlainString() + "%";
    }

    private static Map<String, Long> reportedWindows() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("5m", 5L);
        m.put("30m", 30L);
        m.put("1h", 60L);
        m.put("2h", 120L);
        m.put("6h", 360L);
        m.put("1d", 1440L);
        m.put("3d", MINUTES_3D);
        return java.util.Collections.unmodifiableMap(m);
    }

    /**
     * One window's sums across components, weighted. {@code allowed} = Σ weight × (1 − target) × valid is the
     * window's error budget, so bad / allowed is its burn rate.
     */
    private record Combined(BigDecimal bad, BigDecimal valid, BigDecimal allowed, long goodEvents, long totalEvents) {

        boolean hasData() {
            return valid.signum() > 0;
        }

        Double sli() {
            return hasData() ? 1.0 - bad.divide(valid, MathContext.DECIMAL64).doubleValue() : null;
        }

        Double burnRate() {
            return hasData() ? bad.divide(allowed, MathContext.DECIMAL64).doubleValue() : null;
        }
    }
}
