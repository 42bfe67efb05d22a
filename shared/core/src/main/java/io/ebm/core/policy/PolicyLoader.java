package io.ebm.core.policy;

import com.fasterxml.jackson.databind.JsonNode;
import io.ebm.core.alert.AlertRules;
import io.ebm.core.alert.AlertTier;
import io.ebm.core.budget.BudgetStatus;
import io.ebm.core.budget.EvaluationSettings;
import io.ebm.core.deploy.DeploymentRouting;
import io.ebm.core.yaml.DefinitionException;
import io.ebm.core.yaml.Fields;
import io.ebm.core.yaml.Problem;
import io.ebm.core.yaml.Yaml;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads an error-budget policy file ({@code apiVersion: ebm/v1}, {@code kind: ErrorBudgetPolicy}); the schema
 * is in docs/policy.md. Problems name file, document and field; one problem loads nothing.
 */
public final class PolicyLoader {

    public static final String API_VERSION = "ebm/v1";
    public static final String KIND = "ErrorBudgetPolicy";

    private final Fields f;

    private PolicyLoader(Fields f) {
        this.f = f;
    }

    public static Policy load(Path file) {
        List<Problem> problems = new ArrayList<>();
        return load(Yaml.documents(file, problems), problems, file.toString());
    }

    /** A policy held as text (for example in the store), named {@code name} in problems. */
    public static Policy loadText(String name, String text) {
        List<Problem> problems = new ArrayList<>();
        return load(Yaml.documents(name, text, problems), problems, name);
    }

    private static Policy load(List<Yaml.Document> docs, List<Problem> problems, String file) {
        if (problems.isEmpty() && docs.size() != 1) {
            problems.add(new Problem(file, null, null,
                    "expected exactly one ErrorBudgetPolicy document, found " + docs.size()));
        }
        Policy policy = null;
        if (problems.isEmpty()) {
            Yaml.Document d = docs.get(0);
            policy = new PolicyLoader(new Fields(d.file(), "document 1", problems)).policy(d.node());
        }
        if (!problems.isEmpty()) {
            throw new DefinitionException(problems);
        }
        return policy;
    }

    private Policy policy(JsonNode n) {
        if (!n.isObject()) {
            f.problem("", "expected a mapping with apiVersion, kind, metadata and spec");
            return null;
        }
        f.onlyKnown(n, "", Set.of("apiVersion", "kind", "metadata", "spec"));
        String api = f.text(n, "", "apiVersion", true);
        if (api != null && !API_VERSION.equals(api)) {
            f.problem("apiVersion", "expected '" + API_VERSION + "', got '" + api + "'");
        }
        String kind = f.text(n, "", "kind", true);
        if (kind != null && !KIND.equals(kind)) {
            f.problem("kind", "expected '" + KIND + "', got '" + kind + "'");
        }
        JsonNode md = f.object(n, "", "metadata", true);
        String name = md == null ? null : f.text(md, "metadata", "name", true);
        if (name != null) {
            f.setDocument("document 1 (" + KIND + " " + name + ")");
        }
        JsonNode spec = f.object(n, "", "spec", true);
        if (spec == null) {
            return null;
        }
        f.onlyKnown(spec, "spec", Set.of("onNoData", "onUnknownService", "evaluation", "alerting", "rules",
                "exclusions", "overrides", "featureFlags", "release", "deployments"));
        DeploymentRouting routing = deployments(f.object(spec, "spec", "deployments", false));
        Policy.FlagBackend flags = flagBackend(f.object(spec, "spec", "featureFlags", false));
        Policy.NoData noData = failMode(spec, "onNoData", Policy.NoData.FAIL_OPEN);
        ReleaseSettings release = release(f.object(spec, "spec", "release", false),
                failMode(spec, "onUnknownService", ReleaseSettings.DEFAULTS.onUnknownService()));
        EvaluationSettings settings = settings(f.object(spec, "spec", "evaluation", false));
        List<AlertTier> tiers = tiers(f.object(spec, "spec", "alerting", false));
        AlertRules alerting = alertRules(f.object(spec, "spec", "alerting", false));
        List<Rule> rules = new ArrayList<>();
        JsonNode rl = f.array(spec, "spec", "rules", false);
        Set<String> ruleNames = new HashSet<>();
        for (int i = 0; rl != null && i < rl.size(); i++) {
            Rule r = rule(rl.get(i), Fields.index("spec.rules", i));
            if (r != null && !ruleNames.add(r.name())) {
                f.problem(Fields.index("spec.rules", i) + ".name", "duplicate rule name '" + r.name() + "'");
            }
            rules.add(r);
        }
        List<Exclusion> exclusions = new ArrayList<>();
        JsonNode ex = f.array(spec, "spec", "exclusions", false);
        for (int i = 0; ex != null && i < ex.size(); i++) {
            exclusions.add(exclusion(ex.get(i), Fields.index("spec.exclusions", i)));
        }
        List<ReleaseOverride> overrides = new ArrayList<>();
        JsonNode ov = f.array(spec, "spec", "overrides", false);
        for (int i = 0; ov != null && i < ov.size(); i++) {
            overrides.add(override(ov.get(i), Fields.index("spec.overrides", i), i));
        }
        if (name == null || settings == null || tiers == null || alerting == null || routing == null
                || rules.contains(null) || exclusions.contains(null)
                || overrides.contains(null) || (spec.has("featureFlags") && flags == null) || release == null) {
            return null;
        }
        return new Policy(name, noData, rules, exclusions, overrides, tiers, settings, flags, release, alerting,
                routing);
    }

