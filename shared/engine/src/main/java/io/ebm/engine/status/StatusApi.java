package io.ebm.engine.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ebm.core.Human;
import io.ebm.core.budget.BudgetStatus;
import io.ebm.core.budget.Snapshot;
import io.ebm.core.deploy.DeploymentJson;
import io.ebm.core.deploy.Ledger;
import io.ebm.core.incident.IncidentJson;
import io.ebm.core.policy.GateDecision;
import io.ebm.core.policy.Policy;
import io.ebm.core.policy.PolicyEngine;
import io.ebm.core.policy.ReleaseOverride;
import io.ebm.core.port.StructuredLog;
import io.ebm.core.slo.DurationShorthand;
import io.ebm.core.store.BudgetStore;
import io.ebm.core.store.SnapshotRecord;
import io.ebm.engine.LatestSnapshots;
import io.ebm.engine.StoredDefinitions;
import io.ebm.engine.deploy.DeploymentLedgers;
import io.ebm.engine.policy.Overrides;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The status endpoint: budgets, burn rates, gate decisions, history, badges, a dashboard and overrides, over
 * the store. Errors are RFC 9457 problem documents; reads carry an ETag and Cache-Control.
 */
public final class StatusApi {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration MAX_HISTORY = Duration.ofDays(400);
    static final int MAX_POINTS = 5000;
    /** Instants a request may name: anything outside is a mistake or an attack, and would overflow arithmetic. */
    static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");
    /** The longest override reason, and the longest stage name, a write may carry. */
    static final int MAX_REASON = 1000;
    static final int MAX_NAME = 128;
    /** What a caller without an identity (a public route) sees instead of an override's author. */
    static final String REDACTED = "(redacted)";

    private static final Pattern SLO = Pattern.compile("/slos/([a-z0-9][-a-z0-9/]*[a-z0-9]|[a-z0-9])");

    private final BudgetStore store;
    private final Overrides overrides;
    private final StructuredLog log;
    private final Clock clock;
    private final Duration staleDefault;
    private final FleetCache fleet;

    public StatusApi(BudgetStore store, StructuredLog log, Clock clock) {
        this(store, log, clock, io.ebm.core.policy.ReleaseSettings.DEFAULT_STALE_AFTER);
    }

    /** {@code staleDefault}: snapshots older than this show as NO_DATA when the policy names no staleAfter. */
    public StatusApi(BudgetStore store, StructuredLog log, Clock clock, Duration staleDefault) {
        this(store, log, clock, staleDefault, Duration.ZERO);
    }

    /**
     * How long a deployed status API answers from one read of the definitions and latest snapshots: the gate
     * and the dashboard at 1,000 SLOs read the store once a second, not once a request.
     */
    public static final Duration READ_EVERY = Duration.ofSeconds(1);

    /** {@code readEvery}: definitions and latest snapshots are read from the store at most this often. */
    public StatusApi(BudgetStore store, StructuredLog log, Clock clock, Duration staleDefault, Duration readEvery) {
        this.fleet = new FleetCache(store, log, readEvery);
        this.store = store;
        this.overrides = new Overrides(store);
        this.log = log;
        this.clock = clock;
        this.staleDefault = staleDefault;
    }

    /** How long a read policy is used before the store is asked again: badges and pages are read often. */
    static final long POLICY_TTL_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(60);

    private Policy cachedPolicy;
    private long policyReadAt;

    /** The stored policy, read at most once a minute (a new policy reaches the status API within a minute). */
    private synchronized Policy policy() {
        long now = System.nanoTime();
        if (cachedPolicy == null || now - policyReadAt > POLICY_TTL_NANOS) {
            cachedPolicy = StoredDefinitions.policy(store);
            policyReadAt = now;
        }
        return cachedPolicy;
    }

    /** Every budget's latest snapshot as the gate sees it: stale ones are NO_DATA. */
    private List<Snapshot> fresh(Policy policy) {
        return fresh(policy, fleet.get(policy));
    }

    /** Every budget's latest snapshot of a read of the fleet, NO_DATA when stale (judged now, per request). */
    private List<Snapshot> fresh(Policy policy, FleetCache.Fleet read) {
        Instant now = clock.instant();
        Duration staleAfter = policy.release().staleAfterOr(staleDefault);
        List<Snapshot> out = new ArrayList<>(read.latest().size());
        for (Snapshot s : read.latest()) {
            out.add(LatestSnapshots.fresh(s, read.confirmed().get(s.name()), now, staleAfter));
        }
        return out;
    }

