package io.ebm.engine.review;

import io.ebm.core.alert.AlertTier;
import io.ebm.core.budget.BudgetSpec;
import io.ebm.core.budget.EvaluationSettings;
import io.ebm.core.budget.Snapshot;
import io.ebm.core.counts.MinuteCounts;
import io.ebm.core.incident.Incident;
import io.ebm.core.policy.Policy;
import io.ebm.core.slo.DurationShorthand;
import io.ebm.core.slo.Objective;
import io.ebm.core.slo.RollingWindow;
import io.ebm.core.slo.Slo;
import io.ebm.engine.BudgetPipeline;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Every SLO's target held against what users got: per calendar month (UTC) of the counts given, the SLI achieved
 * and the share of the month's budget spent (through the same pipeline as the calculator, over a window of that
 * month, exclusions applied), and the pages its incidents caused; then a suggestion with its reason. Nothing is
 * changed: the suggestion says which line of which file to edit.
 *
 * <p>Counts come in time order across all series, as for a replay.
 */
public final class TargetReview {

    /** One month of one budget. {@code complete}: the counts cover the whole month. */
    public record Month(YearMonth month, boolean complete, Double achieved, Double spent, long events, int pages) {
    }

    /** What to do with a target, and why. {@code to} is the suggested target (null to keep it). */
    public record Suggestion(Kind kind, BigDecimal to, String reason, String change) {
        public enum Kind { TIGHTEN, RELAX_OR_IMPROVE, KEEP, TOO_LITTLE_DATA }
    }

    /** One budget's review. */
    public record Budget(String name, String service, String file, BigDecimal target, List<Month> months,
                         Suggestion suggestion) {
        public Budget {
            months = List.copyOf(months);
        }
    }

    /** A target is never at risk when no month spent more than this share of its budget. */
    public static final double UNSPENT = 0.5;
    /** Pages a month, on average, above which they are frequent. */
    public static final double FREQUENT_PAGES = 1.0;
    /** The targets suggestions move between: people set nines, not 0.99983. */
    static final List<BigDecimal> LADDER = java.util.stream.Stream.of("0.9", "0.95", "0.98", "0.99", "0.995", "0.998",
            "0.999", "0.9995", "0.9998", "0.9999", "0.99995", "0.99999").map(BigDecimal::new).toList();

    /** One budget as the review runs it: a fresh pipeline each month, over a window of that month. */
    private final class Track {
        final Slo slo;
        final BudgetSpec spec;
        final List<Month> months = new ArrayList<>();
        BudgetPipeline month;
        long firstMinute = Long.MIN_VALUE;

        Track(Slo slo, BudgetSpec spec) {
            this.slo = slo;
            this.spec = spec;
        }

        void close(YearMonth ym, long endMinute) {
            if (month == null) {
                return;
            }
            long start = startMinute(ym);
            long end = startMinute(ym.plusMonths(1));
            Snapshot s = month.snapshot(Instant.ofEpochSecond(Math.min(end, endMinute) * 60), settings);
            Double spent = s.budgetTotal().signum() == 0 ? null
                    : s.budgetConsumed().doubleValue() / s.budgetTotal().doubleValue();
            months.add(new Month(ym, firstMinute <= start && endMinute >= end, s.sli(), spent, s.totalEvents(), 0));
            month = null;
        }
    }

    private final Policy policy;
    private final EvaluationSettings settings;
    private final List<Track> tracks = new ArrayList<>();
    private final Map<String, Track> feeds = new LinkedHashMap<>();
    private YearMonth current;
    private long lastSeen = Long.MIN_VALUE;

    public TargetReview(List<Slo> slos, Policy policy) {
        this.policy = policy;
        this.settings = policy.settings();
        for (Slo slo : slos) {
            for (BudgetSpec spec : BudgetSpec.of(slo, policy.tiers())) {
                Track t = new Track(slo, spec);
                tracks.add(t);
                spec.components().forEach(c -> feeds.put(c.dataKey(), t));
            }
        }
    }

    public Set<String> dataKeys() {
        return feeds.keySet();
    }

    /** The budgets reviewed, in definition order. */
    public List<String> budgetNames() {
        return tracks.stream().map(t -> t.spec.name()).toList();
    }