    /**
     * {@code spec.deployments}: {@code landingStage} (default Production), {@code pipelines} (name → services) and
     * {@code appConfig} ({@code application/environment} → services). Null when wrong.
     */
    private DeploymentRouting deployments(JsonNode d) {
        if (d == null) {
            return DeploymentRouting.DEFAULTS;
        }
        String p = "spec.deployments";
        f.onlyKnown(d, p, Set.of("landingStage", "pipelines", "appConfig"));
        String stage = f.text(d, p, "landingStage", false);
        java.util.Map<String, List<String>> pipelines = serviceMap(f.object(d, p, "pipelines", false), p + ".pipelines");
        java.util.Map<String, List<String>> appConfig = serviceMap(f.object(d, p, "appConfig", false), p + ".appConfig");
        if (pipelines == null || appConfig == null || (d.has("landingStage") && stage == null)) {
            return null;
        }
        return new DeploymentRouting(stage, pipelines, appConfig);
    }

    /** A mapping of names to lists of service names; null when wrong. */
    private java.util.Map<String, List<String>> serviceMap(JsonNode m, String p) {
        java.util.Map<String, List<String>> out = new java.util.LinkedHashMap<>();
        if (m == null) {
            return out;
        }
        boolean ok = true;
        for (java.util.Iterator<String> it = m.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            List<String> services = new ArrayList<>(strings(m, p, key));
            if (services.isEmpty()) {
                f.problem(p + "." + key, "expected a list of one or more services");
                ok = false;
            }
            out.put(key, services);
        }
        return ok ? out : null;
    }