    /** One budget's latest snapshot, NO_DATA when stale. */
    private Snapshot freshSnapshot(String name) {
        Policy policy = policy();
        return LatestSnapshots.fresh(latest(name).snapshot(), fleet.get(policy).confirmed().get(name), clock.instant(),
                policy.release().staleAfterOr(staleDefault));
    }

    /** Thrown inside a route: becomes a problem document. */
    static final class Problem extends RuntimeException {
        final int status;
        final String title;
        final Map<String, String> headers;

        Problem(int status, String title, String detail) {
            this(status, title, detail, Map.of());
        }

        Problem(int status, String title, String detail, Map<String, String> headers) {
            super(detail);
            this.status = status;
            this.title = title;
            this.headers = headers;
        }
    }

    public HttpResponse handle(HttpRequest req) {
        try {
            return route(req);
        } catch (Problem p) {
            return problem(p.status, p.title, p.getMessage(), req.path(), p.headers);
        } catch (RuntimeException e) {
            // the detail goes to the log, never to the caller
            log.error("status request failed", Map.of("path", req.path(), "error", String.valueOf(e)));
            return problem(500, "Internal error", "the request could not be answered; see the function's log",
                    req.path(), Map.of());
        }
    }

    private HttpResponse route(HttpRequest req) {
        String path = req.path().length() > 1 && req.path().endsWith("/")
                ? req.path().substring(0, req.path().length() - 1) : req.path();
        String m = req.method().toUpperCase(Locale.ROOT);
        if (path.equals("/")) {
            only(m, "GET");
            Dashboard d = dashboard();
            return read(req, "text/html; charset=utf-8", d.html(), d.etag());
        }
        if (path.equals("/slos")) {
            only(m, "GET");
            return read(req, "application/json", list(req.query()).toString());
        }
        if (path.equals("/overrides")) {
            return switch (m) {
                case "GET" -> noStore(200, "application/json",
                        listOverrides(required(req.query(), "service"), identified(req)).toString());
                case "POST" -> createOverride(req);
                default -> throw notAllowed("GET, POST");
            };
        }
        if (path.startsWith("/overrides/")) {
            only(m, "DELETE");
            return revokeOverride(req, path.substring("/overrides/".length()));
        }
        if (path.startsWith("/services/") && path.endsWith("/deployments")) {
            only(m, "GET");
            String service = serviceName(path.substring("/services/".length(), path.length() - "/deployments".length()));
            return read(req, "application/json", deployments(service).toString());
        }
        if (path.startsWith("/services/") && path.endsWith("/view")) {
            only(m, "GET");
            String service = serviceName(path.substring("/services/".length(), path.length() - "/view".length()));
            return read(req, "text/html; charset=utf-8", servicePage(service, identified(req)));
        }
        if (path.startsWith("/services/") && path.endsWith("/gate")) {
            only(m, "GET");
            String service = path.substring("/services/".length(), path.length() - "/gate".length());
            return read(req, "application/json", gate(service, req.query().get("stage"), identified(req)).toString());
        }
        for (String suffix : List.of("/badge.svg", "/history", "/incidents", "/view", "")) {
            if (path.endsWith(suffix) && path.length() > suffix.length()) {
                String rest = path.substring(0, path.length() - suffix.length());
                Matcher x = SLO.matcher(rest);
                if (x.matches()) {
                    only(m, "GET");
                    String name = x.group(1);
                    return switch (suffix) {
                        case "/badge.svg" -> read(req, "image/svg+xml", badge(name));
                        case "/history" -> read(req, "application/json", history(name, req.query()).toString());
                        case "/incidents" -> read(req, "application/json", incidents(name, req.query()).toString());
                        case "/view" -> read(req, "text/html; charset=utf-8", view(name, identified(req)));
                        default -> read(req, "application/json", latest(name).payload());
                    };
                }
            }
        }
        throw new Problem(404, "Not found", "no resource at " + path);
    }

    // ---------------------------------------------------------------- reads