    /** One minute of one series, in time order across all series. */
    public void add(String dataKey, long epochMinute, MinuteCounts counts) {
        Track t = feeds.get(dataKey);
        if (t == null) {
            throw new IllegalArgumentException("no SLO reads counts named '" + dataKey + "'");
        }
        if (epochMinute < lastSeen) {
            throw new IllegalArgumentException("counts must come in time order across all series: minute "
                    + Instant.ofEpochSecond(epochMinute * 60) + " after " + Instant.ofEpochSecond(lastSeen * 60));
        }
        YearMonth ym = YearMonth.from(Instant.ofEpochSecond(epochMinute * 60).atZone(ZoneOffset.UTC));
        if (current != null && !ym.equals(current)) {
            for (Track x : tracks) {
                x.close(current, epochMinute);
            }
        }
        current = ym;
        lastSeen = epochMinute;
        if (t.firstMinute == Long.MIN_VALUE) {
            t.firstMinute = epochMinute;
        }
        if (t.month == null) {
            t.month = monthPipeline(t, ym);
        }
        t.month.add(dataKey, epochMinute, counts);
    }

    /**
     * Closes the last month at {@code end} and gives each budget's months, with the pages of its
     * {@code incidents} (by budget: the stored ones, or a replay's), and its suggestion.
     */
    public List<Budget> finish(Instant end, Map<String, List<Incident>> incidents) {
        long endMinute = Math.floorDiv(end.getEpochSecond(), 60);
        List<Budget> out = new ArrayList<>();
        for (Track t : tracks) {
            if (current != null) {
                t.close(current, endMinute);
            }
            List<Incident> of = incidents.getOrDefault(t.spec.name(), List.of());
            t.months.replaceAll(m -> new Month(m.month(), m.complete(), m.achieved(), m.spent(), m.events(),
                    pages(of, m.month())));
            BigDecimal target = t.spec.sharedTarget();
            out.add(new Budget(t.spec.name(), t.slo.service(), t.slo.sourceFile(), target, t.months,
                    suggest(t, target)));
        }
        return out;
    }

    /** Burn incidents at page severity that opened in the month. */
    private static int pages(List<Incident> incidents, YearMonth ym) {
        return (int) incidents.stream().filter(i -> i.kind() == Incident.Kind.BURN
                && AlertTier.urgency(i.severity()) >= AlertTier.urgency("page")
                && YearMonth.from(i.openedAt().atZone(ZoneOffset.UTC)).equals(ym)).count();
    }

    /** The budget over a rolling window exactly as long as the month, evaluated at its end: the month's budget. */
    private BudgetPipeline monthPipeline(Track t, YearMonth ym) {
        Slo monthly = new Slo(t.slo.name(), t.slo.displayName(), t.slo.description(), t.slo.service(),
                t.slo.indicator(), new RollingWindow(new DurationShorthand(ym.lengthOfMonth(),
                DurationShorthand.Unit.DAY)), t.slo.budgetingMethod(), t.slo.objectives(), t.slo.alertTiers(),
                t.slo.alertWhenNoData(), t.slo.annotations(), t.slo.sourceFile());
        BudgetSpec spec = BudgetSpec.of(monthly, policy.tiers()).stream().filter(s -> s.name().equals(t.spec.name()))
                .findFirst().orElseThrow();
        return BudgetPipeline.of(spec, policy.exclusions());
    }

    private static long startMinute(YearMonth ym) {
        return ym.atDay(1).atStartOfDay(ZoneOffset.UTC).toEpochSecond() / 60;
    }