    /** {@code spec.alerting}'s resolveAfter, resolveMargin, noDataAfter and grouping. Null when wrong. */
    private AlertRules alertRules(JsonNode a) {
        if (a == null) {
            return AlertRules.DEFAULTS;
        }
        String p = "spec.alerting";
        Duration hold = f.fixedDurationOrZero(a, p, "resolveAfter", false);
        BigDecimal margin = f.decimal(a, p, "resolveMargin", false);
        Duration noDataAfter = f.fixedDurationOrZero(a, p, "noDataAfter", false);
        if ((a.has("resolveAfter") && hold == null) || (a.has("noDataAfter") && noDataAfter == null)) {
            return null;
        }
        if (noDataAfter != null && noDataAfter.compareTo(MAX_RESOLVE_AFTER) > 0) {
            f.problem(p + ".noDataAfter", "expected at most 1d, got " + noDataAfter.toMinutes() + "m");
            return null;
        }
        if (margin != null && (margin.signum() < 0 || margin.compareTo(BigDecimal.ONE) >= 0)) {
            f.problem(p + ".resolveMargin", "expected a share of the threshold from 0 to below 1, got "
                    + margin.toPlainString());
            return null;
        }
        if (hold != null && hold.compareTo(MAX_RESOLVE_AFTER) > 0) {
            f.problem(p + ".resolveAfter", "expected at most 1d, got " + hold.toMinutes() + "m");
            return null;
        }
        AlertRules.Grouping grouping = null;
        JsonNode g = f.object(a, p, "grouping", false);
        if (g != null) {
            String gp = p + ".grouping";
            f.onlyKnown(g, gp, Set.of("by", "interval"));
            String by = f.text(g, gp, "by", true);
            Duration wait = f.fixedDurationOrZero(g, gp, "interval", false);
            if (by == null || (g.has("interval") && wait == null)) {
                return null;
            }
            if (!by.equals("service") && !by.equals("metric")) {
                f.problem(gp + ".by", "expected service or metric, got '" + by + "'");
                return null;
            }
            if (wait != null && wait.compareTo(MAX_GROUP_WAIT) > 0) {
                f.problem(gp + ".interval", "expected at most 1h, got " + wait.toMinutes() + "m");
                return null;
            }
            grouping = new AlertRules.Grouping(by.equals("service") ? AlertRules.Grouping.By.SERVICE
                    : AlertRules.Grouping.By.METRIC, wait == null ? Duration.ZERO : wait);
        }
        return new AlertRules(hold, margin == null ? AlertRules.DEFAULT_MARGIN : margin, grouping,
                noDataAfter == null ? AlertRules.DEFAULT_NO_DATA_AFTER : noDataAfter);
    }

    /** A deployment's cost is judged within a week of landing at most: older ones are history. */
    static final Duration MAX_DEPLOYMENT_SPAN = Duration.ofDays(7);

    /** Longer holds would keep a page open for a day after the burn stopped. */
    static final Duration MAX_RESOLVE_AFTER = Duration.ofDays(1);
    /** Longer waits would delay the first page of a group more than any on-call engineer accepts. */
    static final Duration MAX_GROUP_WAIT = Duration.ofHours(1);

    private Policy.NoData failMode(JsonNode spec, String key, Policy.NoData otherwise) {
        String v = f.text(spec, "spec", key, false);
        if (v == null) {
            return otherwise;
        }
        return switch (v) {
            case "failOpen" -> Policy.NoData.FAIL_OPEN;
            case "failClosed" -> Policy.NoData.FAIL_CLOSED;
            default -> {
                f.problem("spec." + key, "expected failOpen or failClosed, got '" + v + "'");
                yield otherwise;
            }
        };
    }

    /** {@code spec.release}: liftAfter (0 allowed), staleAfter, overrideMaxDuration. Null when wrong. */
    private ReleaseSettings release(JsonNode r, Policy.NoData onUnknownService) {
        ReleaseSettings d = ReleaseSettings.DEFAULTS;
        if (r == null) {
            return new ReleaseSettings(d.liftAfter(), d.staleAfter(), d.overrideMaxDuration(), onUnknownService);
        }
        String p = "spec.release";
        f.onlyKnown(r, p, Set.of("liftAfter", "staleAfter", "overrideMaxDuration"));
        Duration lift = f.fixedDurationOrZero(r, p, "liftAfter", false);
        Duration stale = f.fixedDuration(r, p, "staleAfter", false);
        Duration max = f.fixedDuration(r, p, "overrideMaxDuration", false);
        if ((r.has("liftAfter") && lift == null) || (r.has("staleAfter") && stale == null)
                || (r.has("overrideMaxDuration") && max == null)) {
            return null;
        }
        return new ReleaseSettings(lift != null ? lift : d.liftAfter(), stale, max != null ? max : d.overrideMaxDuration(),
                onUnknownService);
    }

    private Policy.FlagBackend flagBackend(JsonNode b) {
        if (b == null) {
            return null;
        }
        String p = "spec.featureFlags";
        f.onlyKnown(b, p, Set.of("backend", "application", "environment", "profile", "deploymentStrategy", "prefix"));
        String kind = f.text(b, p, "backend", true);
        if ("appconfig".equals(kind)) {
            String app = f.text(b, p, "application", true);
            String env = f.text(b, p, "environment", true);
            String profile = f.text(b, p, "profile", true);
            String strategy = f.text(b, p, "deploymentStrategy", true);
            return app == null || env == null || profile == null || strategy == null ? null
                    : Policy.FlagBackend.appConfig(app, env, profile, strategy);
        }
        if ("ssm".equals(kind)) {
            String prefix = f.text(b, p, "prefix", true);
            if (prefix != null && !prefix.startsWith("/")) {
                f.problem(p + ".prefix", "expected a parameter path starting with /, got '" + prefix + "'");
                return null;
            }
            return prefix == null ? null : Policy.FlagBackend.ssm(prefix);
        }
        if (kind != null) {
            f.problem(p + ".backend", "expected appconfig or ssm, got '" + kind + "'");
        }
        return null;
    }