    private SnapshotRecord latest(String name) {
        return store.latestSnapshot(name).orElseThrow(() -> new Problem(404, "Unknown SLO",
                "no SLO named '" + name + "' has been evaluated"));
    }

    /** The dashboard of the last read of the fleet, drawn once per read (at 1,000 SLOs it is 440 KB of HTML). */
    private Dashboard dashboard() {
        Policy policy = policy();
        FleetCache.Fleet read = fleet.get(policy);
        Dashboard d = drawn;
        if (d != null && d.of() == read && d.policy() == policy) {
            return d;
        }
        if (d != null && !drawing.tryLock()) {
            return d; // another request is drawing the new one
        }
        if (d == null) {
            drawing.lock();
        }
        try {
            String html = Pages.dashboard(overview(policy, read));
            d = new Dashboard(read, policy, html, "\"" + hash(html) + "\"");
            drawn = d;
            return d;
        } finally {
            drawing.unlock();
        }
    }

    private final java.util.concurrent.locks.ReentrantLock drawing = new java.util.concurrent.locks.ReentrantLock();

    private record Dashboard(FleetCache.Fleet of, Policy policy, String html, String etag) {
    }

    private volatile Dashboard drawn;

    /** Every budget's latest snapshot, lowest remaining budget first (no data last). */
    List<Snapshot> overview() {
        Policy policy = policy();
        return overview(policy, fleet.get(policy));
    }

    private List<Snapshot> overview(Policy policy, FleetCache.Fleet read) {
        List<Snapshot> all = new ArrayList<>(fresh(policy, read));
        all.sort(Comparator.comparing((Snapshot s) -> s.remainingFraction() == null ? Double.MAX_VALUE
                : s.remainingFraction()).thenComparing(Snapshot::name));
        return all;
    }

    private ArrayNode list(Map<String, String> query) {
        String service = query.get("service");
        String status = query.get("status");
        if (status != null) {
            try {
                BudgetStatus.valueOf(status);
            } catch (IllegalArgumentException e) {
                throw new Problem(400, "Bad parameter", "status must be one of "
                        + List.of(BudgetStatus.values()) + ", got '" + status + "'");
            }
        }
        ArrayNode out = JSON.createArrayNode();
        Policy policy = policy();
        FleetCache.Fleet read = fleet.get(policy);
        Map<String, Instant> confirmed = read.confirmed();
        for (Snapshot s : overview(policy, read)) {
            if ((service != null && !service.equals(s.service())) || (status != null && !status.equals(s.status().name()))) {
                continue;
            }
            ObjectNode n = out.addObject();
            n.put("name", s.name());
            n.put("service", s.service());
            n.put("status", s.status().name());
            n.put("statusReason", s.statusReason());
            if (s.target() == null) {
                n.putNull("target");
            } else {
                n.put("target", s.target());
            }
            putDouble(n, "sli", s.sli());
            putDouble(n, "remainingFraction", s.remainingFraction());
            putDouble(n, "burnRate1h", s.burnRates().get("1h"));
            putDouble(n, "burnRateWindow", s.burnRates().get("window"));
            ArrayNode firing = n.putArray("firing");
            s.alerts().stream().filter(Snapshot.TierResult::firing).forEach(a -> firing.add(a.tier().name()));
            // held back by the tier's alertAfter: the condition holds, the alert has not fired yet
            ArrayNode pending = n.putArray("pending");
            s.alerts().stream().filter(Snapshot.TierResult::pending).forEach(a -> pending.add(a.tier().name()));
            n.put("evaluatedAt", s.evaluatedAt().toString());
            // the last run that found it unchanged: what it shows still held then
            n.put("checkedAt", LatestSnapshots.checkedAt(s, confirmed.get(s.name())).toString());
            n.put("href", "/slos/" + s.name());
        }
        return out;
    }

    /** {@code from} and {@code to} of a read over time: 30 days to now unless given, at most {@link #MAX_HISTORY}. */
    private record Span(Instant from, Instant to) {
    }

    private Span span(Map<String, String> query) {
        Instant to = instant(query, "to", clock.instant());
        Instant from = instant(query, "from", to.minus(Duration.ofDays(30)));
        if (!from.isBefore(to)) {
            throw new Problem(400, "Bad parameter", "from (" + from + ") must be before to (" + to + ")");
        }
        if (Duration.between(from, to).compareTo(MAX_HISTORY) > 0) {
            throw new Problem(400, "Bad parameter", "from .. to spans more than " + MAX_HISTORY.toDays() + " days");
        }
        return new Span(from, to);
    }

