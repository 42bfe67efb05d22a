package io.ebm.local.demo;

import io.ebm.core.alert.AlertTier;
import io.ebm.core.budget.EvaluationSettings;
import io.ebm.core.policy.GateDecision;
import io.ebm.core.policy.Policy;
import io.ebm.core.port.AlertNotice;
import io.ebm.core.port.StatusChange;
import io.ebm.core.port.StructuredLog;
import io.ebm.core.slo.Slo;
import io.ebm.core.store.BudgetStore;
import io.ebm.engine.calculator.Calculator;
import io.ebm.engine.collector.Collector;
import io.ebm.engine.collector.RunSummary;
import io.ebm.engine.deploy.DeploymentRecorder;
import io.ebm.engine.policy.PolicyEnforcer;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A month replayed through the code the Lambda functions run: every tick the collector reads the minutes just
 * past from the synthetic CloudWatch into the store, the calculator evaluates every budget and delivers what it
 * announces, and the policy reconciles every pipeline stage and flag it manages, as its schedule does in AWS.
 * Twice a day each service's pipeline asks for a production approval. Time is the replay's, never the wall
 * clock's. After each reconcile the replay checks every managed stage against the gate the approvals get.
 */
public final class Replay {

    /** How the month is replayed: from {@code start}, {@code days} long, a tick every {@code every}. */
    public record Settings(Instant start, int days, Duration every, int lanes, Double burningShare) {
        public Settings {
            if (lanes < 1 || lanes > 16) {
                throw new IllegalArgumentException("--lanes must be 1 to 16, got " + lanes);
            }
            if (every.toMinutes() < 1 || every.toMinutes() > 60 || every.getSeconds() % 60 != 0) {
                throw new IllegalArgumentException("--every must be whole minutes from 1m to 1h, got " + every);
            }
            if (days < 1 || days > 90) {
                throw new IllegalArgumentException("--days must be 1 to 90, got " + days);
            }
            if (burningShare != null && !(burningShare > 0 && burningShare <= 1)) {
                throw new IllegalArgumentException("--burning must be a share above 0 and at most 1, got "
                        + burningShare);
            }
        }

        /** Without the burning mode. */
        public Settings(Instant start, int days, Duration every, int lanes) {
            this(start, days, every, lanes, null);
        }
    }

    /**
     * An alert notice, as on-call would get it: the SLOs it names (more than one when the policy groups them),
     * the most urgent tier firing, the incident's severity and the transition (FIRING, ESCALATED, RESOLVED).
     */
    public record Alert(Instant at, List<String> slos, String tier, String severity, String transition, String kind) {
        public Alert {
            slos = List.copyOf(slos);
        }

        public String slo() {
            return slos.get(0);
        }
    }

    /** A production approval a pipeline asked for, and the answer. */
    public record Approval(Instant at, String service, String pipeline, boolean approved, String summary) {
    }

    /**
     * One pipeline stage the policy manages, over the month: how often it was frozen and allowed again, the
     * minutes it was frozen, and the minutes its transition disagreed with the gate the approvals got.
     */
    public record Pipeline(String pipeline, String stage, int freezes, int lifted, long frozenMinutes,
                           long disagreedMinutes) {
    }

    /** What the month did. */
    public record Result(List<Alert> alerts, List<LocalFlags.Change> flagChanges, List<LocalReleases.Event> releases,
                         List<Approval> approvals, Map<String, Integer> statusChanges, int policyNotices,
                         List<Pipeline> pipelines, long ticks, long budgetEvaluations, long minutesCollected,
                         List<String> failures, long metricsRequested, long collectorNanos, long calculatorNanos,
                         long burningEvaluations) {
    }

    /** Progress, once per replayed day. */
    public interface Progress {
        void day(int done, int of);
    }