    private EvaluationSettings settings(JsonNode e) {
        EvaluationSettings d = EvaluationSettings.DEFAULTS;
        if (e == null) {
            return d;
        }
        String p = "spec.evaluation";
        f.onlyKnown(e, p, Set.of("warningRemaining", "minimumEvents", "currentBurnWindow", "staleAfter"));
        BigDecimal warn = f.decimal(e, p, "warningRemaining", false);
        if (warn != null && (warn.signum() < 0 || warn.compareTo(BigDecimal.ONE) > 0)) {
            f.problem(p + ".warningRemaining", "expected a fraction in [0, 1], got " + warn.toPlainString());
            return null;
        }
        BigDecimal min = f.decimal(e, p, "minimumEvents", false);
        if (min != null && (min.signum() < 0 || min.stripTrailingZeros().scale() > 0)) {
            f.problem(p + ".minimumEvents", "expected a whole number of events >= 0, got " + min.toPlainString());
            return null;
        }
        Duration burn = f.fixedDuration(e, p, "currentBurnWindow", false);
        if (burn != null && burn.toMinutes() > EvaluationSettings.MAX_CURRENT_BURN_MINUTES) {
            f.problem(p + ".currentBurnWindow", "expected at most 3d (the history every budget keeps), got "
                    + e.get("currentBurnWindow").asText());
            return null;
        }
        Duration stale = f.fixedDuration(e, p, "staleAfter", false);
        if ((e.has("warningRemaining") && warn == null) || (e.has("minimumEvents") && min == null)
                || (e.has("currentBurnWindow") && burn == null) || (e.has("staleAfter") && stale == null)) {
            return null;
        }
        return new EvaluationSettings(warn != null ? warn : d.warningRemaining(),
                min != null ? min.longValue() : d.minimumEvents(),
                burn != null ? burn.toMinutes() : d.currentBurnMinutes(),
                stale != null ? stale.toMinutes() : d.staleAfterMinutes());
    }

    private List<AlertTier> tiers(JsonNode a) {
        if (a == null) {
            return AlertTier.WORKBOOK_DEFAULTS;
        }
        String p = "spec.alerting";
        f.onlyKnown(a, p, Set.of("tiers", "disable", "resolveAfter", "resolveMargin", "grouping",
                "noDataAfter"));
        List<AlertTier> tiers = new ArrayList<>();
        JsonNode list = f.array(a, p, "tiers", false);
        if (list == null) {
            tiers.addAll(AlertTier.WORKBOOK_DEFAULTS);
        } else {
            Set<String> names = new HashSet<>();
            for (int i = 0; i < list.size(); i++) {
                AlertTier t = tier(list.get(i), Fields.index(p + ".tiers", i));
                if (t == null) {
                    return null;
                }
                if (!names.add(t.name())) {
                    f.problem(Fields.index(p + ".tiers", i) + ".name", "duplicate tier name '" + t.name() + "'");
                    return null;
                }
                tiers.add(t);
            }
        }
        JsonNode off = f.array(a, p, "disable", false);
        for (int i = 0; off != null && i < off.size(); i++) {
            String n = off.get(i).asText();
            boolean found = false;
            for (int j = 0; j < tiers.size(); j++) {
                if (tiers.get(j).name().equals(n)) {
                    tiers.set(j, tiers.get(j).withEnabled(false));
                    found = true;
                }
            }
            if (!found) {
                f.problem(Fields.index(p + ".disable", i), "no tier named '" + n + "'; tiers are "
                        + tiers.stream().map(AlertTier::name).toList());
                return null;
            }
        }
        return tiers;
    }