    /** The incidents open at some time in [from, to), as stored: what the SLO page's timeline draws. */
    private ObjectNode incidents(String name, Map<String, String> query) {
        latest(name);
        Span span = span(query);
        ObjectNode out = JSON.createObjectNode();
        out.put("name", name);
        out.put("from", span.from().toString());
        out.put("to", span.to().toString());
        ArrayNode list = out.putArray("incidents");
        store.incidents(name, span.from(), span.to()).forEach(i -> list.add(IncidentJson.node(i)));
        return out;
    }

    private ObjectNode history(String name, Map<String, String> query) {
        latest(name);
        Span span = span(query);
        Instant from = span.from();
        Instant to = span.to();
        Duration step = step(query.getOrDefault("step", "1h"));
        long points = Duration.between(from, to).toMinutes() / Math.max(1, step.toMinutes());
        if (points > MAX_POINTS) {
            throw new Problem(400, "Bad parameter", "from .. to at step " + query.getOrDefault("step", "1h") + " gives "
                    + points + " points, more than " + MAX_POINTS + "; take a longer step");
        }
        ObjectNode out = JSON.createObjectNode();
        out.put("name", name);
        out.put("from", from.toString());
        out.put("to", to.toString());
        out.put("step", query.getOrDefault("step", "1h"));
        ArrayNode ps = out.putArray("points");
        for (Snapshot s : sampled(name, from, to, step)) {
            ObjectNode p = ps.addObject();
            p.put("at", s.evaluatedAt().toString());
            p.put("status", s.status().name());
            putDouble(p, "remainingFraction", s.remainingFraction());
            putDouble(p, "sli", s.sli());
            ObjectNode br = p.putObject("burnRates");
            s.burnRates().forEach((k, v) -> putDouble(br, k, v));
            ArrayNode firing = p.putArray("firing");
            s.alerts().stream().filter(Snapshot.TierResult::firing).forEach(a -> firing.add(a.tier().name()));
        }
        return out;
    }

    /** The last snapshot of each step in [from, to). */
    private List<Snapshot> sampled(String name, Instant from, Instant to, Duration step) {
        TreeMap<Long, SnapshotRecord> last = new TreeMap<>();
        long stepMillis = step.toMillis();
        for (SnapshotRecord r : store.snapshotHistory(name, from, to)) {
            last.put((r.evaluatedAt().toEpochMilli() - from.toEpochMilli()) / stepMillis, r);
        }
        return last.values().stream().map(r -> r.snapshot()).toList();
    }

    /** The newest audit entries a service page shows (30 days at most). */
    static final int AUDIT_SHOWN = 100;

    /** A service named in a path: a name as the SLOs give it, and one some evaluated SLO belongs to. */
    private static String serviceName(String raw) {
        if (!io.ebm.core.openslo.OpenSloLoader.validName(raw)) {
            throw new Problem(404, "Unknown service", "no service named '" + raw + "'");
        }
        return raw;
    }

    /** 404 unless some evaluated SLO belongs to {@code service}. */
    private static void known(String service, List<Snapshot> snapshots) {
        if (snapshots.stream().noneMatch(s -> s.service().equals(service))) {
            throw new Problem(404, "Unknown service", "no evaluated SLO belongs to service '" + service + "'");
        }
    }

    /** The service's deployment ledger: each deployment in force within its budgets' windows, and its cost. */
    private ObjectNode deployments(String service) {
        FleetCache.Fleet read = fleet.get(policy());
        List<io.ebm.core.slo.Slo> slos = read.slos();
        known(service, fresh(policy(), read));
        ObjectNode out = JSON.createObjectNode();
        out.put("service", service);
        out.put("at", clock.instant().toString());
        ArrayNode list = out.putArray("deployments");
        for (DeploymentLedgers.Row row : DeploymentLedgers.of(store, slos, policy(), service, clock.instant())) {
            ObjectNode d = DeploymentJson.node(row.deployment());
            ArrayNode budgets = d.putArray("budgets");
            row.budgets().forEach(e -> budgets.add(DeploymentJson.node(e)));
            list.add(d);
        }
        return out;
    }