    /** Release checks: the hours (UTC) at which each service's pipeline asks to go to production. */
    static final List<Integer> RELEASE_HOURS = List.of(10, 16);
    static final String RELEASE_STAGE = "Production";
    /**
     * How often the replay hands its writes on to the file, in replayed minutes: held a day, they outlived young
     * collections.
     */
    static final int FLUSH_MINUTES = 360;

    private Replay() {
    }

    /**
     * A share of the fleet with its own collector and calculator, as the calculator's SQS shards have in AWS.
     * Lanes run side by side within a tick; what they report is merged in fleet order after it.
     */
    private static final class Lane {
        final List<Slo> slos = new ArrayList<>();
        final Collector collector;
        final Calculator calculator;
        final List<StatusChange> changes = new ArrayList<>();
        final List<Alert> alerts = new ArrayList<>();
        final List<String> failures = new ArrayList<>();
        long evaluations;
        long collected;
        long metrics;
        long collectorNanos;
        long calculatorNanos;

        Lane(SyntheticCloudWatch cloudWatch, BudgetStore store, ReplayClock clock, Double burningShare) {
            StructuredLog quiet = StructuredLog.QUIET;
            collector = new Collector(cloudWatch, store, quiet);
            // the calculator as the function builds it; an overlap of one minute: the synthetic source is never late
            calculator = new Calculator(store, notice -> alerts.add(alert(clock.instant(), notice)), changes::add,
                    new Calculator.Options(new EvaluationSettings(new BigDecimal("0.25"), 0, 60, 30),
                            AlertTier.WORKBOOK_DEFAULTS, "http://127.0.0.1:8080", 1, 10_000, burningShare), quiet,
                    clock);
        }

        void tick(Instant at, Duration every, Policy policy) {
            tick(slos, at, every, policy);
        }

        /** The collector reads {@code of} over the last {@code span}, then the calculator evaluates them. */
        void tick(List<Slo> of, Instant at, Duration span, Policy policy) {
            long t0 = System.nanoTime();
            RunSummary summary = collector.collect(of, at.minus(span), at, 60);
            long t1 = System.nanoTime();
            collected += summary.minutesWritten();
            metrics += summary.queries();
            summary.failures().forEach(f -> failures.add(at + " collector " + f.series() + ": " + f.reason()));
            Calculator.Run run = calculator.runWithoutDelivery(of, at, policy);
            calculatorNanos += System.nanoTime() - t1;
            collectorNanos += t1 - t0;
            evaluations += run.budgets();
            run.failures().forEach(f -> failures.add(at + " calculator " + f));
        }

        /** Sends what every lane of the tick owes, once all have committed: the notices of one tick, grouped. */
        void deliver(Instant at) {
            calculator.deliver().failures().forEach(f -> failures.add(at + " calculator " + f));
        }
    }