    private AlertTier tier(JsonNode t, String p) {
        if (t == null || !t.isObject()) {
            f.problem(p, "expected a mapping with name, severity, budgetConsumed or burnRate, longWindow, shortWindow");
            return null;
        }
        f.onlyKnown(t, p, Set.of("name", "severity", "budgetConsumed", "burnRate", "longWindow", "shortWindow",
                "enabled"));
        String name = f.text(t, p, "name", true);
        String severity = f.text(t, p, "severity", true);
        BigDecimal share = f.decimal(t, p, "budgetConsumed", false);
        BigDecimal rate = f.decimal(t, p, "burnRate", false);
        Duration lw = f.fixedDuration(t, p, "longWindow", true);
        Duration sw = f.fixedDuration(t, p, "shortWindow", true);
        Boolean enabled = f.bool(t, p, "enabled", false);
        if ((share == null) == (rate == null)) {
            f.problem(p, "expected exactly one of budgetConsumed (a fraction of the budget) or burnRate");
            return null;
        }
        if (share != null && (share.signum() <= 0 || share.compareTo(BigDecimal.ONE) > 0)) {
            f.problem(p + ".budgetConsumed", "expected a fraction in (0, 1], got " + share.toPlainString());
            return null;
        }
        if (rate != null && rate.signum() <= 0) {
            f.problem(p + ".burnRate", "expected a burn rate greater than 0, got " + rate.toPlainString());
            return null;
        }
        if (name == null || severity == null || lw == null || sw == null) {
            return null;
        }
        if (sw.compareTo(lw) > 0) {
            f.problem(p + ".shortWindow", "expected a short window no longer than the long window, got "
                    + sw.toMinutes() + "m > " + lw.toMinutes() + "m");
            return null;
        }
        return new AlertTier(name, severity, lw.toMinutes(), sw.toMinutes(), share, rate, 0,
                enabled == null || enabled);
    }

    private Scope scope(JsonNode parent, String p) {
        JsonNode s = f.object(parent, p, "scope", false);
        if (s == null) {
            return Scope.ALL;
        }
        String sp = p + ".scope";
        f.onlyKnown(s, sp, Set.of("services", "slos"));
        return new Scope(strings(s, sp, "services"), strings(s, sp, "slos"));
    }

    private Set<String> strings(JsonNode parent, String p, String key) {
        JsonNode a = f.array(parent, p, key, false);
        Set<String> out = new LinkedHashSet<>();
        for (int i = 0; a != null && i < a.size(); i++) {
            JsonNode v = a.get(i);
            if (!v.isTextual() || v.asText().isBlank()) {
                f.problem(Fields.index(p + "." + key, i), "expected a name, got " + Fields.describe(v));
            } else {
                out.add(v.asText());
            }
        }
        return out;
    }

    private Rule rule(JsonNode r, String p) {
        if (r == null || !r.isObject()) {
            f.problem(p, "expected a mapping with name, when and then");
            return null;
        }
        boolean known = f.onlyKnown(r, p, Set.of("name", "description", "scope", "when", "then"));
        String name = f.text(r, p, "name", true);
        String description = f.text(r, p, "description", false);
        Scope scope = scope(r, p);
        Condition when = condition(f.object(r, p, "when", true), p + ".when");
        JsonNode then = f.array(r, p, "then", true);
        List<Action> actions = new ArrayList<>();
        if (then != null && then.isEmpty()) {
            f.problem(p + ".then", "expected at least one action");
        }
        for (int i = 0; then != null && i < then.size(); i++) {
            Action a = action(then.get(i), Fields.index(p + ".then", i));
            if (a != null) {
                actions.add(a);
            }
        }
        if (name == null || when == null || then == null || actions.size() != then.size() || actions.isEmpty()
                || !known) {
            return null;
        }
        return new Rule(name, description, scope, when, actions);
    }