    private String servicePage(String service, boolean showAuthors) {
        Policy policy = policy();
        FleetCache.Fleet read = fleet.get(policy);
        List<io.ebm.core.slo.Slo> slos = read.slos();
        List<Snapshot> all = fresh(policy, read);
        Gated gated = gated(service, null, showAuthors, policy, all);
        List<Snapshot> snapshots = all.stream().filter(s -> s.service().equals(service)).toList();
        List<String> active = new ArrayList<>();
        for (ReleaseOverride o : gated.decision().activeOverrides()) {
            active.add("override " + o.id() + " by " + (showAuthors ? o.author() : REDACTED)
                    + (o.stage() == null ? "" : " for " + o.stage()) + " until " + Human.time(o.expires()) + ": "
                    + o.reason());
        }
        List<io.ebm.core.store.TargetRecord> stages = store.targets("stage#").stream()
                .filter(t -> service.equals(t.service())).toList();
        Instant now = clock.instant();
        List<io.ebm.core.store.AuditEntry> audit = new ArrayList<>(store.audit(service, now.minus(Duration.ofDays(30)),
                now.plusSeconds(1)));
        java.util.Collections.reverse(audit);
        return Pages.service(service, snapshots, gated.page(), active, stages,
                audit.subList(0, Math.min(audit.size(), AUDIT_SHOWN)),
                DeploymentLedgers.of(store, slos, policy, service, now));
    }

    /** A gate's decision and its reasons as a caller may see them (authors redacted for callers without one). */
    private record Gated(GateDecision decision, List<String> reasons) {
        Pages.Gate page() {
            return new Pages.Gate(decision.verdict().name(), reasons);
        }
    }

    private Gated gated(String service, String stage, boolean showAuthors, Policy policy, List<Snapshot> snapshots) {
        known(service, snapshots);
        List<ReleaseOverride> all = overrides.weighed(policy, List.of(service));
        GateDecision g = PolicyEngine.gate(service, stage, snapshots, policy, all, clock.instant());
        List<String> reasons = new ArrayList<>();
        for (String reason : g.reasons()) {
            String shown = reason;
            for (ReleaseOverride o : showAuthors ? List.<ReleaseOverride>of() : g.activeOverrides()) {
                shown = shown.replace(o.author(), REDACTED); // a public gate names no one
            }
            reasons.add(shown);
        }
        return new Gated(g, reasons);
    }

    private ObjectNode gate(String service, String stage, boolean showAuthors) {
        Policy policy = policy();
        Gated g = gated(service, stage, showAuthors, policy, fresh(policy));
        ObjectNode n = JSON.createObjectNode();
        n.put("service", service);
        n.put("stage", stage);
        n.put("verdict", g.decision().verdict().name());
        ArrayNode reasons = n.putArray("reasons");
        g.reasons().forEach(reasons::add);
        ArrayNode os = n.putArray("overrides");
        g.decision().activeOverrides().forEach(o -> os.add(override(o, true, showAuthors)));
        return n;
    }

    private String badge(String name) {
        Snapshot s = freshSnapshot(name);
        Double remaining = s.remainingFraction();
        String value = (remaining == null ? "no data" : String.format(Locale.ROOT, "%.1f%%", remaining * 100)) + " "
                + s.status().name().toLowerCase(Locale.ROOT).replace('_', ' ');
        return Svg.badge("error budget", value, s.status().name());
    }

    private String view(String name, boolean showAuthors) {
        Snapshot s = freshSnapshot(name);
        Instant to = s.evaluatedAt().plusSeconds(1);
        Instant from = s.windowStart();
        // about 720 points: hourly over 30 days, so that an incident of an hour shows on the timeline
        long minutes = Math.max(1, Duration.between(from, to).toMinutes() / 720);
        Policy policy = policy();
        FleetCache.Fleet read = fleet.get(policy);
        List<io.ebm.core.slo.Slo> slos = read.slos();
        Gated gate = gated(s.service(), null, showAuthors, policy, fresh(policy, read));
        return Pages.slo(s, sampled(name, from, to, Duration.ofMinutes(minutes)), store.incidents(name, from, to),
                Ledger.landed(store.deployments(s.service(), from, to), to).stream()
                        .filter(d -> !d.landedAt().isBefore(from)).toList(), hours(name, from, to, slos), gate.page());
    }