    /**
     * The rules, in one place: with no complete month there is too little to go by. When no month spent more than
     * half its budget and nothing paged, the target can be tightened to the nines the worst month achieved. When
     * every month spent its whole budget and pages came more than once a month, the target is above what the
     * service delivers: relax it to what the worst month achieved, or do the reliability work first.
     */
    private static Suggestion suggest(Track t, BigDecimal target) {
        List<Month> complete = t.months.stream().filter(m -> m.complete() && m.achieved() != null).toList();
        if (target == null) {
            return new Suggestion(Suggestion.Kind.KEEP, null, "a composite with mixed targets: review its objectives "
                    + "together", null);
        }
        if (complete.isEmpty()) {
            return new Suggestion(Suggestion.Kind.TOO_LITTLE_DATA, null, "no complete month of counts yet", null);
        }
        double worst = complete.stream().mapToDouble(Month::achieved).min().orElseThrow();
        double mostSpent = complete.stream().mapToDouble(m -> m.spent() == null ? 0 : m.spent()).max().orElseThrow();
        double leastSpent = complete.stream().mapToDouble(m -> m.spent() == null ? 0 : m.spent()).min().orElseThrow();
        int pages = complete.stream().mapToInt(Month::pages).sum();
        String months = complete.size() == 1 ? "the one complete month" : "the " + complete.size() + " complete months";
        if (mostSpent <= UNSPENT && pages == 0) {
            BigDecimal to = LADDER.stream().filter(l -> l.doubleValue() <= worst && l.compareTo(target) > 0)
                    .reduce((a, b) -> b).orElse(null);
            if (to != null) {
                return new Suggestion(Suggestion.Kind.TIGHTEN, to, String.format(java.util.Locale.ROOT,
                        "never at risk: over %s at most %.1f%% of the budget was spent and nothing paged; the worst "
                                + "month achieved %s", months, mostSpent * 100, pct(worst)), change(t, target, to));
            }
            return new Suggestion(Suggestion.Kind.KEEP, null, String.format(java.util.Locale.ROOT,
                    "at most %.1f%% of the budget spent over %s, but the worst month (%s) is not a step of nines "
                            + "above the target", mostSpent * 100, months, pct(worst)), null);
        }
        if (leastSpent >= 1.0 && pages > FREQUENT_PAGES * complete.size()) {
            BigDecimal to = LADDER.stream().filter(l -> l.doubleValue() <= worst && l.compareTo(target) < 0)
                    .reduce((a, b) -> b).orElse(LADDER.get(0));
            return new Suggestion(Suggestion.Kind.RELAX_OR_IMPROVE, to, String.format(java.util.Locale.ROOT,
                    "the budget was spent every month (%.0f%% to %.0f%%) and %d pages came in %s: the target is above "
                            + "what the service delivers (its worst month achieved %s); relax it, or put reliability "
                            + "work first", leastSpent * 100, mostSpent * 100, pages, months, pct(worst)),
                    change(t, target, to));
        }
        long over = complete.stream().filter(m -> m.spent() != null && m.spent() > 1.0).count();
        String paged = pages == 1 ? "1 page" : pages + " pages";
        if (over > 0) {
            return new Suggestion(Suggestion.Kind.KEEP, null, String.format(java.util.Locale.ROOT,
                    "over its budget in %d of %s (%.0f%% to %.0f%% spent), %s: watch it; if it recurs with pages, "
                            + "relax the target or put reliability work first", over, months, leastSpent * 100,
                    mostSpent * 100, paged), null);
        }
        return new Suggestion(Suggestion.Kind.KEEP, null, String.format(java.util.Locale.ROOT,
                "%.0f%% to %.0f%% of the budget spent over %s, %s: the target fits", leastSpent * 100,
                mostSpent * 100, months, paged), null);
    }

    /** The YAML change to make: the file, the SLO, the objective, the line. */
    private static String change(Track t, BigDecimal from, BigDecimal to) {
        Objective o = t.spec.objectiveOf(0);
        int index = t.slo.objectives().indexOf(o);
        return "# " + (t.slo.sourceFile() == null ? "the SLO's file" : t.slo.sourceFile()) + ", SLO "
                + t.slo.name() + ", spec.objectives[" + index + "]" + (o.name() == null ? "" : " (" + o.name() + ")")
                + "\n-    target: " + from.toPlainString() + "\n+    target: " + to.toPlainString() + "\n";
    }

    private static String pct(double f) {
        return BigDecimal.valueOf(f * 100).round(new java.math.MathContext(6)).stripTrailingZeros().toPlainString()
                + "%";
    }

    /** The review for people: each budget's months, its suggestion and the change to make. */
    public static String text(List<TargetReview.Budget> budgets) {
        StringBuilder sb = new StringBuilder();
        for (TargetReview.Budget b : budgets) {
            sb.append(b.name()).append(" (").append(b.service()).append(", target ")
                    .append(b.target() == null ? "mixed" : b.target().toPlainString()).append(")\n");
            sb.append(String.format(Locale.ROOT, "  %-9s %-10s %12s %12s %6s%n", "month", "", "achieved", "spent",
                    "pages"));
            for (TargetReview.Month m : b.months()) {
                sb.append(String.format(Locale.ROOT, "  %-9s %-10s %12s %12s %6d%n", m.month(),
                        m.complete() ? "" : "(partial)", m.achieved() == null ? "-"
                                : String.format(Locale.ROOT, "%.4f%%", m.achieved() * 100),
                        m.spent() == null ? "-" : String.format(Locale.ROOT, "%.2f%%", m.spent() * 100), m.pages()));
            }
            TargetReview.Suggestion s = b.suggestion();
            sb.append("  ").append(s.kind().name().toLowerCase(Locale.ROOT).replace('_', ' '))
                    .append(s.to() == null ? "" : " to " + s.to().toPlainString()).append(": ").append(s.reason())
                    .append('\n');
            if (s.change() != null) {
                s.change().lines().forEach(l -> sb.append("    ").append(l).append('\n'));
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