    public static Result run(DemoFleet fleet, DemoTraffic traffic, BudgetStore store, Settings settings,
                             Runnable flush, Progress progress) {
        Month month = new Month(fleet, traffic, store, settings);
        try {
            for (long minute = month.startMinute + 1; minute <= month.endMinute; minute++) {
                // one call a minute, the loop itself kept small: the optimizing compiler compiles a tick as a
                // method of its own instead of recompiling this loop with everything a tick inlines
                if (month.minute(minute)) {
                    if (Math.floorMod(minute - month.startMinute, FLUSH_MINUTES) == 0) {
                        flush.run();
                    }
                    if (Math.floorMod(minute - month.startMinute, DemoTraffic.DAY) == 0) {
                        progress.day((int) ((minute - month.startMinute) / DemoTraffic.DAY), settings.days());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("replay interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a replay lane failed: " + e.getCause(), e.getCause());
        } finally {
            month.pool.shutdownNow();
        }
        return month.result();
    }

    /** The month being replayed: the functions' code, the demo's stand-ins for AWS, and what it tallied so far. */
    private static final class Month {
        final DemoFleet fleet;
        final DemoTraffic traffic;
        final BudgetStore store;
        final Settings settings;
        final ReplayClock clock;
        final int[] policyNotices = {0};
        final LocalReleases releases;
        final LocalFlags flags;
        final PolicyEnforcer enforcer;
        final Map<String, long[]> stageMinutes = new TreeMap<>(); // frozen, disagreed
        final DeploymentRecorder recorder;
        final Map<String, Integer> executions = new HashMap<>();
        final List<Slo> slos;
        final Set<String> services = new LinkedHashSet<>();
        final SyntheticCloudWatch cloudWatch;
        final List<Lane> lanes = new ArrayList<>();
        final ExecutorService pool;
        final Comparator<String> fleetOrder;
        final List<Alert> alerts = new ArrayList<>();
        final Map<String, Integer> statusChanges = new TreeMap<>();
        final List<Approval> approvals = new ArrayList<>();
        final List<String> failures = new ArrayList<>();
        final long step;
        final long startMinute;
        final long endMinute;
        long ticks;
        long pushedMinutes;
        long burningEvaluations;

        Month(DemoFleet fleet, DemoTraffic traffic, BudgetStore store, Settings settings) {
            this.fleet = fleet;
            this.traffic = traffic;
            this.store = store;
            this.settings = settings;
            clock = new ReplayClock(settings.start());
            releases = new LocalReleases(clock);
            flags = new LocalFlags(clock);
            // a snapshot is stale after two ticks, as twice the calculator's schedule in AWS
            enforcer = new PolicyEnforcer(store, releases, backend -> flags, notice -> policyNotices[0]++,
                    StructuredLog.QUIET, clock, settings.every().multipliedBy(2));
            recorder = new DeploymentRecorder(store);
            slos = fleet.slos();
            Map<String, Integer> order = new HashMap<>();
            for (int i = 0; i < slos.size(); i++) {
                order.put(slos.get(i).name(), i);
                services.add(slos.get(i).service());
            }
            cloudWatch = new SyntheticCloudWatch(slos, traffic, settings.start());
            for (int i = 0; i < settings.lanes(); i++) {
                lanes.add(new Lane(cloudWatch, store, clock, settings.burningShare()));
            }
            for (int i = 0; i < slos.size(); i++) {
                lanes.get(i % lanes.size()).slos.add(slos.get(i));
            }
            pool = Executors.newFixedThreadPool(Math.max(1, lanes.size() - 1), r -> {
                Thread t = new Thread(r, "ebm-replay-lane");
                t.setDaemon(true);
                return t;
            });
            fleetOrder = Comparator.comparing(name -> order.getOrDefault(name.split("/")[0], -1));
            step = settings.every().toMinutes();
            startMinute = settings.start().getEpochSecond() / 60;
            endMinute = startMinute + (long) settings.days() * DemoTraffic.DAY;
        }

        /** Replays {@code minute}: a tick when the schedule has one then, true; else the burning run, false. */
        boolean minute(long minute) throws InterruptedException, ExecutionException {
            Instant at = Instant.ofEpochSecond(minute * 60);
            if ((minute - startMinute) % step != 0) {
                if (settings.burningShare() != null) {
                    burningRun(at);
                }
                return false;
            }
            tick(minute, at);
            return true;
        }

        /** The burning mode's one-minute run: only the SLOs the calculator marked as burning. */
        private void burningRun(Instant at) {
            clock.set(at);
            long before = lanes.stream().mapToLong(l -> l.evaluations).sum();
            for (Lane lane : lanes) {
                List<Slo> burning = io.ebm.engine.calculator.Burning.of(store, lane.slos);
                if (!burning.isEmpty()) {
                    lane.tick(burning, at, Duration.ofMinutes(1), fleet.policy());
                }
            }
            lanes.get(0).deliver(at);
            burningEvaluations += lanes.stream().mapToLong(l -> l.evaluations).sum() - before;
            for (Lane lane : lanes) {
                alerts.addAll(lane.alerts);
                lane.alerts.clear();
                lane.changes.forEach(c -> statusChanges.merge(c.slo(), 1, Integer::sum));
                lane.changes.clear();
            }
        }

        private void tick(long minute, Instant at) throws InterruptedException, ExecutionException {
            clock.set(at);
            List<Future<?>> others = new ArrayList<>();
            for (Lane lane : lanes.subList(1, lanes.size())) {
                others.add(pool.submit(() -> lane.tick(at, settings.every(), fleet.policy())));
            }
            lanes.get(0).tick(at, settings.every(), fleet.policy());
            for (Future<?> f : others) {
                f.get();
            }
            // the lanes are one tick's shards finishing together: one delivery after them all
            lanes.get(0).deliver(at);
            pushCounts(minute);
            gatherLanes();
            reconcile(at);
            // the releases the month injects land whatever the gate says (a hotfix, an emergency change)
            for (DemoTraffic.Release r : traffic.releases()) {
                long landing = startMinute + r.minute();
                if (landing > minute - step && landing <= minute) {
                    deploy(recorder, fleet, services, r.service() + "-pipeline",
                            Instant.ofEpochSecond(landing * 60), executions, r.revision());
                }
            }
            long minuteOfDay = Math.floorMod(minute, DemoTraffic.DAY);
            if (minuteOfDay % 60 == 0 && RELEASE_HOURS.contains((int) (minuteOfDay / 60))) {
                askForApprovals(minute, at);
            }
            ticks++;
        }

        /** The series no CloudWatch metric carries, written as an exporter would: read by the next tick. */
        private void pushCounts(long minute) {
            int from = (int) (minute - step - startMinute);
            for (Map.Entry<String, DemoTraffic.Series> p : cloudWatch.pushedSeries().entrySet()) {
                var pushed = DemoTraffic.minutes(p.getValue(), startMinute, from, from + (int) step);
                if (!pushed.isEmpty()) {
                    store.upsertCounts(p.getKey(), pushed);
                    pushedMinutes += pushed.size();
                }
            }
        }

        private void gatherLanes() {
            List<StatusChange> changes = new ArrayList<>();
            List<Alert> tickAlerts = new ArrayList<>();
            for (Lane lane : lanes) {
                changes.addAll(lane.changes);
                tickAlerts.addAll(lane.alerts);
                lane.changes.clear();
                lane.alerts.clear();
            }
            changes.sort(Comparator.comparing(StatusChange::slo, fleetOrder));
            // one delivery sends every lane's notices (they share the outbox, as shards do): order them as
            // one calculator evaluates, budget by budget in fleet order
            tickAlerts.sort(Comparator.comparing(Alert::slo, fleetOrder));
            alerts.addAll(tickAlerts);
            for (StatusChange c : changes) {
                statusChanges.merge(c.slo(), 1, Integer::sum);
            }
        }

        /** The policy's scheduled reconcile, then every managed stage checked against the gate approvals get. */
        private void reconcile(Instant at) {
            PolicyEnforcer.Outcome outcome = enforcer.reconcile("replay tick " + io.ebm.core.Human.time(at), slos,
                    fleet.policy());
            outcome.failed().forEach(f -> failures.add(at + " policy " + f));
            // nothing is written between the reconcile and this check: the facts it read are the gate's now
            List<Boolean> denies = enforcer.shouldBeFrozen(outcome, fleet.policy());
            for (int i = 0; i < outcome.stages().size(); i++) {
                PolicyEnforcer.ManagedStage st = outcome.stages().get(i);
                boolean frozen = releases.isFrozen(st.pipeline(), st.stage()).orElse(false);
                boolean deny = denies.get(i);
                long[] m = stageMinutes.computeIfAbsent(st.pipeline() + "/" + st.stage(), k -> new long[2]);
                m[0] += frozen ? step : 0;
                m[1] += frozen != deny ? step : 0;
            }
        }

        /** Each service's pipeline asks for a production approval; an allowed one lands. */
        private void askForApprovals(long minute, Instant at) {
            for (String service : services) {
                String pipeline = service + "-pipeline";
                GateDecision gate = enforcer.onApproval(pipeline, RELEASE_STAGE, "ErrorBudgetGate",
                        "token-" + service + "-" + minute, service, slos, fleet.policy());
                approvals.add(new Approval(at, service, pipeline,
                        gate.verdict() == GateDecision.Verdict.ALLOW, String.join("; ", gate.reasons())));
                if (gate.verdict() == GateDecision.Verdict.ALLOW) {
                    deploy(recorder, fleet, services, pipeline, at, executions, null);
                }
            }
        }

        Result result() {
            long evaluations = 0;
            long collected = pushedMinutes;
            long metrics = 0;
            long collectorNanos = 0;
            long calculatorNanos = 0;
            for (Lane lane : lanes) {
                evaluations += lane.evaluations;
                collected += lane.collected;
                metrics += lane.metrics;
                collectorNanos += lane.collectorNanos;
                calculatorNanos += lane.calculatorNanos;
                failures.addAll(lane.failures);
            }
            List<Pipeline> pipelines = new ArrayList<>();
            List<LocalReleases.Event> events = releases.events();
            stageMinutes.forEach((key, m) -> {
                String[] ps = key.split("/", 2);
                int freezes = (int) events.stream().filter(e -> e.what().equals("frozen")
                        && e.pipeline().equals(ps[0]) && e.stage().equals(ps[1])).count();
                int lifted = (int) events.stream().filter(e -> e.what().equals("allowed again")
                        && e.pipeline().equals(ps[0]) && e.stage().equals(ps[1])).count();
                pipelines.add(new Pipeline(ps[0], ps[1], freezes, lifted, m[0], m[1]));
            });
            return new Result(alerts, flags.changes(), events, approvals, statusChanges, policyNotices[0], pipelines,
                    ticks, evaluations, collected, failures, metrics, collectorNanos, calculatorNanos,
                    burningEvaluations);
        }
    }

    /**
     * One release through a pipeline, told as CodePipeline tells it (started, Production succeeded, execution
     * succeeded) and recorded by the code the policy function runs for those events. Revisions are seeded.
     */
    private static void deploy(DeploymentRecorder recorder, DemoFleet fleet, Set<String> services, String pipeline,
                               Instant landed, Map<String, Integer> executions, String revision) {
        int n = executions.merge(pipeline, 1, Integer::sum);
        String execution = String.valueOf(n);
        String rev = revision != null ? revision
                : String.format(Locale.ROOT, "%07x", (pipeline.hashCode() * 31L + n) & 0xfffffffL);
        for (DeploymentRecorder.Event e : List.of(
                new DeploymentRecorder.Event(DeploymentRecorder.Kind.PIPELINE, pipeline, execution, null, "STARTED",
                        null, landed.minus(Duration.ofMinutes(20))),
                new DeploymentRecorder.Event(DeploymentRecorder.Kind.SOURCE_ACTION, pipeline, execution, "Source",
                        "SUCCEEDED", rev, landed.minus(Duration.ofMinutes(19))),
                new DeploymentRecorder.Event(DeploymentRecorder.Kind.STAGE, pipeline, execution, RELEASE_STAGE,
                        "SUCCEEDED", null, landed),
                new DeploymentRecorder.Event(DeploymentRecorder.Kind.PIPELINE, pipeline, execution, null, "SUCCEEDED",
                        null, landed.plus(Duration.ofMinutes(2))))) {
            recorder.record(e, fleet.policy().deployments(), services);
        }
    }

    private static Alert alert(Instant at, AlertNotice notice) {
        Map<String, String> a = notice.attributes();
        return new Alert(at, List.of(a.get("slo").split(",")), a.get("tier"), a.get("severity"), a.get("transition"),
                a.get("kind"));
    }
}