    /** The budget's traffic and bad events per hour over [from, to), every component summed, from the counts. */
    private List<Pages.Hour> hours(String budget, Instant from, Instant to, List<io.ebm.core.slo.Slo> slos) {
        List<String> keys = new ArrayList<>();
        for (io.ebm.core.slo.Slo slo : slos) {
            for (io.ebm.core.budget.BudgetSpec spec : io.ebm.core.budget.BudgetSpec.of(slo, List.of())) {
                if (spec.name().equals(budget)) {
                    spec.components().forEach(c -> keys.add(c.dataKey()));
                }
            }
        }
        java.util.TreeMap<Long, long[]> byHour = new java.util.TreeMap<>();
        long fromMinute = Math.floorDiv(from.getEpochSecond(), 60);
        long toMinute = Math.floorDiv(to.getEpochSecond(), 60);
        for (String key : keys) {
            store.counts(key, fromMinute, toMinute).forEach((m, c) -> {
                long[] h = byHour.computeIfAbsent(Math.floorDiv(m, 60), x -> new long[2]);
                h[0] += c.total();
                h[1] += c.total() - c.good();
            });
        }
        List<Pages.Hour> out = new ArrayList<>();
        byHour.forEach((hour, h) -> out.add(new Pages.Hour(Instant.ofEpochSecond(hour * 3600), h[0], h[1])));
        return out;
    }

    // ---------------------------------------------------------------- overrides

    private ArrayNode listOverrides(String service, boolean showAuthors) {
        ArrayNode out = JSON.createArrayNode();
        for (Overrides.Listed l : overrides.list(service, clock.instant())) {
            out.add(override(l.override(), l.active(), showAuthors));
        }
        return out;
    }

    /** Whether the caller has an identity (IAM, or the local OS user): only then are authors shown. */
    private static boolean identified(HttpRequest req) {
        return req.caller() != null && !req.caller().isBlank();
    }

    private HttpResponse createOverride(HttpRequest req) {
        String caller = authorised(req);
        JsonNode body;
        try {
            body = JSON.readTree(req.body() == null ? "" : req.body());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new Problem(400, "Bad body", "expected a JSON object with service, expires and reason");
        }
        if (body == null || !body.isObject()) {
            throw new Problem(400, "Bad body", "expected a JSON object with service, expires and reason");
        }
        String service = text(body, "service");
        String reason = text(body, "reason");
        if (!io.ebm.core.openslo.OpenSloLoader.validName(service)) {
            throw new Problem(400, "Bad body", "service must be a service name as the SLOs name it (at most 63 "
                    + "lowercase letters, digits and '-'), got '" + clip(service) + "'");
        }
        if (reason.length() > MAX_REASON) {
            throw new Problem(400, "Bad body", "reason must be at most " + MAX_REASON + " characters, got "
                    + reason.length());
        }
        if (body.has("stage") && !body.get("stage").isNull()
                && (!body.get("stage").isTextual() || body.get("stage").asText().length() > MAX_NAME)) {
            throw new Problem(400, "Bad body", "stage must be a pipeline stage name of at most " + MAX_NAME + " characters");
        }
        Instant expires = bounded("Bad body", "expires", text(body, "expires"));
        if (!expires.isAfter(clock.instant())) {
            throw new Problem(400, "Bad body", "expires must be in the future, got " + expires);
        }
        ReleaseOverride o;
        try {
            o = overrides.create(service, body.hasNonNull("stage") ? body.get("stage").asText() : null, expires, reason,
                    caller, clock.instant(), policy().release().overrideMaxDuration());
        } catch (IllegalArgumentException e) {
            throw new Problem(400, "Bad body", e.getMessage());
        }
        return new HttpResponse(201, Map.of("Content-Type", "application/json", "Cache-Control", "no-store",
                "Location", "/overrides/" + o.id()), override(o, true, true).toString());
    }

    private HttpResponse revokeOverride(HttpRequest req, String id) {
        String caller = authorised(req);
        String service = required(req.query(), "service");
        if (!overrides.revoke(service, id, caller, clock.instant())) {
            throw new Problem(404, "Unknown override", "no active override " + id + " for service " + service);
        }
        return new HttpResponse(204, Map.of("Cache-Control", "no-store"), "");
    }