    private Condition condition(JsonNode w, String p) {
        if (w == null) {
            return null;
        }
        f.onlyKnown(w, p, Set.of("status", "remainingBelow", "tierFiring", "exhaustionWithin", "noData",
                "deploymentSpent"));
        boolean ok = true;
        Set<BudgetStatus> status = new LinkedHashSet<>();
        for (String s : strings(w, p, "status")) {
            try {
                status.add(BudgetStatus.valueOf(s));
            } catch (IllegalArgumentException e) {
                f.problem(p + ".status", "unknown status '" + s + "'; expected any of " + List.of(BudgetStatus.values()));
                ok = false;
            }
        }
        BigDecimal below = f.decimal(w, p, "remainingBelow", false);
        if (below != null && (below.signum() < 0 || below.compareTo(BigDecimal.ONE) > 0)) {
            f.problem(p + ".remainingBelow", "expected a fraction in [0, 1], got " + below.toPlainString());
            ok = false;
        }
        Set<String> tiers = strings(w, p, "tierFiring");
        Duration within = f.fixedDuration(w, p, "exhaustionWithin", false);
        Boolean noData = f.bool(w, p, "noData", false);
        Condition.DeploymentSpent spent = null;
        JsonNode ds = f.object(w, p, "deploymentSpent", false);
        if (ds != null) {
            String dp = p + ".deploymentSpent";
            f.onlyKnown(ds, dp, Set.of("share", "within"));
            BigDecimal share = f.decimal(ds, dp, "share", true);
            Duration span = f.fixedDuration(ds, dp, "within", true);
            if (share != null && (share.signum() <= 0 || share.compareTo(BigDecimal.ONE) > 0)) {
                f.problem(dp + ".share", "expected a fraction of the budget in (0, 1], got " + share.toPlainString());
                ok = false;
            }
            if (span != null && span.compareTo(MAX_DEPLOYMENT_SPAN) > 0) {
                f.problem(dp + ".within", "expected at most 7d, got " + span.toMinutes() + "m");
                ok = false;
            }
            if (share == null || span == null) {
                ok = false;
            } else {
                spent = new Condition.DeploymentSpent(share, span);
            }
        }
        if (!ok || (w.has("remainingBelow") && below == null) || (w.has("exhaustionWithin") && within == null)
                || (w.has("noData") && noData == null)) {
            return null;
        }
        return new Condition(status, below, tiers, within, noData, spent);
    }

    private Action action(JsonNode a, String p) {
        if (a == null || !a.isObject() || a.size() != 1) {
            f.problem(p, "expected one of freezeReleases, allowReleases, setFeatureFlag, notify, "
                    + "requireReliabilityWork, each as a mapping");
            return null;
        }
        String kind = a.fieldNames().next();
        String ap = p + "." + kind;
        JsonNode body = a.get(kind);
        if (body == null || body.isNull()) {
            body = Yaml.MAPPER.createObjectNode();
        }
        if (!body.isObject()) {
            f.problem(ap, "expected a mapping, got " + Fields.describe(body));
            return null;
        }
        switch (kind) {
            case "freezeReleases", "allowReleases" -> {
                f.onlyKnown(body, ap, Set.of("service", "stage", "pipeline"));
                String service = f.text(body, ap, "service", false);
                String stage = f.text(body, ap, "stage", false);
                String pipeline = f.text(body, ap, "pipeline", false);
                if (pipeline != null && stage == null) {
                    f.problem(ap + ".stage", "required with pipeline: the stage whose inbound transition is frozen");
                    return null;
                }
                return kind.equals("freezeReleases") ? new Action.FreezeReleases(service, stage, pipeline)
                        : new Action.AllowReleases(service, stage, pipeline);
            }
            case "setFeatureFlag" -> {
                f.onlyKnown(body, ap, Set.of("flag", "enabled"));
                String flag = f.text(body, ap, "flag", true);
                Boolean enabled = f.bool(body, ap, "enabled", true);
                return flag == null || enabled == null ? null : new Action.SetFeatureFlag(flag, enabled);
            }
            case "notify" -> {
                f.onlyKnown(body, ap, Set.of("target", "message", "severity"));
                String target = f.text(body, ap, "target", true);
                String severity = f.text(body, ap, "severity", false);
                return target == null ? null : new Action.Notify(target, f.text(body, ap, "message", false),
                        severity == null ? Action.Notify.DEFAULT_SEVERITY : severity);
            }
            case "requireReliabilityWork" -> {
                f.onlyKnown(body, ap, Set.of("note"));
                return new Action.RequireReliabilityWork(f.text(body, ap, "note", false));
            }
            default -> {
                f.problem(ap, "unknown action; expected one of freezeReleases, allowReleases, setFeatureFlag, "
                        + "notify, requireReliabilityWork");
                return null;
            }
        }
    }

