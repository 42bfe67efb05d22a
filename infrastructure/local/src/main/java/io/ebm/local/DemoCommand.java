package io.ebm.local;

import io.ebm.core.alert.AlertTier;
import io.ebm.core.budget.BudgetSpec;
import io.ebm.core.budget.Snapshot;
import io.ebm.core.deploy.LedgerEntry;
import io.ebm.core.incident.Incident;
import io.ebm.core.port.StructuredLog;
import io.ebm.core.slo.DurationShorthand;
import io.ebm.core.store.BudgetStore;
import io.ebm.core.store.Definition;
import io.ebm.core.store.SnapshotRecord;
import io.ebm.engine.deploy.DeploymentLedgers;
import io.ebm.engine.status.HttpRequest;
import io.ebm.engine.status.HttpResponse;
import io.ebm.engine.status.StatusApi;
import io.ebm.local.demo.DemoFleet;
import io.ebm.local.demo.DynamoDbMeter;
import io.ebm.local.demo.DemoTraffic;
import io.ebm.local.demo.LocalReleases;
import io.ebm.local.demo.Replay;
import io.ebm.store.MemoryBudgetStore;
import io.ebm.store.SqliteBudgetStore;
import io.ebm.store.WriteBehindStore;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code demo}: a month of the sample services replayed through the collector, calculator and policy code
 * over the embedded store, then what happened (alerts, decisions, a summary) and the dashboard as a file.
 */
final class DemoCommand {