    /** Writes need a caller that API Gateway authenticated (IAM); the function checks it is there. */
    private static String authorised(HttpRequest req) {
        if (req.caller() == null || req.caller().isBlank()) {
            throw new Problem(403, "Forbidden", "writing overrides needs an IAM-authenticated caller");
        }
        return req.caller();
    }

    private static ObjectNode override(ReleaseOverride o, boolean active, boolean showAuthor) {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", o.id());
        n.put("service", o.service());
        n.put("stage", o.stage());
        n.put("expires", o.expires().toString());
        n.put("reason", o.reason());
        n.put("author", showAuthor ? o.author() : REDACTED);
        n.put("active", active);
        return n;
    }

    // ---------------------------------------------------------------- helpers

    private static void only(String method, String allowed) {
        if (!method.equals(allowed)) {
            throw notAllowed(allowed);
        }
    }

    private static Problem notAllowed(String allowed) {
        return new Problem(405, "Method not allowed", "allowed: " + allowed, Map.of("Allow", allowed));
    }

    private static String required(Map<String, String> query, String name) {
        String v = query.get(name);
        if (v == null || v.isBlank()) {
            throw new Problem(400, "Bad parameter", "query parameter " + name + " is required");
        }
        return v;
    }

    private static String text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new Problem(400, "Bad body", "field " + field + " is required (a string)");
        }
        return v.asText();
    }

    private static Instant instant(Map<String, String> query, String name, Instant fallback) {
        String v = query.get(name);
        if (v == null) {
            return fallback;
        }
        return bounded("Bad parameter", name, v);
    }

    /** An ISO-8601 instant between {@link #EARLIEST} and {@link #LATEST}, or a 400 naming the field. */
    private static Instant bounded(String title, String name, String v) {
        Instant t;
        try {
            t = Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw new Problem(400, title, name + " must be an ISO-8601 instant, got '" + clip(v) + "'");
        }
        if (t.isBefore(EARLIEST) || t.isAfter(LATEST)) {
            throw new Problem(400, title, name + " must lie between " + EARLIEST + " and " + LATEST + ", got " + t);
        }
        return t;
    }

    /** A caller's text echoed in a problem document, cut short. */
    private static String clip(String v) {
        return v.length() <= 80 ? v : v.substring(0, 80) + "…";
    }

    private static Duration step(String text) {
        DurationShorthand d = DurationShorthand.parseOrNull(text);
        if (d == null || d.isCalendar()) {
            throw new Problem(400, "Bad parameter", "step must be a duration such as 5m, 1h or 1d, got '" + text + "'");
        }
        return d.toDuration();
    }

    private static void putDouble(ObjectNode n, String key, Double v) {
        if (v == null) {
            n.putNull(key);
        } else {
            n.put(key, v);
        }
    }

    /** A read: ETag of the body, Cache-Control, and 304 when the client has it already. */
    private static HttpResponse read(HttpRequest req, String type, String body) {
        return read(req, type, body, "\"" + hash(body) + "\"");
    }

    private static HttpResponse read(HttpRequest req, String type, String body, String etag) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", type);
        headers.put("ETag", etag);
        headers.put("Cache-Control", "public, max-age=30");
        if (etag.equals(req.header("if-none-match"))) {
            return new HttpResponse(304, headers, "");
        }
        return new HttpResponse(200, headers, body);
    }

    private static HttpResponse noStore(int status, String type, String body) {
        return new HttpResponse(status, Map.of("Content-Type", type, "Cache-Control", "no-store"), body);
    }

    static String hash(String body) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A problem document for an edge that rejects a request before it reaches the routes (a malformed event). */
    public static HttpResponse problem(int status, String title, String detail, String instance) {
        return problem(status, title, detail, instance, Map.of());
    }

    private static HttpResponse problem(int status, String title, String detail, String instance,
                                        Map<String, String> extra) {
        ObjectNode p = JSON.createObjectNode();
        p.put("type", "about:blank");
        p.put("title", title);
        p.put("status", status);
        p.put("detail", detail);
        p.put("instance", instance);
        Map<String, String> headers = new LinkedHashMap<>(extra);
        headers.put("Content-Type", "application/problem+json");
        headers.put("Cache-Control", "no-store");
        return new HttpResponse(status, headers, p.toString());
    }

}