    private Exclusion exclusion(JsonNode e, String p) {
        if (e == null || !e.isObject()) {
            f.problem(p, "expected a mapping with name, from/to or recurring, and treatment");
            return null;
        }
        f.onlyKnown(e, p, Set.of("name", "scope", "from", "to", "recurring", "treatment"));
        String name = f.text(e, p, "name", true);
        Scope scope = scope(e, p);
        String treatmentText = f.text(e, p, "treatment", true);
        Exclusion.Treatment treatment = null;
        if ("drop".equals(treatmentText)) {
            treatment = Exclusion.Treatment.DROP;
        } else if ("good".equals(treatmentText)) {
            treatment = Exclusion.Treatment.GOOD;
        } else if (treatmentText != null) {
            f.problem(p + ".treatment", "expected drop or good, got '" + treatmentText + "'");
        }
        boolean oneOff = e.has("from") || e.has("to");
        boolean recurring = e.has("recurring");
        if (oneOff == recurring) {
            f.problem(p, "expected either from and to (one-off) or recurring, not both or neither");
            return null;
        }
        if (oneOff) {
            Instant from = instant(e, p, "from");
            Instant to = instant(e, p, "to");
            if (from != null && to != null && !to.isAfter(from)) {
                f.problem(p + ".to", "expected an instant after from (" + from + "), got " + to);
                return null;
            }
            return name == null || treatment == null || from == null || to == null ? null
                    : new Exclusion(name, scope, from, to, null, treatment);
        }
        String rp = p + ".recurring";
        JsonNode r = f.object(e, p, "recurring", true);
        if (r == null) {
            return null;
        }
        f.onlyKnown(r, rp, Set.of("days", "start", "duration", "timeZone"));
        Set<DayOfWeek> days = new LinkedHashSet<>();
        for (String d : strings(r, rp, "days")) {
            try {
                days.add(DayOfWeek.valueOf(d.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException ex) {
                f.problem(rp + ".days", "expected day names such as MONDAY, got '" + d + "'");
                return null;
            }
        }
        if (days.isEmpty()) {
            f.problem(rp + ".days", "expected at least one day of the week");
        }
        String startText = f.text(r, rp, "start", true);
        LocalTime start = null;
        if (startText != null) {
            try {
                start = LocalTime.parse(startText);
            } catch (DateTimeException ex) {
                f.problem(rp + ".start", "expected a local time like 02:00, got '" + startText + "'");
            }
        }
        Duration length = f.fixedDuration(r, rp, "duration", true);
        String zoneText = f.text(r, rp, "timeZone", true);
        ZoneId zone = null;
        if (zoneText != null) {
            try {
                zone = ZoneId.of(zoneText);
            } catch (DateTimeException ex) {
                f.problem(rp + ".timeZone", "expected an IANA time zone such as Europe/Paris, got '" + zoneText + "'");
            }
        }
        if (name == null || treatment == null || days.isEmpty() || start == null || length == null || zone == null) {
            return null;
        }
        return new Exclusion(name, scope, null, null,
                new Exclusion.Recurrence(days, start, length, zone), treatment);
    }

    private ReleaseOverride override(JsonNode o, String p, int i) {
        if (o == null || !o.isObject()) {
            f.problem(p, "expected a mapping with service, expires, reason and author");
            return null;
        }
        f.onlyKnown(o, p, Set.of("id", "service", "stage", "expires", "reason", "author"));
        String id = f.text(o, p, "id", false);
        String service = f.text(o, p, "service", true);
        String stage = f.text(o, p, "stage", false);
        Instant expires = instant(o, p, "expires");
        String reason = f.text(o, p, "reason", true);
        String author = f.text(o, p, "author", true);
        if (service == null || expires == null || reason == null || author == null) {
            return null;
        }
        return new ReleaseOverride(id != null ? id : "policy-file-" + (i + 1), service, stage, expires, reason, author);
    }

    private Instant instant(JsonNode parent, String p, String key) {
        String text = f.text(parent, p, key, true);
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeException e) {
            f.problem(p + "." + key, "expected an ISO-8601 instant such as 2026-11-01T02:00:00Z, got '" + text + "'");
            return null;
        }
    }

}
