package io.ebm.core.budget;

import io.ebm.core.alert.AlertTier;
import io.ebm.core.alert.BurnRateThreshold;
import io.ebm.core.counts.CountSeries;
import io.ebm.core.counts.EmptySlices;
import io.ebm.core.counts.MinuteCounts;
import io.ebm.core.counts.SliceGrid;
import io.ebm.core.slo.BudgetingMethod;
import io.ebm.core.slo.CalendarWindow;
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

    private static final long MINUTES_3D = EvaluationSettings.MAX_CURRENT_BURN_MINUTES;

    /** {@link #REPORTED_WINDOWS} as arrays, and the keys of a snapshot's burn rates (theirs, then the SLO window). */
    private static final long[] REPORTED_MINUTES = REPORTED_WINDOWS.values().stream().mapToLong(Long::longValue)
            .toArray();
    private static final String[] BURN_RATE_KEYS = java.util.stream.Stream.concat(REPORTED_WINDOWS.keySet().stream(),
            java.util.stream.Stream.of("window")).toArray(String[]::new);

    private static final int RATIO_DIGITS = 9;

    private final BudgetSpec spec;
    private final long retainedMinutes;
    private final SliceGrid grid;
    private final EmptySlices emptySlices;
    private final List<CountSeries> series;
    private final Map<String, Integer> indexByKey;
    private final List<String> dataKeys;
    /** The window as a snapshot names it: fixed with the spec, written once. */
    private final String windowText;
    /** The most events one minute of one component may hold: more could overflow a window's sums. */
    private final long maxEventsPerMinute;
    private final BigDecimal[] weights;
    private final BigDecimal[] budgetFractions;
    /** weight × (1 − target) per component, multiplied once: exact, so a snapshot's sums come out the same. */
    private final BigDecimal[] allowedPerValid;
    private final double[] weightsD;
    private final double[] budgetFractionsD;
    /** Σ weight × (1 − target): the time-slice budget per minute of period. */
    private final BigDecimal budgetFractionSum;
    private final double budgetFractionSumD;
    private final BigDecimal sharedTarget;
    /** Each component's newest minute with counts: components keep their own clocks. */
    private final long[] newestDataMinute;
    private long thresholdsPeriod = -1;
    /** Sums reused from one evaluation to the next: the SLO window's, the trailing windows', a spend's. */
    private final Combined sloWindowSums;
    private final WindowCache windows = new WindowCache();
    private final Combined spentSums;
    private BurnRateThreshold[] thresholds;
    private double[] thresholdValues;
    private double[] thresholdNumerators;

    public BudgetEvaluator(BudgetSpec spec) {
        this(spec, EmptySlices.EXCLUDE);
    }

    public BudgetEvaluator(BudgetSpec spec, EmptySlices emptySlices) {
        this.spec = spec;
        this.emptySlices = emptySlices;
        long retain = Math.max(spec.window().maxPeriodMinutes(), MINUTES_3D);
        for (AlertTier t : spec.tiers()) {
            retain = Math.max(retain, t.longWindowMinutes());
        }
        this.retainedMinutes = retain;
        this.grid = !spec.method().isSliced() ? SliceGrid.uniform(1)
                : spec.window() instanceof CalendarWindow c ? new CalendarSliceGrid(c, spec.sliceMinutes())
                : SliceGrid.uniform(spec.sliceMinutes());
        this.series = new ArrayList<>();
        this.indexByKey = new HashMap<>();
        for (BudgetSpec.Component c : spec.components()) {
            CountSeries s = switch (spec.method()) {
                case OCCURRENCES -> CountSeries.occurrences(retain);
                case TIMESLICES -> CountSeries.timeslices(grid, c.timeSliceTarget(), emptySlices, retain);
                case RATIO_TIMESLICES -> CountSeries.ratioTimeslices(grid, emptySlices, retain);
            };
            indexByKey.put(c.dataKey(), series.size());
            series.add(s);
        }
        int n = spec.components().size();
        this.newestDataMinute = new long[n];
        java.util.Arrays.fill(newestDataMinute, Long.MIN_VALUE);
        // window sums, and the sum of the components' sums, stay inside 64 bits (2^63 / minutes / components)
        this.maxEventsPerMinute = Long.MAX_VALUE / (series.get(0).retainedMinutes() + 2L * grid.maxMinutes()) / n;
        this.weights = new BigDecimal[n];
        this.budgetFractions = new BigDecimal[n];
        this.allowedPerValid = new BigDecimal[n];
        this.weightsD = new double[n];
        this.budgetFractionsD = new double[n];
        BigDecimal sum = BigDecimal.ZERO;
        for (int i = 0; i < n; i++) {
            BudgetSpec.Component c = spec.components().get(i);
            weights[i] = c.weight();
            budgetFractions[i] = BigDecimal.ONE.subtract(c.target());
            weightsD[i] = weights[i].doubleValue();
            budgetFractionsD[i] = budgetFractions[i].doubleValue();
            allowedPerValid[i] = weights[i].multiply(budgetFractions[i]);
            sum = sum.add(allowedPerValid[i]);
        }
        this.budgetFractionSum = sum;
        this.budgetFractionSumD = sum.doubleValue();
        this.sharedTarget = spec.sharedTarget();
        this.dataKeys = spec.components().stream().map(BudgetSpec.Component::dataKey).toList();
        this.windowText = spec.window().describe();
        this.sloWindowSums = new Combined(n);
        this.spentSums = new Combined(n);
    }

    public BudgetSpec spec() {
        return spec;
    }

    /** How much history the windows of this budget need: what a cold start must read. */
    public long retainedMinutes() {
        return retainedMinutes;
    }

    /** The data keys this budget reads: its own name, or {@code slo/objective} for composite components. */
    public List<String> dataKeys() {
        return dataKeys;
    }

    /** How far back a minute can be written again with {@link #upsert}. */
    public static final long REWRITABLE_MINUTES = 180;

    /** Adds one minute of counts to the component named {@code dataKey}; for data read once, in order. */
    public void add(String dataKey, long epochMinute, MinuteCounts counts) {
        add(component(dataKey), epochMinute, counts);
    }

    /** The index of the component named {@code dataKey}, for {@link #add(int, long, MinuteCounts)}. */
    public int component(String dataKey) {
        return index(dataKey);
    }

    /** {@link #add(String, long, MinuteCounts)} for a component looked up once (a bulk read of one series). */
    public void add(int component, long epochMinute, MinuteCounts counts) {
        if (counts.total() > maxEventsPerMinute) {
            checkBounded(spec.components().get(component).dataKey(), epochMinute, counts);
        }
        series.get(component).add(epochMinute, counts);
        if (epochMinute > newestDataMinute[component]) {
            newestDataMinute[component] = epochMinute;
        }
    }

    /** The most events one minute of one component may hold without a window's sums overflowing. */
    public long maxEventsPerMinute() {
        return maxEventsPerMinute;
    }

    private void checkBounded(String dataKey, long epochMinute, MinuteCounts counts) {
        if (counts.total() > maxEventsPerMinute) {
            throw new IllegalArgumentException(MinuteCounts.bucket(dataKey, epochMinute) + ": total "
                    + counts.total() + " is more than " + maxEventsPerMinute
                    + ", the most one minute may hold for the windows of budget " + spec.name()
                    + " to sum exactly in 64 bits");
        }
    }

    /**
     * Writes one minute, replacing what it held: for a store read again over an overlap, where late
     * datapoints rewrite recent minutes. Minutes older than {@link #REWRITABLE_MINUTES} before the newest one
     * can no longer change.
     */
    public void upsert(String dataKey, long epochMinute, MinuteCounts counts) {
        upsert(index(dataKey), epochMinute, counts);
    }

    /** {@link #upsert(String, long, MinuteCounts)} for a component looked up once. */
    public void upsert(int component, long epochMinute, MinuteCounts counts) {
        if (counts.total() > maxEventsPerMinute) {
            checkBounded(spec.components().get(component).dataKey(), epochMinute, counts);
        }
        long newest = newestDataMinute[component];
        if (newest != Long.MIN_VALUE && epochMinute < newest - REWRITABLE_MINUTES) {
            throw new IllegalArgumentException("budget " + spec.name() + ": minute " + epochMinute + " of "
                    + spec.components().get(component).dataKey() + " is more than " + REWRITABLE_MINUTES
                    + " minutes older than the newest and can no longer be written");
        }
        CountSeries s = series.get(component);
        if (epochMinute > newest && !counts.equals(MinuteCounts.NONE)) {
            s.add(epochMinute, counts); // newer than every minute held: it held nothing, so this is an add
        } else {
            // what the minute held is read from the sums themselves: nothing else is kept per minute
            s.replace(epochMinute, s.at(epochMinute), counts);
        }
        newestDataMinute[component] = Math.max(newest, epochMinute);
    }

    private int index(String dataKey) {
        Integer i = indexByKey.get(dataKey);
        if (i == null) {
            throw new IllegalArgumentException("budget " + spec.name() + " has no component " + dataKey);
        }
        return i;
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

        Combined sloWindow = combine(minuteOf(covered.start()), atMinute, sloWindowSums, SLO_WINDOW_EDGE);
        // trailing windows of a time-slice budget end with the newest complete slice and span whole slices
        long trailingEnd = grid.startOf(atMinute);
        WindowCache windows = this.windows.from(trailingEnd);
        double[] rates = new double[BURN_RATE_KEYS.length];
        long present = 0;
        for (int i = 0; i < BURN_RATE_KEYS.length; i++) {
            Combined w = i < REPORTED_MINUTES.length ? windows.get(REPORTED_MINUTES[i]) : sloWindow;
            if (w.hasData()) {
                rates[i] = w.burnRateUnboxed();
                present |= 1L << i;
            }
        }
        Map<String, Double> burnRates = new BurnRates(BURN_RATE_KEYS, rates, present);

        List<Snapshot.TierResult> alerts = new ArrayList<>();
        BurnRateThreshold[] thresholds = thresholdsFor(periodMinutes);
        for (int i = 0; i < spec.tiers().size(); i++) {
            AlertTier tier = spec.tiers().get(i);
            if (!tier.enabled()) {
                continue;
            }
            Combined longW = windows.get(tier.longWindowMinutes());
            Combined shortW = windows.get(tier.shortWindowMinutes());
            // NO_DATA on either window never fires (slo-math §3.3)
            boolean firing = longW.hasData() && shortW.hasData()
                    && tier.op().holds(longW.compare(thresholds[i], thresholdNumerators[i]))
                    && tier.op().holds(shortW.compare(thresholds[i], thresholdNumerators[i]));
            alerts.add(new Snapshot.TierResult(tier, thresholdValues[i], longW.burnRate(), shortW.burnRate(), firing,
                    false, shortW.step()));
        }

        BigDecimal budgetTotal;
        BigDecimal consumed;
        String unit;
        double totalD;
        double consumedD;
        if (spec.method().isSliced() && emptySlices != EmptySlices.EXCLUDE) {
            // every slice counts, seen or not: (1 - target) x T (slo-math 1.2)
            unit = "minutes";
            budgetTotal = budgetFractionSum.multiply(BigDecimal.valueOf(periodMinutes));
            consumed = sliceUnitsToMinutes(sloWindow.exactBad());
            totalD = budgetFractionSumD * periodMinutes;
            consumedD = minutesD(sloWindow.badD);
        } else if (spec.method().isSliced()) {
            // the budget shares the SLI's denominator: the minutes of the slices counted so far (empty ones
            // left out), plus, in a calendar period, the minutes still to come
            unit = "minutes";
            long toCome = window instanceof CalendarWindow
                    ? Math.max(0, minuteOf(covered.start()) + periodMinutes - grid.startOf(atMinute)) : 0;
            budgetTotal = sliceUnitsToMinutes(sloWindow.exactAllowed())
                    .add(budgetFractionSum.multiply(BigDecimal.valueOf(toCome)));
            consumed = sliceUnitsToMinutes(sloWindow.exactBad());
            totalD = minutesD(sloWindow.allowedD) + budgetFractionSumD * toCome;
            consumedD = minutesD(sloWindow.badD);
        } else {
            unit = "events";
            budgetTotal = sloWindow.exactAllowed();
            consumed = sloWindow.exactBad();
            totalD = sloWindow.allowedD;
            consumedD = sloWindow.badD;
        }
        BigDecimal remaining = budgetTotal.subtract(consumed);
        double remainingFraction = totalD == 0 ? 0 : 1 - consumedD / totalD;

        // a budget is as fresh as its stalest component: one that stopped reporting is named
        int stalest = -1;
        for (int i = 0; i < newestDataMinute.length; i++) {
            if (stalest < 0 || newestDataMinute[i] < newestDataMinute[stalest]) {
                stalest = i;
            }
        }
        long freshest = Long.MIN_VALUE;
        for (long m : newestDataMinute) {
            freshest = Math.max(freshest, m);
        }
        long stalestMinute = newestDataMinute[stalest];
        Instant lastDataAt = stalestMinute == Long.MIN_VALUE ? null : Instant.ofEpochSecond((stalestMinute + 1) * 60);
        boolean stale = settings.staleAfterMinutes() > 0 && freshest != Long.MIN_VALUE
                && (stalestMinute == Long.MIN_VALUE || atMinute - (stalestMinute + 1) > settings.staleAfterMinutes());
        BudgetStatus status;
        String reason;
        if (stale) {
            status = BudgetStatus.NO_DATA;
            String who = spec.components().size() > 1 ? "component " + spec.components().get(stalest).dataKey() + ": " : "";
            reason = "stale: " + who + (lastDataAt == null ? "no counts in the window"
                    : "no counts since " + io.ebm.core.Human.time(lastDataAt)) + ", more than "
                    + io.ebm.core.Human.duration(java.time.Duration.ofMinutes(settings.staleAfterMinutes()))
                    + " before " + io.ebm.core.Human.time(evaluatedAt);
        } else if (sloWindow.totalEvents == 0) {
            status = BudgetStatus.NO_DATA;
            reason = "no events in the SLO window " + covered.start() + " .. " + covered.end();
        } else if (sloWindow.totalEvents < settings.minimumEvents()) {
            status = BudgetStatus.INSUFFICIENT_TRAFFIC;
            reason = sloWindow.totalEvents + " events in the SLO window, fewer than the minimum "
                    + settings.minimumEvents();
        } else if (consumed.compareTo(budgetTotal) > 0) {
            status = BudgetStatus.EXHAUSTED;
            reason = "error budget exceeded: consumed " + percent(1 - remainingFraction) + " of it";
        } else if (remaining.compareTo(settings.warningRemaining().multiply(budgetTotal)) < 0) {
            status = BudgetStatus.WARNING;
            reason = "remaining budget " + percent(remainingFraction) + " is below the warning threshold "
                    + settings.warningRemaining().movePointRight(2).stripTrailingZeros().toPlainString() + "%";
        } else {
            status = BudgetStatus.HEALTHY;
            reason = "remaining budget " + percent(remainingFraction);
        }

        Duration tte = null;
        if (status != BudgetStatus.NO_DATA && budgetTotal.signum() != 0) { // stale included: no estimate
            Double currentBurn = windows.get(settings.currentBurnMinutes()).burnRate();
            if (remaining.signum() <= 0) {
                tte = Duration.ZERO;
            } else if (currentBurn != null) {
                tte = BudgetMath.timeToExhaustion(remainingFraction, periodMinutes, currentBurn);
            }
        }
        return new Snapshot(spec.name(), spec.service(), effectiveTarget(sloWindow), spec.method().openSloName(),
                windowText, evaluatedAt, covered.start(), covered.end(), periodMinutes,
                sloWindow.goodEvents, sloWindow.totalEvents, sloWindow.sli(), unit, budgetTotal, consumed,
                burnRates, List.copyOf(alerts), tte, status, reason,
                spec.slo().alertWhenNoData() && status == BudgetStatus.NO_DATA, lastDataAt);
    }

    /** Tier thresholds depend on the period only; a rolling window's never changes, so they are kept. */
    private BurnRateThreshold[] thresholdsFor(long periodMinutes) {
        if (periodMinutes != thresholdsPeriod) {
            int n = spec.tiers().size();
            BurnRateThreshold[] t = new BurnRateThreshold[n];
            double[] v = new double[n];
            double[] num = new double[n];
            for (int i = 0; i < n; i++) {
                t[i] = spec.tiers().get(i).thresholdFor(periodMinutes);
                v[i] = t[i].value();
                num[i] = t[i].numerator().doubleValue();
            }
            thresholds = t;
            thresholdNumerators = num;
            thresholdValues = v;
            thresholdsPeriod = periodMinutes;
        }
        return thresholds;
    }

    private BigDecimal effectiveTarget(Combined sloWindow) {
        if (sharedTarget != null || !sloWindow.hasData()) {
            return sharedTarget;
        }
        // mixed composite targets: the traffic-weighted target the components add up to
        return BigDecimal.ONE.subtract(sloWindow.exactAllowed().divide(sloWindow.exactValid(), new MathContext(8)));
    }

    /** Slice units are minutes; a RatioTimeslices minute is scaled by {@link CountSeries#RATIO_SCALE}. */
    private BigDecimal sliceUnitsToMinutes(BigDecimal units) {
        return spec.method() == BudgetingMethod.RATIO_TIMESLICES ? units.movePointLeft(RATIO_DIGITS) : units;
    }

    private double minutesD(double units) {
        return spec.method() == BudgetingMethod.RATIO_TIMESLICES ? units / CountSeries.RATIO_SCALE : units;
    }

    /**
     * What the minutes [fromMinute, toMinute) spent of the budget, in its unit: bad events (Occurrences) or bad
     * slice-minutes (time slices), weighted for composites. Minutes older than the kept history are not counted:
     * see {@link #countedFrom}. Read after a snapshot at or after {@code toMinute}.
     */
    public double spentBetween(long fromMinute, long toMinute) {
        long[] parts = spentSums.parts;
        for (int i = 0; i < series.size(); i++) {
            CountSeries s = series.get(i);
            s.sumInto(Math.max(fromMinute, s.earliestStart()), toMinute, parts, i * W, SPENT_EDGE);
        }
        return spentSums.summed().badD;
    }

    /**
     * The minute before which the counts can no longer change: {@link #upsert} refuses minutes older than
     * {@link #REWRITABLE_MINUTES} before a component's newest, and a slice is counted at its start once it
     * completes. {@code Long.MIN_VALUE} while a component has no counts.
     */
    public long settledBefore() {
        long settled = Long.MAX_VALUE;
        for (long newest : newestDataMinute) {
            if (newest == Long.MIN_VALUE) {
                return Long.MIN_VALUE;
            }
            settled = Math.min(settled, newest - REWRITABLE_MINUTES - grid.maxMinutes());
        }
        return settled;
    }

    /** The earliest minute {@link #spentBetween} counts. */
    public long countedFrom() {
        long from = Long.MIN_VALUE;
        for (int i = 0; i < series.size(); i++) { // indexed: asked several times per evaluation, no iterator
            from = Math.max(from, series.get(i).earliestStart());
        }
        return from;
    }

    /** The sums of [startMinute, endMinute) into {@code into}, which is returned; its start is edge {@code edge}. */
    private Combined combine(long startMinute, long endMinute, Combined into, int edge) {
        long[] parts = into.parts;
        for (int i = 0; i < series.size(); i++) {
            series.get(i).sumInto(startMinute, endMinute, parts, i * W, edge);
        }
        return into.summed();
    }

    /**
     * The start edges an evaluation names when it reads the series ({@link CountSeries#EDGES} of them): each
     * trailing window its own, in the order first read (the same every evaluation), then the SLO window's and
     * the spend's since a deployment landed. A window past them reads without an edge of its own.
     */
    private static final int SLO_WINDOW_EDGE = CountSeries.EDGES - 1;
    private static final int SPENT_EDGE = CountSeries.EDGES - 2;
    private static final int TRAILING_EDGES = CountSeries.EDGES - 2;

    /** A component's sums in a {@link Combined}'s array: bad, valid, good, total ({@link CountSeries#WIDTH}). */
    private static final int W = CountSeries.WIDTH;
    private static final int BAD = 0;
    private static final int VALID = 1;
    private static final int GOOD = 2;
    private static final int TOTAL = 3;

    /**
     * The fraction in percent to two decimals, trailing zeros dropped ("87.3%", "100%"): as
     * {@code BigDecimal.valueOf(Math.round(fraction * 10_000), 2).stripTrailingZeros().toPlainString()}, written
     * digit by digit because every snapshot's reason has one.
     */
    static String percent(double fraction) {
        long hundredths = Math.round(fraction * 10_000);
        if (hundredths == Long.MIN_VALUE) {
            return BigDecimal.valueOf(hundredths, 2).stripTrailingZeros().toPlainString() + "%";
        }
        StringBuilder text = new StringBuilder(12);
        if (hundredths < 0) {
            text.append('-');
        }
        long magnitude = Math.abs(hundredths);
        text.append(magnitude / 100);
        long cents = magnitude % 100;
        if (cents != 0) {
            text.append('.').append(cents / 10);
            if (cents % 10 != 0) {
                text.append(cents % 10);
            }
        }
        return text.append('%').toString();
    }

    /**
     * The trailing windows of one evaluation, each summed once even when several tiers share it. One per
     * evaluator, its sums reused from one evaluation to the next: a budget is evaluated at every tick.
     */
    private final class WindowCache {
        private long trailingEnd;
        private final long[] lengths = new long[16];
        private final Combined[] values = new Combined[16];
        private int size;

        /** Forgets the last evaluation's windows: the next ones end at {@code end}. */
        WindowCache from(long end) {
            trailingEnd = end;
            size = 0;
            return this;
        }

        Combined get(long minutes) {
            for (int i = 0; i < size; i++) {
                if (lengths[i] == minutes) {
                    return values[i];
                }
            }
            Combined into = size < values.length ? values[size] : new Combined(series.size());
            if (into == null) {
                into = values[size] = new Combined(series.size());
            }
            Combined c = combine(grid.startOf(trailingEnd - minutes), trailingEnd, into,
                    size < TRAILING_EDGES ? size : CountSeries.NO_EDGE);
            if (size < lengths.length) {
                lengths[size++] = minutes;
            }
            return c;
        }
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
     * window's error budget, so bad / allowed is its burn rate. Doubles serve display and a first look at
     * thresholds; the exact values are built only when a comparison is too close to call in doubles.
     */
    private final class Combined {
        /** Each component's sums, {@link #W} longs a component. */
        final long[] parts;
        double badD;
        double validD;
        double allowedD;
        long goodEvents;
        long totalEvents;

        Combined(int components) {
            this.parts = new long[components * W];
        }

        /** Works out the weighted sums from {@link #parts}, as filled for one window. */
        Combined summed() {
            double bad = 0;
            double valid = 0;
            double allowed = 0;
            long good = 0;
            long total = 0;
            for (int i = 0, at = 0; at < parts.length; i++, at += W) {
                bad += weightsD[i] * parts[at + BAD];
                valid += weightsD[i] * parts[at + VALID];
                allowed += weightsD[i] * budgetFractionsD[i] * parts[at + VALID];
                good += parts[at + GOOD];
                total += parts[at + TOTAL];
            }
            this.badD = bad;
            this.validD = valid;
            this.allowedD = allowed;
            this.goodEvents = good;
            this.totalEvents = total;
            return this;
        }

        boolean hasData() {
            return validD > 0;
        }

        Double sli() {
            return hasData() ? 1.0 - badD / validD : null;
        }

        Double burnRate() {
            return hasData() ? burnRateUnboxed() : null;
        }

        /** bad / allowed: the burn rate, for a window that {@link #hasData}. */
        double burnRateUnboxed() {
            return badD / allowedD;
        }

        /**
         * The burn rate one more bad slice (one more bad event, for Occurrences) adds to this window: how coarsely
         * its burn rate moves. A window of 36 ten-minute slices at a 95% target moves in steps of 0.56.
         */
        double step() {
            if (!hasData()) {
                return 0;
            }
            double heaviest = 0;
            for (double w : weightsD) {
                heaviest = Math.max(heaviest, w);
            }
            return (spec.method().isSliced() ? spec.sliceMinutes() : 1) * heaviest / allowedD;
        }

        BigDecimal exactBad() {
            BigDecimal sum = BigDecimal.ZERO;
            for (int i = 0, at = 0; at < parts.length; i++, at += W) {
                sum = sum.add(weights[i].multiply(BigDecimal.valueOf(parts[at + BAD])));
            }
            return sum;
        }

        BigDecimal exactValid() {
            BigDecimal sum = BigDecimal.ZERO;
            for (int i = 0, at = 0; at < parts.length; i++, at += W) {
                sum = sum.add(weights[i].multiply(BigDecimal.valueOf(parts[at + VALID])));
            }
            return sum;
        }

        BigDecimal exactAllowed() {
            BigDecimal sum = BigDecimal.ZERO;
            for (int i = 0, at = 0; at < parts.length; i++, at += W) {
                sum = sum.add(allowedPerValid[i].multiply(BigDecimal.valueOf(parts[at + VALID])));
            }
            return sum;
        }

        /** The sign of burn rate − threshold, exactly; doubles decide only when far from the line. */
        int compare(BurnRateThreshold t, double numerator) {
            double lhs = badD * t.denominator();
            double rhs = numerator * allowedD;
            if (lhs > rhs * (1 + 1e-9) && lhs > rhs) {
                return 1;
            }
            if (lhs < rhs * (1 - 1e-9) && lhs < rhs) {
                return -1;
            }
            return t.compare(exactBad(), exactAllowed());
        }
    }
}