    static final Path DEFAULT_REPORT = Path.of(System.getProperty("user.home"), ".ebm", "demo-report.html");
    /** One history snapshot an hour (and every status change): a month of 5-minute ticks stays small on disk. */
    static final Duration HISTORY_RESOLUTION = Duration.ofHours(1);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("MM-dd HH:mm", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private DemoCommand() {
    }

    static int run(List<String> args, PrintStream out, PrintStream err) {
        Options o = new Options(args, Set.of("db", "out", "slos", "days", "every", "lanes", "burning"), "demo");
        Path db = o.get("db") == null ? Main.DEFAULT_DB : Path.of(o.get("db"));
        Path report = o.get("out") == null ? DEFAULT_REPORT : Path.of(o.get("out"));
        int sloCount = o.integer("slos", 50, 1, 10_000);
        Replay.Settings settings;
        try {
            // one lane: the store's writer thread takes the second core (two lanes measured slower on two)
            settings = new Replay.Settings(SampleData.DEFAULT_START, o.integer("days", 30, 1, 90),
                    o.duration("every", Duration.ofMinutes(5)), o.integer("lanes", 1, 1, 16));
        } catch (IllegalArgumentException e) {
            throw new UsageException("demo: " + e.getMessage());
        }
        long began = System.nanoTime();
        int generated;
        try {
            generated = DemoFleet.generatedFor(sloCount);
        } catch (IllegalArgumentException e) {
            throw new UsageException("demo: --slos: " + e.getMessage());
        }
        // the month's traffic and SQLite's native library need no definition: made on the other core meanwhile
        CompletableFuture<DemoTraffic> trafficMade = CompletableFuture.supplyAsync(
                () -> DemoTraffic.generate(settings.days(), generated), DemoCommand::onDaemonThread);
        CompletableFuture.runAsync(() -> {
            try {
                SqliteBudgetStore.loadNativeLibrary();
            } catch (RuntimeException e) {
                // the store's open below loads it again, and reports what fails
            }
        }, DemoCommand::onDaemonThread);
        DemoFleet fleet = DemoFleet.of(sloCount);
        DemoTraffic traffic = joined(trafficMade);
        out.printf(Locale.ROOT, "demo: %d SLOs of %d services, %d days of one-minute data from %s, a tick every %s%n",
                fleet.slos().size(), fleet.slos().stream().map(s -> s.service()).distinct().count(), settings.days(),
                settings.start(), DurationShorthand.ofMinutes(settings.every().toMinutes()));
        moveAside(db, out);

        Double burningShare = burning(o);
        Replay.Result result;
        DynamoDbMeter.Units units;
        long replayStarted;
        long replayNanos;
        Map<String, List<DeploymentLedgers.Row>> ledgers = new LinkedHashMap<>();
        CompletableFuture<Map<String, List<DeploymentLedgers.Row>>> ledgersRead;
        try (SqliteBudgetStore sqlite = SqliteBudgetStore.open(db)) {
            WriteBehindStore store = new WriteBehindStore(new MemoryBudgetStore(HISTORY_RESOLUTION, 1), sqlite);
            try {
                fleet.sloTexts().forEach((file, text) -> store.putDefinition(file, text, settings.start()));
                store.putDefinition(Definition.policyName(fleet.policyName()), fleet.policyText(), settings.start());
                replayStarted = System.nanoTime();
                ProgressBar bar = new ProgressBar(err, err == System.err && System.console() != null);
                // the functions' store, metered as DynamoDB would charge for it
                DynamoDbMeter meter = new DynamoDbMeter(store);
                result = Replay.run(fleet, traffic, meter, settings, store::flush, bar::day);
                units = meter.units();
                replayNanos = System.nanoTime() - replayStarted;
                // the ledger from the heap store's counts (the same figures as from the file), on the other core
                // while this one closes the file and writes the report
                Instant end = settings.start().plus(Duration.ofDays(settings.days()));
                ledgersRead = CompletableFuture.supplyAsync(() -> {
                    Map<String, List<DeploymentLedgers.Row>> byService = new LinkedHashMap<>();
                    fleet.slos().stream().map(slo -> slo.service()).distinct().forEach(service -> byService.put(
                            service, DeploymentLedgers.of(store, fleet.slos(), fleet.policy(), service, end)));
                    return byService;
                }, DemoCommand::onDaemonThread);
            } finally {
                store.close();
            }
            Instant end = settings.start().plus(Duration.ofDays(settings.days()));
            writeReport(sqlite, end, report);
            ledgers.putAll(joined(ledgersRead));
            printResult(out, result, sqlite, fleet, traffic, settings, ledgers);
            List<Mode> modes = new ArrayList<>();
            String tick = "every " + DurationShorthand.ofMinutes(settings.every().toMinutes());
            modes.add(new Mode(tick, tick, result, units, detections(sqlite, traffic, settings)));
            if (burningShare != null) {
                // the same month again with the burning mode, in a heap store: its cost and detection delays
                Replay.Settings burningSettings = new Replay.Settings(settings.start(), settings.days(),
                        settings.every(), settings.lanes(), burningShare);
                MemoryBudgetStore heap = new MemoryBudgetStore(HISTORY_RESOLUTION, 1);
                fleet.sloTexts().forEach((file, text) -> heap.putDefinition(file, text, settings.start()));
                DynamoDbMeter meter = new DynamoDbMeter(heap);
                Replay.Result burning = Replay.run(fleet, traffic, meter, burningSettings, () -> { }, (d, n) -> { });
                modes.add(new Mode(tick + " +burning", tick + ", burning SLOs every 1m (" + Math.round(burningShare * 100)
                        + "% of a page factor)", burning, meter.units(), detections(heap, traffic, settings)));
            }
            printCost(out, modes, fleet.slos().size(), settings.days());
        }
        out.printf(Locale.ROOT, "%nreplayed %d days x %d SLOs (%,d ticks, %,d budget evaluations, %,d minutes "
                        + "collected) in %.1f s; %.1f s in all%n", settings.days(), fleet.slos().size(), result.ticks(),
                result.budgetEvaluations(), result.minutesCollected(), replayNanos / 1e9,
                (System.nanoTime() - began) / 1e9);
        out.println("store: " + db + "   report: " + report);
        out.println("next: ebm serve" + (o.get("db") == null ? "" : " --db " + db)
                + "   (then open http://127.0.0.1:8080/)");
        return result.failures().isEmpty() ? 0 : 1;
    }

    /** Runs {@code work} on a thread of its own that does not keep the JVM alive. */
    private static void onDaemonThread(Runnable work) {
        Thread t = new Thread(work, "ebm-demo-worker");
        t.setDaemon(true);
        t.start();
    }

    /** What {@code f} made, or what it threw. */
    private static <T> T joined(CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /** The demo writes a fresh store; an existing file is kept beside it, never overwritten. */
    private static void moveAside(Path db, PrintStream out) {
        if (!Files.exists(db)) {
            return;
        }
        try {
            for (String suffix : List.of("", "-wal", "-shm")) {
                Path f = Path.of(db + suffix);
                if (Files.exists(f)) {
                    Files.move(f, Path.of(db + ".bak" + suffix), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UsageException("demo: cannot move the existing store " + db + " aside: " + e.getMessage());
        }
        out.println("demo: the existing store was moved to " + db + ".bak");
    }

    private static void writeReport(SqliteBudgetStore store, Instant end, Path report) {
        StatusApi api = new StatusApi(store, StructuredLog.QUIET, Clock.fixed(end, ZoneOffset.UTC));
        String html = get(api, "/");
        // a file has no server behind it: badges go inline, links to the pages that `ebm serve` serves
        Matcher badge = Pattern.compile("src=\"(/slos/[^\"/]+/badge\\.svg)\"")
                .matcher(html);
        StringBuilder page = new StringBuilder();
        while (badge.find()) {
            String svg = Base64.getEncoder().encodeToString(get(api, badge.group(1))
                    .getBytes(StandardCharsets.UTF_8));
            badge.appendReplacement(page, "src=\"data:image/svg+xml;base64," + svg + "\"");
        }
        badge.appendTail(page);
        String text = page.toString().replace("href=\"/", "href=\"http://127.0.0.1:8080/");
        try {
            Path parent = report.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(report, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UsageException("demo: cannot write the report " + report + ": " + e.getMessage());
        }
    }

    private static String get(StatusApi api, String path) {
        HttpResponse r = api.handle(new HttpRequest("GET", path, Map.of(), Map.of(), null, null));
        if (r.status() != 200) {
            throw new IllegalStateException(path + " answered " + r.status() + ": " + r.body());
        }
        return r.body();
    }

    private static void printResult(PrintStream out, Replay.Result r, SqliteBudgetStore store, DemoFleet fleet,
                                    DemoTraffic traffic, Replay.Settings settings,
                                    Map<String, List<DeploymentLedgers.Row>> ledgers) {
        out.println();
        out.println("Alerts (" + r.alerts().size() + " notices)");
        for (Replay.Alert a : r.alerts()) {
            out.printf(Locale.ROOT, "  %s  %-9s %-6s %-28s %s%n", TIME.format(a.at()),
                    a.kind().equals("noData") ? (a.transition().equals("RESOLVED") ? "DATA BACK" : "NO DATA")
                            : a.transition(), a.severity(), String.join(" + ", a.slos()), a.tier());
        }
        out.println();
        out.println("Decisions");
        r.flagChanges().forEach(c -> out.printf(Locale.ROOT, "  %s  flag %s turned %s: %s%n", TIME.format(c.at()),
                c.flag(), c.enabled() ? "on" : "off", c.reason()));
        for (LocalReleases.Event e : r.releases()) {
            if (e.what().equals("frozen") || e.what().equals("allowed again")) {
                out.printf(Locale.ROOT, "  %s  releases %s: %s stage %s%s%n", TIME.format(e.at()), e.what(),
                        e.pipeline(), e.stage(), e.detail().isEmpty() ? "" : " (" + e.detail() + ")");
            }
        }
        Map<String, List<Replay.Approval>> rejected = new LinkedHashMap<>();
        r.approvals().stream().filter(a -> !a.approved())
                .forEach(a -> rejected.computeIfAbsent(a.service(), s -> new ArrayList<>()).add(a));
        rejected.forEach((service, list) -> out.printf(Locale.ROOT,
                "  %s..%s  %d of %d production approvals of %s rejected; first: %s%n", TIME.format(list.get(0).at()),
                TIME.format(list.get(list.size() - 1).at()), list.size(),
                r.approvals().stream().filter(a -> a.service().equals(service)).count(), list.get(0).pipeline(),
                list.get(0).summary()));
        out.printf(Locale.ROOT, "  %d policy notifications sent%n", r.policyNotices());
        out.println();
        out.printf(Locale.ROOT, "%-32s %8s %7s %14s %28s%n", "Pipeline stage", "freezes", "lifted", "frozen (min)",
                "disagreed with gate (min)");
        for (Replay.Pipeline p : r.pipelines()) {
            out.printf(Locale.ROOT, "%-32s %8d %7d %14d %28d%n", p.pipeline() + " / " + p.stage(), p.freezes(), p.lifted(),
                    p.frozenMinutes(), p.disagreedMinutes());
        }
        Instant start = settings.start();
        Instant end = start.plus(Duration.ofDays(settings.days()));
        out.println();
        out.printf(Locale.ROOT, "%-40s %-18s %-10s %10s %9s %7s %5s %5s %7s%n", "SLO", "service", "status",
                "remaining", "incidents", "notices", "pages", "flaps", "changes");
        int[] totals = new int[4];
        for (var slo : fleet.slos()) {
            for (BudgetSpec spec : BudgetSpec.of(slo, List.of())) {
                SnapshotRecord rec = store.latestSnapshot(spec.name()).orElse(null);
                if (rec == null) {
                    out.printf(Locale.ROOT, "%-40s %-18s %-10s%n", spec.name(), slo.service(), "never evaluated");
                    continue;
                }
                Snapshot s = rec.snapshot();
                List<Incident> incidents = store.incidents(spec.name(), start, end);
                long notices = r.alerts().stream().filter(a -> a.slos().contains(spec.name())).count();
                long pages = incidents.stream().filter(i -> AlertTier.urgency(i.severity()) >= AlertTier.urgency("page"))
                        .count();
                long flaps = incidents.stream().filter(Incident::flap).count();
                totals[0] += incidents.size();
                totals[1] += (int) notices;
                totals[2] += (int) pages;
                totals[3] += (int) flaps;
                out.printf(Locale.ROOT, "%-40s %-18s %-10s %10s %9d %7d %5d %5d %7d%n", spec.name(), slo.service(),
                        s.status().name(), Text.percent(s.remainingFraction()), incidents.size(), notices, pages, flaps,
                        r.statusChanges().getOrDefault(spec.name(), 0));
            }
        }
        out.printf(Locale.ROOT, "%-40s %-18s %-10s %10s %9d %7d %5d %5d%n", "all SLOs", "", "", "", totals[0],
                totals[1], totals[2], totals[3]);
        printDetection(out, store, traffic, start, end);
        printLedger(out, ledgers);
        if (!r.failures().isEmpty()) {
            out.println();
            out.println("Failures (" + r.failures().size() + ")");
            r.failures().stream().limit(20).forEach(f -> out.println("  " + f));
        }
    }

    /**
     * Each incident the month injects, and when the SLO's first notice about it went out: the detection delay is
     * that notice's time minus the incident's start. An injected change the policy excludes should tell nobody.
     */
    private static void printDetection(PrintStream out, SqliteBudgetStore store, DemoTraffic traffic, Instant start,
                                       Instant end) {
        out.println();
        out.printf(Locale.ROOT, "%-40s %-38s %-12s %-12s %s%n", "Injected into", "what", "from", "detected", "delay");
        for (String[] d : detections(store, traffic, start, end)) {
            out.printf(Locale.ROOT, "%-40s %-38s %-12s %-12s %s%n", (Object[]) d);
        }
    }

    private static List<String[]> detections(BudgetStore store, DemoTraffic traffic, Replay.Settings settings) {
        return detections(store, traffic, settings.start(), settings.start().plus(Duration.ofDays(settings.days())));
    }

    /** Per injected incident: SLO, what, from, detected, delay. */
    private static List<String[]> detections(BudgetStore store, DemoTraffic traffic, Instant start, Instant end) {
        List<String[]> out = new ArrayList<>();
        for (SampleData.Injected x : traffic.injected()) {
            Instant from = start.plus(Duration.ofMinutes(x.minute()));
            // the first incident of the SLO open at the start or opened within three days (the longest tier)
            Incident first = store.incidents(x.slo(), from, end).stream()
                    .filter(i -> !i.openedAt().isAfter(from.plus(DETECTION_WINDOW)))
                    .findFirst().orElse(null);
            String detected = first == null ? "not notified" : TIME.format(first.openedAt());
            String delay = first == null ? (x.expectNotice() ? belowEveryTier(store, traffic, x) : "none, as expected")
                    : !x.expectNotice() ? "notified, but excluded"
                    : first.openedAt().isBefore(from) ? "open already"
                    : io.ebm.core.Human.duration(Duration.between(from, first.openedAt()));
            out.add(new String[] {x.slo(), x.what(), TIME.format(from), detected, delay});
        }
        return out;
    }

    /** The burning mode's share of a page factor, or null when not asked for. */
    private static Double burning(Options o) {
        String v = o.get("burning");
        if (v == null) {
            return null;
        }
        try {
            double share = Double.parseDouble(v);
            if (share > 0 && share <= 1) {
                return share;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new UsageException("demo: --burning expects a share of a page factor above 0 and at most 1, such as "
                + "0.5, got '" + v + "'");
    }

    /** One way of running the month: its result, the request units it used, and when it noticed each incident. */
    private record Mode(String label, String name, Replay.Result result, DynamoDbMeter.Units units,
                        List<String[]> detections) {
    }

    /** Prices, us-east-1, on demand (docs/performance.md): per metric, per million units, per GB-second. */
    static final double METRIC = 0.01 / 1000;
    static final double WRITE_UNIT = 0.625 / 1e6;
    static final double READ_UNIT = 0.125 / 1e6;
    static final double GB_MONTH = 0.25;
    static final double GB_SECOND = 0.0000133334;
    /** What a DynamoDB request adds to a function's time in AWS (the heap store answers in microseconds). */
    static final double REQUEST_SECONDS = 0.005;

    /**
     * The month's cost at AWS prices, per SLO of the fleet and for the fleet, from what the replay counted:
     * metrics requested from GetMetricData, DynamoDB request units and the history kept 90 days, and the
     * functions' time (measured here, plus 5 ms a DynamoDB request) at 2 GB (calculator) and 1 GB (collector).
     */
    private static void printCost(PrintStream out, List<Mode> modes, int slos, int days) {
        double month = 30.0 / days;
        out.println();
        out.printf(Locale.ROOT, "Cost of a 30-day month at AWS prices, per SLO (fleet of %d, from what the replay "
                + "counted)%n", slos);
        out.printf(Locale.ROOT, "%-26s %14s %14s %14s %10s %10s %9s %9s%n", "mode", "metrics", "write units",
                "read units", "storage", "Lambda", "per SLO", "fleet");
        for (Mode m : modes) {
            Replay.Result r = m.result();
            DynamoDbMeter.Units u = m.units();
            double metrics = r.metricsRequested() * month / slos;
            double writes = u.writes() * month / slos;
            double reads = u.reads() * month / slos;
            // history kept 90 days: three months of what one month writes; counts about 1 KB an hour for 400 days
            double storedGb = (u.historyBytes() * month * 3 + 720 * 1024 * 13.3) / slos / 1e9;
            // the functions' own time here, and each DynamoDB request's round trip in AWS, at the calculator's 2 GB
            double seconds = (r.calculatorNanos() / 1e9 + u.requests() * REQUEST_SECONDS) * 2
                    + r.collectorNanos() / 1e9 * 1;
            double lambda = seconds * month / slos * GB_SECOND;
            double total = metrics * METRIC + writes * WRITE_UNIT + reads * READ_UNIT + storedGb * GB_MONTH + lambda;
            out.printf(Locale.ROOT, "%-26s %,14.0f %,14.0f %,14.0f %10s %10s %9s %9s%n", m.label(),
                    metrics, writes, reads, dollars(storedGb * GB_MONTH), dollars(lambda), dollars(total),
                    dollars(total * slos));
            out.printf(Locale.ROOT, "%-26s %14s %14s %14s%n", "", dollars(metrics * METRIC),
                    dollars(writes * WRITE_UNIT), dollars(reads * READ_UNIT));
        }
        out.println("  (" + modes.stream().map(Mode::name).reduce((a, b) -> a + "; " + b).orElse("")
                + "; fixed per stack: 21 alarms and a KMS key, $3.10)");
        if (modes.size() > 1) {
            out.println();
            out.printf(Locale.ROOT, "%-40s %-38s %-16s %s%n", "Detection delay", "what", modes.get(0).name(),
                    "burning mode");
            for (int i = 0; i < modes.get(0).detections().size(); i++) {
                String[] a = modes.get(0).detections().get(i);
                String[] b = modes.get(1).detections().get(i);
                out.printf(Locale.ROOT, "%-40s %-38s %-16s %s%n", a[0], a[1], a[4], b[4]);
            }
            out.printf(Locale.ROOT, "  the burning mode evaluated %,d budgets between ticks%n",
                    modes.get(1).result().burningEvaluations());
        }
    }

    private static String dollars(double v) {
        return String.format(Locale.ROOT, v < 0.1 ? "$%.4f" : v < 1 ? "$%.3f" : "$%.2f", v);
    }

    /** A deployment that spent less of a budget in its first hour is not worth a line of the summary. */
    static final double LEDGER_SHOWN_FROM = 0.05;

    /**
     * Who spent the budget: per service, how many deployments the month recorded, and each one that spent more than
     * {@link #LEDGER_SHOWN_FROM} of a budget in its first hour, beside what the one before it cost.
     */
    private static void printLedger(PrintStream out, Map<String, List<DeploymentLedgers.Row>> ledgers) {
        out.println();
        out.println("Deployments: who spent the budget");
        for (Map.Entry<String, List<DeploymentLedgers.Row>> ledger : ledgers.entrySet()) {
            String service = ledger.getKey();
            List<DeploymentLedgers.Row> rows = ledger.getValue();
            out.printf(Locale.ROOT, "  %s: %d deployments in force within the window%n", service, rows.size());
            Map<String, LedgerEntry> previous = new LinkedHashMap<>();
            for (DeploymentLedgers.Row row : rows) {
                for (LedgerEntry e : row.budgets()) {
                    LedgerEntry before = previous.put(e.budget(), e);
                    if (e.firstSpanShare() > LEDGER_SHOWN_FROM) {
                        out.printf(Locale.ROOT, "    %s spent %s of %s's budget in its first %s%s%n",
                                row.deployment().describeLanding(),
                                Text.percent(e.firstSpanShare()), e.budget(),
                                io.ebm.core.Human.duration(e.firstSpan()), before == null ? ""
                                        : String.format(Locale.ROOT, "; the previous one spent %s in %s",
                                        Text.percent(before.inForceShare()),
                                        io.ebm.core.Human.duration(before.inForce())));
                    }
                }
            }
        }
    }

    /** The longest a tier of the Workbook's takes to see a burn: its 3-day window. */
    private static final Duration DETECTION_WINDOW = Duration.ofDays(3);

    /**
     * Why an injected incident was not notified: the share of the budget it spent. The Workbook's tiers page for
     * 2% in an hour and open a ticket for 10% in a day; a burst that costs less is not worth a notice.
     */
    private static String belowEveryTier(BudgetStore store, DemoTraffic traffic, SampleData.Injected x) {
        Snapshot s = store.latestSnapshot(x.slo()).map(SnapshotRecord::snapshot).orElse(null);
        if (s == null || !s.budgetUnit().equals("events") || s.budgetTotal().signum() == 0) {
            return "MISSED";
        }
        long to = x.minutes() == Integer.MAX_VALUE ? Integer.MAX_VALUE : (long) x.minute() + x.minutes();
        long bad = traffic.badEvents(x.slo(), x.minute(), (int) Math.min(Integer.MAX_VALUE, to));
        double share = bad / s.budgetTotal().doubleValue();
        return String.format(Locale.ROOT, "below every tier: %.1f%% of the budget in %s", share * 100,
                x.minutes() == Integer.MAX_VALUE ? "the rest of the month" : DurationShorthand.ofMinutes(x.minutes()));
    }

    /**
     * Progress on standard error, once a replayed day: a bar redrawn in place on a terminal, one plain line a day
     * otherwise (a log or a CI job gets no carriage returns).
     */
    static final class ProgressBar {
        private final PrintStream err;
        private final boolean terminal;

        ProgressBar(PrintStream err, boolean terminal) {
            this.err = err;
            this.terminal = terminal;
        }

        void day(int done, int of) {
            if (!terminal) {
                err.println("replayed day " + done + " of " + of);
                err.flush();
                return;
            }
            int width = 30;
            int filled = done * width / of;
            err.print("\rreplaying [" + "#".repeat(filled) + ".".repeat(width - filled) + "] day " + done + "/" + of);
            if (done == of) {
                err.println();
            }
            err.flush();
        }
    }
}
