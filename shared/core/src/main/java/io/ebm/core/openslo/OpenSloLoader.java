package io.ebm.core.openslo;

import com.fasterxml.jackson.databind.JsonNode;
import io.ebm.core.alert.AlertTier;
import io.ebm.core.alert.Comparison;
import io.ebm.core.slo.BudgetingMethod;
import io.ebm.core.slo.CalendarWindow;
import io.ebm.core.slo.CloudWatchMetric;
import io.ebm.core.slo.DurationShorthand;
import io.ebm.core.slo.Indicator;
import io.ebm.core.slo.MetricSource;
import io.ebm.core.slo.Objective;
import io.ebm.core.slo.RollingWindow;
import io.ebm.core.slo.Slo;
import io.ebm.core.slo.TimeWindow;
import io.ebm.core.yaml.DefinitionException;
import io.ebm.core.yaml.Fields;
import io.ebm.core.yaml.Problem;
import io.ebm.core.yaml.Yaml;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Loads OpenSLO v1 documents (Service, SLI, SLO, AlertPolicy, AlertCondition, DataSource,
 * AlertNotificationTarget) from a file or a directory. Every problem is collected with its file, document and
 * field path; if there is any, nothing is returned.
 */
public final class OpenSloLoader {

    public static final String API_VERSION = "openslo/v1";
    static final Set<String> KINDS = Set.of("Service", "SLI", "SLO", "AlertPolicy", "AlertCondition", "DataSource",
            "AlertNotificationTarget");
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern STATISTIC = Pattern.compile(
            "SampleCount|Average|Sum|Minimum|Maximum|IQM"
                    + "|(p|tm|wm|tc|ts)(100|[0-9]{1,2})(\\.[0-9]+)?"
                    + "|(TM|WM|TC|TS|PR)\\(([0-9.]*%?)?:([0-9.]*%?)?\\)");
    private static final DateTimeFormatter START_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final Set<String> SLO_FIELDS = Set.of("description", "service", "indicator", "indicatorRef",
            "timeWindow", "budgetingMethod", "objectives", "alertPolicies");
    private static final Set<String> OBJECTIVE_FIELDS = Set.of("name", "displayName", "op", "value", "target",
            "targetPercent", "timeSliceTarget", "timeSliceWindow", "indicator", "indicatorRef", "compositeWeight");
    private static final Set<String> OPS = Set.of("lte", "gte", "lt", "gt");
    /** When an SLO names no window, the Workbook's general-purpose choice: four weeks, rolling. */
    static final DurationShorthand DEFAULT_WINDOW = DurationShorthand.parse("28d");

    private final List<Problem> problems = new ArrayList<>();
    private final List<Problem> warnings = new ArrayList<>();
    private final Map<String, Map<String, Raw>> byKind = new HashMap<>();
    private final Map<String, Map<String, Integer>> countsByFile = new LinkedHashMap<>();
    private final boolean allowExternalRefs;
    /** References left to files not given (with {@code allowExternalRefs}), counted so an SLO knows it has one. */
    private int externalRefs;

    /** A document waiting to be resolved; {@code where} reads {@code document 2} or {@code document 1 item 3}. */
    private record Raw(String file, String where, String kind, String name, JsonNode node) {
        String label() {
            return where + " (" + kind + " " + name + ")";
        }
    }

    private OpenSloLoader(boolean allowExternalRefs) {
        this.allowExternalRefs = allowExternalRefs;
    }

    /** Loads every .yaml/.yml/.json file under {@code fileOrDir}. */
    public static SloDefinitions load(Path fileOrDir) {
        return load(List.of(fileOrDir));
    }

    public static SloDefinitions load(List<Path> paths) {
        return load(paths, false);
    }

    /**
     * {@code allowExternalRefs}: a reference to an object no given file defines (an SLI, DataSource, AlertPolicy,
     * AlertCondition or AlertNotificationTarget kept elsewhere in a repository) is a warning, not a problem, and
     * the SLO holding it is checked but not returned (it cannot be evaluated without it).
     */
    public static SloDefinitions load(List<Path> paths, boolean allowExternalRefs) {
        OpenSloLoader loader = new OpenSloLoader(allowExternalRefs);
        for (Path p : paths) {
            for (Path file : Yaml.files(p, loader.problems)) {
                loader.register(file.toString(), Yaml.documents(file, loader.problems));
            }
        }
        return loader.finish();
    }

    /** Loads definitions held as texts (for example in the store), each named like a file. */
    public static SloDefinitions loadTexts(Map<String, String> textsByName) {
        OpenSloLoader loader = new OpenSloLoader(false);
        textsByName.forEach((name, text) -> loader.register(name, Yaml.documents(name, text, loader.problems)));
        return loader.finish();
    }

    private SloDefinitions finish() {
        List<Slo> slos = resolve();
        if (!problems.isEmpty()) {
            throw new DefinitionException(problems);
        }
        return new SloDefinitions(slos, countsByFile, warnings);
    }

    /**
     * A reference to an object of {@code kind} that no loaded file defines: a problem, or with
     * {@code allowExternalRefs} a warning.
     */
    private void unresolved(Fields f, String path, String kind, String name) {
        if (allowExternalRefs) {
            externalRefs++;
            warnings.add(new Problem(f.file(), f.document(), path, "no " + kind + " named '" + name
                    + "' in the files given; taken to be defined elsewhere"));
        } else {
            f.problem(path, "no " + kind + " named '" + name + "' is defined (when validating part of a "
                    + "repository, --allow-external-refs reports this as a warning)");
        }
    }

    private void register(String file, List<Yaml.Document> docs) {
        Map<String, Integer> counts = countsByFile.computeIfAbsent(file, f -> new TreeMap<>());
        for (Yaml.Document d : docs) {
            if (d.node().isArray()) {
                // a list of objects in one document, as the reference decoder reads it
                for (int i = 0; i < d.node().size(); i++) {
                    registerOne(d.file(), "document " + d.index() + " item " + (i + 1), d.node().get(i), counts);
                }
            } else {
                registerOne(d.file(), "document " + d.index(), d.node(), counts);
            }
        }
    }

    private void registerOne(String file, String where, JsonNode n, Map<String, Integer> counts) {
        Fields f = new Fields(file, where, problems);
        if (!n.isObject()) {
            f.problem("", "expected a mapping with apiVersion, kind, metadata and spec, got " + Fields.describe(n));
            return;
        }
        f.onlyKnown(n, "", Set.of("apiVersion", "kind", "metadata", "spec"));
        String apiVersion = f.text(n, "", "apiVersion", true);
        String kind = f.text(n, "", "kind", true);
        JsonNode metadata = f.object(n, "", "metadata", true);
        String name = metadata == null ? null : f.text(metadata, "metadata", "name", true);
        if (apiVersion != null && !API_VERSION.equals(apiVersion)) {
            f.problem("apiVersion", "expected '" + API_VERSION + "', got '" + apiVersion + "'");
        }
        if (kind != null && !KINDS.contains(kind)) {
            f.problem("kind", "unknown kind '" + kind + "'; expected one of " + new java.util.TreeSet<>(KINDS));
            kind = null;
        }
        if (name != null && !validName(name)) {
            f.problem("metadata.name", "expected at most 63 lowercase letters, digits or '-', starting and "
                    + "ending with a letter or digit, got '" + name + "'");
        }
        if (metadata != null) {
            metadata(f, metadata, "metadata");
        }
        if (kind == null || name == null || apiVersion == null || !API_VERSION.equals(apiVersion)) {
            return;
        }
        // a Service's spec holds only a description: the reference accepts one without it
        JsonNode spec = f.object(n, "", "spec", !"Service".equals(kind));
        f.setDocument(where + " (" + kind + " " + name + ")");
        kindSpec(f, kind, spec);
        counts.merge(kind, 1, Integer::sum);
        Raw raw = new Raw(file, where, kind, name, n);
        Raw earlier = byKind.computeIfAbsent(kind, k -> new LinkedHashMap<>()).putIfAbsent(name, raw);
        if (earlier != null) {
            new Fields(file, raw.label(), problems).problem("metadata.name", "duplicate " + kind + " name '"
                    + name + "'; first defined in " + earlier.file() + " " + earlier.label()
                    + " (names are unique per kind across the files loaded together: budgets, snapshots and "
                    + "alerts are kept by name)");
        }
    }

    private static final Set<String> METADATA_FIELDS = Set.of("name", "displayName", "labels", "annotations");
    /** A Kubernetes-style key: an optional DNS prefix and '/', then up to 63 characters of [A-Za-z0-9._-]. */
    private static final Pattern KEY = Pattern.compile(
            "([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
    static final int MAX_DESCRIPTION = 1050;

    /** metadata: known fields only; label and annotation keys in Kubernetes syntax; label values strings or lists. */
    private void metadata(Fields f, JsonNode md, String path) {
        f.onlyKnown(md, path, METADATA_FIELDS);
        f.text(md, path, "displayName", false);
        JsonNode labels = f.object(md, path, "labels", false);
        if (labels != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = labels.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String lp = Fields.path(Fields.path(path, "labels"), e.getKey());
                checkKey(f, lp, e.getKey(), "label");
                JsonNode v = e.getValue();
                boolean ok = v.isTextual() || (v.isArray() && f.elements(v).stream().allMatch(JsonNode::isTextual));
                if (!ok) {
                    f.problem(lp, "expected a label value: a string or a list of strings, got " + Fields.describe(v));
                }
            }
        }
        JsonNode annotations = f.object(md, path, "annotations", false);
        if (annotations != null) {
            for (Iterator<String> it = annotations.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                checkKey(f, Fields.path(Fields.path(path, "annotations"), k), k, "annotation");
            }
        }
    }

    private void checkKey(Fields f, String path, String key, String what) {
        int slash = key.indexOf('/');
        boolean prefixTooLong = slash > 253;
        if (prefixTooLong || !KEY.matcher(key).matches()) {
            f.problem(path, "expected " + what + " key like app or example.com/tier ([prefix/]name: a name of at "
                    + "most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit), got '"
                    + key + "'");
        }
    }

    private static void description(Fields f, JsonNode spec, String path) {
        String d = f.text(spec, path, "description", false);
        if (d != null && d.length() > MAX_DESCRIPTION) {
            f.problem(Fields.path(path, "description"), "expected at most " + MAX_DESCRIPTION
                    + " characters (the OpenSLO limit), got " + d.length());
        }
    }

    /** The specs of the kinds no SLO reads field by field: known fields and their required ones. */
    private void kindSpec(Fields f, String kind, JsonNode spec) {
        if (spec == null) {
            return;
        }
        switch (kind) {
            case "Service" -> {
                f.onlyKnown(spec, "spec", Set.of("description"));
                description(f, spec, "spec");
            }
            case "DataSource" -> {
                f.onlyKnown(spec, "spec", Set.of("description", "type", "connectionDetails"));
                description(f, spec, "spec");
                f.text(spec, "spec", "type", true);
                f.object(spec, "spec", "connectionDetails", true);
            }
            case "AlertNotificationTarget" -> targetSpec(f, spec, "spec");
            default -> {
                // SLI, SLO, AlertPolicy and AlertCondition specs are read field by field where they are resolved
            }
        }
    }

    private void targetSpec(Fields f, JsonNode spec, String path) {
        f.onlyKnown(spec, path, Set.of("description", "target"));
        description(f, spec, path);
        f.text(spec, path, "target", true);
    }

    /** A name as {@code metadata.name} takes it, and services and objectives too: at most 63 of a-z, 0-9 and '-'. */
    public static boolean validName(String name) {
        return name.length() <= 63 && NAME.matcher(name).matches();
    }

    private Map<String, Raw> all(String kind) {
        return byKind.getOrDefault(kind, Map.of());
    }

    private List<Slo> resolve() {
        Map<String, Indicator> slis = new HashMap<>();
        for (Raw sli : all("SLI").values()) {
            Fields f = new Fields(sli.file(), sli.label(), problems);
            JsonNode spec = sli.node().get("spec");
            if (spec != null && spec.isObject()) {
                Indicator ind = indicator(f, sli.name(), displayName(sli.node()), spec, "spec");
                if (ind != null) {
                    slis.put(sli.name(), ind);
                }
            }
        }
        Map<String, ConditionDef> conditions = new HashMap<>();
        for (Raw c : all("AlertCondition").values()) {
            Fields f = new Fields(c.file(), c.label(), problems);
            ConditionDef def = condition(f, c.name(), c.node().get("spec"), "spec");
            if (def != null) {
                conditions.put(c.name(), def);
            }
        }
        Map<String, PolicyDef> policies = new HashMap<>();
        for (Raw p : all("AlertPolicy").values()) {
            Fields f = new Fields(p.file(), p.label(), problems);
            PolicyDef def = alertPolicy(f, p.node().get("spec"), "spec", conditions);
            if (def != null) {
                policies.put(p.name(), def);
            }
        }
        List<Slo> slos = new ArrayList<>();
        for (Raw s : all("SLO").values()) {
            Fields f = new Fields(s.file(), s.label(), problems);
            JsonNode spec = s.node().get("spec");
            if (spec != null && spec.isObject()) {
                Slo slo = slo(f, s, spec, slis, conditions, policies);
                if (slo != null) {
                    slos.add(slo);
                }
            }
        }
        return slos;
    }

    // ---------------------------------------------------------------- SLO

    private Slo slo(Fields f, Raw raw, JsonNode spec, Map<String, Indicator> slis,
                    Map<String, ConditionDef> conditions, Map<String, PolicyDef> policies) {
        int before = problems.size();
        int externalBefore = externalRefs;
        f.onlyKnown(spec, "spec", SLO_FIELDS);
        description(f, spec, "spec");
        String description = f.text(spec, "spec", "description", false);
        String service = f.text(spec, "spec", "service", true);
        if (service != null && !validName(service)) {
            f.problem("spec.service", "expected a service name like metadata.name (at most 63 lowercase letters, "
                    + "digits or '-', starting and ending with a letter or digit), got '" + service + "'");
        }
        Indicator indicator = indicatorOrRef(f, spec, "spec", slis, false);
        TimeWindow window = timeWindow(f, spec);
        BudgetingMethod method = null;
        String methodName = f.text(spec, "spec", "budgetingMethod", true);
        if (methodName != null) {
            method = BudgetingMethod.fromOpenSlo(methodName);
            if (method == null) {
                f.problem("spec.budgetingMethod", "unknown budgeting method '" + methodName
                        + "'; expected Occurrences, Timeslices or RatioTimeslices");
            }
        }
        List<Objective> objectives = objectives(f, spec, method, window, indicator, slis);
        List<AlertTier> tiers = new ArrayList<>();
        boolean alertWhenNoData = false;
        JsonNode aps = f.array(spec, "spec", "alertPolicies", false);
        List<JsonNode> apList = f.elements(aps);
        for (int i = 0; i < apList.size(); i++) {
            String p = Fields.index("spec.alertPolicies", i);
            JsonNode ap = apList.get(i);
            PolicyDef def = null;
            Entry entry = entry(f, ap, p, "alertPolicyRef", "AlertPolicy");
            if (entry == Entry.REF) {
                String ref = f.text(ap, p, "alertPolicyRef", true);
                if (ref != null) {
                    def = policies.get(ref);
                    if (def == null && !all("AlertPolicy").containsKey(ref)) {
                        unresolved(f, Fields.path(p, "alertPolicyRef"), "AlertPolicy", ref);
                    }
                }
            } else if (entry == Entry.INLINE) {
                def = alertPolicy(f, ap.get("spec"), Fields.path(p, "spec"), conditions);
            }
            if (def != null) {
                tiers.addAll(def.tiers());
                alertWhenNoData |= def.alertWhenNoData();
            }
        }
        if (objectives != null && !objectives.isEmpty() && indicator == null
                && objectives.stream().anyMatch(o -> o.indicator() == null)) {
            if (!spec.has("indicator") && !spec.has("indicatorRef")) {
                f.problem("spec", "expected indicator or indicatorRef (or an indicator on every objective)");
            }
        }
        if (problems.size() > before || service == null || window == null || method == null || objectives == null
                || externalRefs > externalBefore) {
            return null;
        }
        return new Slo(raw.name(), displayName(raw.node()), description, service, indicator, window, method,
                objectives, tiers, alertWhenNoData, annotations(f, raw.node()), raw.file());
    }

    private Map<String, String> annotations(Fields f, JsonNode doc) {
        JsonNode a = f.object(doc.get("metadata"), "metadata", "annotations", false);
        Map<String, String> out = new LinkedHashMap<>();
        if (a != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = a.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isValueNode()) {
                    f.problem("metadata.annotations." + e.getKey(), "expected a string value");
                } else if ("runbook".equals(e.getKey()) && !io.ebm.core.slo.WebLink.isValid(e.getValue().asText())) {
                    // copied into notices and pages as a link: only a web address may go there
                    f.problem("metadata.annotations.runbook", "expected an https:// (or http://) address, got '"
                            + e.getValue().asText() + "'");
                } else {
                    out.put(e.getKey(), e.getValue().asText());
                }
            }
        }
        return out;
    }

    private static String displayName(JsonNode doc) {
        JsonNode d = doc.path("metadata").path("displayName");
        return d.isTextual() ? d.asText() : null;
    }

    private Indicator indicatorOrRef(Fields f, JsonNode owner, String path, Map<String, Indicator> slis,
                                     boolean required) {
        boolean inline = owner.has("indicator");
        boolean ref = owner.has("indicatorRef");
        if (inline && ref) {
            f.problem(Fields.path(path, "indicator"), "give either indicator or indicatorRef, not both");
            return null;
        }
        if (ref) {
            String name = f.text(owner, path, "indicatorRef", true);
            if (name == null) {
                return null;
            }
            Indicator ind = slis.get(name);
            if (ind == null && !all("SLI").containsKey(name)) {
                unresolved(f, Fields.path(path, "indicatorRef"), "SLI", name);
            }
            return ind;
        }
        if (inline) {
            String p = Fields.path(path, "indicator");
            JsonNode node = f.object(owner, path, "indicator", true);
            if (node == null) {
                return null;
            }
            f.onlyKnown(node, p, Set.of("metadata", "spec", "apiVersion", "kind"));
            JsonNode md = f.object(node, p, "metadata", true);
            if (md != null) {
                metadata(f, md, Fields.path(p, "metadata"));
            }
            String name = md == null ? null : f.text(md, Fields.path(p, "metadata"), "name", true);
            if (name != null && !validName(name)) {
                f.problem(Fields.path(p, "metadata.name"), "expected at most 63 lowercase letters, digits or '-', got '"
                        + name + "'");
            }
            JsonNode spec = f.object(node, p, "spec", true);
            if (spec == null || name == null) {
                return null;
            }
            String dn = md.path("displayName").isTextual() ? md.get("displayName").asText() : null;
            return indicator(f, name, dn, spec, Fields.path(p, "spec"));
        }
        if (required) {
            f.problem(path, "expected indicator or indicatorRef");
        }
        return null;
    }

    private TimeWindow timeWindow(Fields f, JsonNode spec) {
        JsonNode list = f.array(spec, "spec", "timeWindow", false);
        if (list == null) {
            return spec.has("timeWindow") ? null : new RollingWindow(DEFAULT_WINDOW);
        }
        if (list.size() != 1) {
            f.problem("spec.timeWindow", "expected exactly one time window, got " + list.size());
            return null;
        }
        String p = "spec.timeWindow[0]";
        JsonNode w = list.get(0);
        if (!w.isObject()) {
            f.problem(p, "expected a mapping with duration and isRolling or calendar");
            return null;
        }
        f.onlyKnown(w, p, Set.of("duration", "isRolling", "calendar"));
        DurationShorthand duration = f.duration(w, p, "duration", true, false);
        Boolean rolling = f.bool(w, p, "isRolling", false);
        JsonNode calendar = f.object(w, p, "calendar", false);
        if (duration == null || (w.has("isRolling") && rolling == null) || (w.has("calendar") && calendar == null)) {
            return null;
        }
        if (calendar == null) {
            if (!Boolean.TRUE.equals(rolling)) {
                f.problem(p, "expected isRolling: true, or a calendar with startTime and timeZone");
                return null;
            }
            if (duration.isCalendar()) {
                f.problem(Fields.path(p, "duration"), "a rolling window needs a fixed length in m, h, d or w; "
                        + "got " + duration + " (months, quarters and years need a calendar)");
                return null;
            }
            return new RollingWindow(duration);
        }
        if (Boolean.TRUE.equals(rolling)) {
            f.problem(Fields.path(p, "isRolling"), "a window with a calendar is not rolling: expected false or nothing");
            return null;
        }
        String cp = Fields.path(p, "calendar");
        String start = f.text(calendar, cp, "startTime", true);
        String zone = f.text(calendar, cp, "timeZone", true);
        LocalDateTime startTime = null;
        ZoneId zoneId = null;
        if (start != null) {
            try {
                startTime = LocalDateTime.parse(start, START_TIME);
            } catch (DateTimeParseException e) {
                f.problem(Fields.path(cp, "startTime"), "expected a date and time like 2020-01-21 12:30:00 "
                        + "(no zone), got '" + start + "'");
            }
        }
        if (zone != null) {
            try {
                zoneId = ZoneId.of(zone);
                if (!(zoneId.getId().contains("/") || "UTC".equals(zoneId.getId()))) {
                    throw new DateTimeException("not a region id");
                }
            } catch (DateTimeException e) {
                f.problem(Fields.path(cp, "timeZone"), "expected an IANA time zone such as Europe/Paris or UTC, got '"
                        + zone + "'");
                zoneId = null;
            }
        }
        if (startTime == null || zoneId == null) {
            return null;
        }
        return new CalendarWindow(duration, startTime, zoneId);
    }

    private List<Objective> objectives(Fields f, JsonNode spec, BudgetingMethod method, TimeWindow window,
                                       Indicator sloIndicator, Map<String, Indicator> slis) {
        JsonNode list = f.array(spec, "spec", "objectives", true);
        if (list == null) {
            return null;
        }
        if (list.isEmpty()) {
            f.problem("spec.objectives", "expected at least one objective");
            return null;
        }
        List<Objective> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        int weighted = 0;
        for (int i = 0; i < list.size(); i++) {
            String p = Fields.index("spec.objectives", i);
            JsonNode o = list.get(i);
            if (!o.isObject()) {
                f.problem(p, "expected a mapping with target or targetPercent");
                continue;
            }
            f.onlyKnown(o, p, OBJECTIVE_FIELDS);
            String displayName = f.text(o, p, "displayName", false);
            String name = f.text(o, p, "name", false);
            if (name == null) {
                name = displayName != null ? slug(displayName) : "objective-" + (i + 1);
            } else if (!validName(name)) {
                f.problem(Fields.path(p, "name"), "expected an objective name like metadata.name (at most 63 "
                        + "lowercase letters, digits or '-'), got '" + name + "': budgets are filed and served under "
                        + "slo/objective");
            }
            if (RESERVED_OBJECTIVE_NAMES.contains(name)) {
                f.problem(Fields.path(p, o.has("name") ? "name" : "displayName"), "'" + name + "' names a route of "
                        + "the status API (/slos/{slo}/" + name + "): choose another objective name");
            }
            if (!names.add(name)) {
                f.problem(Fields.path(p, "name"), "duplicate objective name '" + name + "' in this SLO");
            }
            BigDecimal target = target(f, o, p);
            String op = f.text(o, p, "op", false);
            if (op != null && !OPS.contains(op)) {
                f.problem(Fields.path(p, "op"), "expected one of lte, gte, lt, gt, got '" + op + "'");
            }
            BigDecimal value = f.decimal(o, p, "value", false);
            BigDecimal sliceTarget = f.decimal(o, p, "timeSliceTarget", false);
            DurationShorthand sliceWindow = f.duration(o, p, "timeSliceWindow", false, true);
            if (method == BudgetingMethod.TIMESLICES && sliceTarget == null && !o.has("timeSliceTarget")) {
                f.problem(Fields.path(p, "timeSliceTarget"), "required with budgetingMethod Timeslices: a number in (0, 1]");
            }
            if (sliceTarget != null && (sliceTarget.signum() <= 0 || sliceTarget.compareTo(BigDecimal.ONE) > 0)) {
                f.problem(Fields.path(p, "timeSliceTarget"), "expected a number in (0, 1], got "
                        + sliceTarget.toPlainString());
            }
            if (method != null && method.isSliced()) {
                if (sliceWindow == null && !o.has("timeSliceWindow")) {
                    f.problem(Fields.path(p, "timeSliceWindow"), "required with budgetingMethod "
                            + method.openSloName() + ": a duration such as 1m or 5m");
                } else if (sliceWindow != null && sliceWindow.isCalendar()) {
                    f.problem(Fields.path(p, "timeSliceWindow"), "expected a fixed length in m, h, d or w, got "
                            + sliceWindow);
                    sliceWindow = null;
                } else if (sliceWindow != null && window instanceof RollingWindow r
                        && sliceWindow.toMinutes() > r.minutes()) {
                    f.problem(Fields.path(p, "timeSliceWindow"), "a slice of " + sliceWindow
                            + " is longer than the SLO window " + r.duration());
                }
            }
            Indicator own = null;
            if (o.has("indicator") || o.has("indicatorRef")) {
                own = indicatorOrRef(f, o, p, slis, false);
            }
            BigDecimal weight = f.decimal(o, p, "compositeWeight", false);
            if (o.has("compositeWeight")) {
                weighted++;
                if (weight != null && weight.signum() <= 0) {
                    f.problem(Fields.path(p, "compositeWeight"), "expected a number greater than 0, got "
                            + weight.toPlainString());
                }
            }
            Indicator effective = own != null ? own : sloIndicator;
            if (effective != null && effective.kind() == Indicator.Kind.THRESHOLD) {
                if (op == null && !o.has("op")) {
                    f.problem(Fields.path(p, "op"), "required with a thresholdMetric SLI: one of lte, gte, lt, gt");
                }
                if (value == null && !o.has("value")) {
                    f.problem(Fields.path(p, "value"), "required with a thresholdMetric SLI: a number");
                }
            }
            out.add(new Objective(name, displayName, target, op, value, sliceTarget, sliceWindow, own, weight));
        }
        // a composite: weights given, or every objective brings its own indicator and the SLO none
        boolean composite = weighted > 0 || (!spec.has("indicator") && !spec.has("indicatorRef") && list.size() > 1
                && allHaveOwnIndicator(list));
        if (composite) {
            // OpenSLO's default compositeWeight is 1
            List<Objective> weightedOut = new ArrayList<>();
            for (Objective o : out) {
                weightedOut.add(o.compositeWeight() != null ? o : new Objective(o.name(), o.displayName(), o.target(),
                        o.op(), o.value(), o.timeSliceTarget(), o.timeSliceWindow(), o.indicator(), BigDecimal.ONE));
            }
            out = weightedOut;
        }
        if (composite && out.stream().map(Objective::timeSliceWindow).distinct().count() > 1) {
            f.problem("spec.objectives", "the objectives of a composite SLO must share one timeSliceWindow");
        }
        if (sloIndicator != null && sloIndicator.kind() == Indicator.Kind.THRESHOLD && !composite && list.size() > 1) {
            f.problem("spec.objectives", "an SLO with a thresholdMetric SLI takes exactly one objective, got "
                    + list.size());
        }
        return out;
    }

    private static boolean allHaveOwnIndicator(JsonNode objectives) {
        for (JsonNode o : objectives) {
            if (!o.has("indicator") && !o.has("indicatorRef")) {
                return false;
            }
        }
        return true;
    }

    private BigDecimal target(Fields f, JsonNode o, String p) {
        boolean hasTarget = o.has("target");
        boolean hasPercent = o.has("targetPercent");
        if (hasTarget && hasPercent) {
            f.problem(Fields.path(p, "target"), "give either target or targetPercent, not both");
            return null;
        }
        if (!hasTarget && !hasPercent) {
            f.problem(Fields.path(p, "target"), "required: target in [0, 1) or targetPercent in [0, 100)");
            return null;
        }
        if (hasTarget) {
            BigDecimal t = f.decimal(o, p, "target", true);
            if (t == null) {
                return null;
            }
            if (t.compareTo(BigDecimal.ONE) >= 0) {
                f.problem(Fields.path(p, "target"), "expected a number in [0, 1), got " + t.toPlainString()
                        + (t.compareTo(BigDecimal.ONE) == 0 ? ": a 100% target leaves no error budget"
                        : t.compareTo(BigDecimal.valueOf(100)) < 0 ? " (a percentage belongs in targetPercent)" : ""));
                return null;
            }
            if (t.signum() < 0) {
                f.problem(Fields.path(p, "target"), "expected a number in [0, 1), got " + t.toPlainString());
                return null;
            }
            return t;
        }
        BigDecimal pct = f.decimal(o, p, "targetPercent", true);
        if (pct == null) {
            return null;
        }
        if (pct.signum() < 0 || pct.compareTo(BigDecimal.valueOf(100)) >= 0) {
            f.problem(Fields.path(p, "targetPercent"), "expected a number in [0, 100), got " + pct.toPlainString()
                    + (pct.compareTo(BigDecimal.valueOf(100)) == 0 ? ": a 100% target leaves no error budget" : ""));
            return null;
        }
        return pct.movePointLeft(2);
    }

    /** Objective names that would collide with the status API's routes under /slos/{slo}/. */
    static final Set<String> RESERVED_OBJECTIVE_NAMES = Set.of("view", "history", "incidents");

    static String slug(String text) {
        String s = text.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (s.length() > 63) {
            s = s.substring(0, 63).replaceAll("-+$", "");
        }
        return s.isEmpty() ? "objective" : s;
    }

    // ---------------------------------------------------------------- SLI and metric sources

    private Indicator indicator(Fields f, String name, String displayName, JsonNode spec, String path) {
        f.onlyKnown(spec, path, Set.of("description", "ratioMetric", "thresholdMetric"));
        description(f, spec, path);
        boolean ratio = spec.has("ratioMetric");
        boolean threshold = spec.has("thresholdMetric");
        if (ratio == threshold) {
            f.problem(path, "expected exactly one of ratioMetric or thresholdMetric");
            return null;
        }
        if (threshold) {
            String p = Fields.path(path, "thresholdMetric");
            JsonNode t = f.object(spec, path, "thresholdMetric", true);
            MetricSource src = t == null ? null : metric(f, t, p);
            return src == null ? null
                    : new Indicator(name, displayName, Indicator.Kind.THRESHOLD, null, null, null, null, null, src);
        }
        String p = Fields.path(path, "ratioMetric");
        JsonNode r = f.object(spec, path, "ratioMetric", true);
        if (r == null) {
            return null;
        }
        f.onlyKnown(r, p, Set.of("counter", "good", "bad", "total", "raw", "rawType"));
        f.bool(r, p, "counter", false);
        if (r.has("raw")) {
            if (r.has("good") || r.has("bad") || r.has("total")) {
                f.problem(Fields.path(p, "raw"), "raw cannot be combined with good, bad or total");
                return null;
            }
            String rawType = f.text(r, p, "rawType", true);
            Indicator.RawType type = null;
            if (rawType != null) {
                if ("success".equals(rawType)) {
                    type = Indicator.RawType.SUCCESS;
                } else if ("failure".equals(rawType)) {
                    type = Indicator.RawType.FAILURE;
                } else {
                    f.problem(Fields.path(p, "rawType"), "expected success or failure, got '" + rawType + "'");
                }
            }
            JsonNode raw = f.object(r, p, "raw", true);
            MetricSource src = raw == null ? null : metric(f, raw, Fields.path(p, "raw"));
            return src == null || type == null ? null
                    : new Indicator(name, displayName, Indicator.Kind.RATIO, null, null, null, src, type, null);
        }
        if (r.has("good") && r.has("bad")) {
            f.problem(Fields.path(p, "bad"), "give either good or bad, not both");
            return null;
        }
        if (!r.has("good") && !r.has("bad")) {
            f.problem(Fields.path(p, "good"), "required: good or bad (with total), or raw with rawType");
            return null;
        }
        String numeratorKey = r.has("good") ? "good" : "bad";
        JsonNode numerator = f.object(r, p, numeratorKey, true);
        JsonNode total = f.object(r, p, "total", true);
        MetricSource num = numerator == null ? null : metric(f, numerator, Fields.path(p, numeratorKey));
        MetricSource tot = total == null ? null : metric(f, total, Fields.path(p, "total"));
        if (num == null || tot == null) {
            return null;
        }
        boolean good = "good".equals(numeratorKey);
        return new Indicator(name, displayName, Indicator.Kind.RATIO, good ? num : null, good ? null : num, tot,
                null, null, null);
    }

    private MetricSource metric(Fields f, JsonNode holder, String path) {
        JsonNode ms = f.object(holder, path, "metricSource", true);
        if (ms == null) {
            return null;
        }
        String p = Fields.path(path, "metricSource");
        f.onlyKnown(ms, p, Set.of("metricSourceRef", "type", "spec"));
        String ref = f.text(ms, p, "metricSourceRef", false);
        String type = f.text(ms, p, "type", false);
        if (ref != null) {
            Raw ds = all("DataSource").get(ref);
            if (ds == null) {
                unresolved(f, Fields.path(p, "metricSourceRef"), "DataSource", ref);
                return null;
            }
            String dsType = ds.node().path("spec").path("type").asText(null);
            if (type == null) {
                type = dsType;
            } else if (dsType != null && !dsType.equals(type)) {
                f.problem(Fields.path(p, "type"), "type '" + type + "' contradicts DataSource '" + ref
                        + "' of type '" + dsType + "'");
                return null;
            }
        }
        if (type == null) {
            f.problem(Fields.path(p, "type"), "required when no metricSourceRef names a DataSource");
            return null;
        }
        JsonNode spec = f.object(ms, p, "spec", false);
        Map<String, Object> specMap = spec == null ? Map.of()
                : Yaml.MAPPER.convertValue(spec, new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() { });
        CloudWatchMetric cw = null;
        if ("CloudWatch".equals(type) && spec != null && !hasAny(spec, CLOUDWATCH_FIELDS)) {
            // another tool's CloudWatch shape (metricStat, sql, json): valid OpenSLO, not something we can query
            warnings.add(new Problem(f.file(), f.document(), Fields.path(p, "spec"), "a CloudWatch source without "
                    + "namespace/metricName/stat or expression/metrics: accepted, evaluated from exported data only"));
        } else if ("CloudWatch".equals(type)) {
            if (spec == null) {
                f.problem(Fields.path(p, "spec"), "required for a CloudWatch source: namespace, metricName and stat, "
                        + "or expression and metrics");
                return null;
            }
            cw = cloudWatch(f, spec, Fields.path(p, "spec"));
            if (cw == null) {
                return null;
            }
        }
        return new MetricSource(type, ref, specMap, cw);
    }

    private static final Set<String> CLOUDWATCH_FIELDS = Set.of("namespace", "metricName", "dimensions", "stat",
            "expression", "metrics");

    private static boolean hasAny(JsonNode obj, Set<String> keys) {
        return keys.stream().anyMatch(obj::has);
    }

    private CloudWatchMetric cloudWatch(Fields f, JsonNode spec, String p) {
        int before = problemsCount();
        f.onlyKnown(spec, p, Set.of("region", "accountId", "namespace", "metricName", "dimensions", "stat",
                "expression", "metrics"));
        String region = f.text(spec, p, "region", false);
        if (spec.has("expression")) {
            String expression = f.text(spec, p, "expression", true);
            if (spec.has("namespace") || spec.has("metricName")) {
                f.problem(Fields.path(p, "expression"), "an expression takes its inputs from metrics, "
                        + "not namespace or metricName");
            }
            JsonNode metrics = f.array(spec, p, "metrics", true);
            List<CloudWatchMetric.MathInput> inputs = new ArrayList<>();
            if (metrics != null && metrics.isEmpty()) {
                f.problem(Fields.path(p, "metrics"), "expected at least one metric for the expression");
            }
            Set<String> ids = new HashSet<>();
            for (int i = 0; metrics != null && i < metrics.size(); i++) {
                String mp = Fields.index(Fields.path(p, "metrics"), i);
                JsonNode m = metrics.get(i);
                String id = f.text(m, mp, "id", true);
                if (id != null && !id.matches("[a-z][a-zA-Z0-9_]*")) {
                    f.problem(Fields.path(mp, "id"), "expected an id starting with a lowercase letter "
                            + "(letters, digits, _), got '" + id + "'");
                }
                if (id != null && !ids.add(id)) {
                    f.problem(Fields.path(mp, "id"), "duplicate metric id '" + id + "'");
                }
                String ns = f.text(m, mp, "namespace", true);
                String mn = f.text(m, mp, "metricName", true);
                String stat = statistic(f, m, mp);
                inputs.add(new CloudWatchMetric.MathInput(id, ns, mn, dimensions(f, m, mp), stat));
            }
            if (problemsCount() > before) {
                return null;
            }
            return new CloudWatchMetric(region, null, null, null, null, expression, inputs);
        }
        String ns = f.text(spec, p, "namespace", true);
        String mn = f.text(spec, p, "metricName", true);
        String stat = statistic(f, spec, p);
        Map<String, String> dims = dimensions(f, spec, p);
        if (problemsCount() > before) {
            return null;
        }
        return new CloudWatchMetric(region, ns, mn, dims, stat, null, null);
    }

    private int problemsCount() {
        return problems.size();
    }

    private String statistic(Fields f, JsonNode spec, String p) {
        String stat = f.text(spec, p, "stat", true);
        if (stat != null && !STATISTIC.matcher(stat).matches()) {
            f.problem(Fields.path(p, "stat"), "expected a CloudWatch statistic (Sum, SampleCount, Average, "
                    + "Minimum, Maximum, p99, TC(:0.3), PR(:0.3), …), got '" + stat + "'");
            return null;
        }
        return stat;
    }

    private Map<String, String> dimensions(Fields f, JsonNode spec, String p) {
        JsonNode dims = spec.get("dimensions");
        Map<String, String> out = new LinkedHashMap<>();
        if (dims == null || dims.isNull()) {
            return out;
        }
        String dp = Fields.path(p, "dimensions");
        if (dims.isArray()) {
            for (int i = 0; i < dims.size(); i++) {
                String ip = Fields.index(dp, i);
                String n = f.text(dims.get(i), ip, "name", true);
                String v = f.text(dims.get(i), ip, "value", true);
                if (n != null && v != null) {
                    out.put(n, v);
                }
            }
        } else if (dims.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = dims.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                    f.problem(Fields.path(dp, e.getKey()), "expected a dimension value string");
                } else {
                    out.put(e.getKey(), e.getValue().asText());
                }
            }
        } else {
            f.problem(dp, "expected a list of {name, value} or a mapping of name to value");
        }
        if (out.size() > 30) {
            f.problem(dp, "CloudWatch allows at most 30 dimensions, got " + out.size());
        }
        return out;
    }

    // ---------------------------------------------------------------- alerting

    private record ConditionDef(String name, String severity, Comparison op, BigDecimal threshold,
                                java.time.Duration lookback, java.time.Duration alertAfter) {
        AlertTier tier() {
            long longMinutes = lookback.toMinutes();
            // the Workbook's guideline: a short window of 1/12 of the long one
            long shortMinutes = Math.max(1, longMinutes / 12);
            return new AlertTier(name, severity, longMinutes, shortMinutes, null, threshold,
                    alertAfter == null ? 0 : alertAfter.toMinutes(), true, op);
        }
    }

    private record PolicyDef(List<AlertTier> tiers, boolean alertWhenNoData) {
    }

    private ConditionDef condition(Fields f, String name, JsonNode spec, String path) {
        if (spec == null || !spec.isObject()) {
            return null;
        }
        int before = problems.size();
        f.onlyKnown(spec, path, Set.of("description", "severity", "condition"));
        description(f, spec, path);
        String severity = f.text(spec, path, "severity", true);
        String cp = Fields.path(path, "condition");
        JsonNode c = f.object(spec, path, "condition", true);
        if (c == null) {
            return null;
        }
        f.onlyKnown(c, cp, Set.of("kind", "op", "threshold", "lookbackWindow", "alertAfter"));
        String kind = f.text(c, cp, "kind", false);
        if (kind != null && !"burnrate".equals(kind)) {
            f.problem(Fields.path(cp, "kind"), "expected burnrate, got '" + kind + "'");
        }
        String opName = f.text(c, cp, "op", true);
        Comparison op = opName == null ? null : Comparison.fromOpenSlo(opName);
        if (opName != null && op == null) {
            f.problem(Fields.path(cp, "op"), "expected one of gt, gte, lt, lte (how the burn rate compares with "
                    + "the threshold), got '" + opName + "'");
        }
        BigDecimal threshold = f.decimal(c, cp, "threshold", true);
        if (threshold != null && threshold.signum() < 0) {
            f.problem(Fields.path(cp, "threshold"), "expected a burn rate of 0 or more, got "
                    + threshold.toPlainString());
        }
        java.time.Duration lookback = f.fixedDuration(c, cp, "lookbackWindow", true);
        // OpenSLO's own default for alertAfter is 0m
        java.time.Duration after = f.fixedDurationOrZero(c, cp, "alertAfter", false);
        if (problems.size() > before) {
            return null;
        }
        return new ConditionDef(name, severity, op, threshold, lookback, after);
    }

    /** How a list entry names an object: by reference, inline (with its kind), or wrongly (reported). */
    private enum Entry { REF, INLINE, NONE }

    private Entry entry(Fields f, JsonNode e, String path, String refField, String kind) {
        if (e == null || !e.isObject()) {
            f.problem(path, "expected " + refField + " or an inline " + kind + " (kind: " + kind + ")");
            return Entry.NONE;
        }
        boolean ref = e.has(refField);
        boolean inline = e.has("spec") || e.has("metadata") || e.has("kind");
        if (ref && inline) {
            f.problem(path, "give either " + refField + " or an inline " + kind + ", not both");
            return Entry.NONE;
        }
        if (ref) {
            f.onlyKnown(e, path, Set.of(refField));
            return Entry.REF;
        }
        if (!inline) {
            f.problem(path, "expected " + refField + " or an inline " + kind + " (kind: " + kind + ")");
            return Entry.NONE;
        }
        f.onlyKnown(e, path, Set.of("apiVersion", "kind", "metadata", "spec"));
        String k = f.text(e, path, "kind", true);
        if (k != null && !kind.equals(k)) {
            f.problem(Fields.path(path, "kind"), "expected " + kind + ", got '" + k + "'");
            return Entry.NONE;
        }
        return k == null ? Entry.NONE : Entry.INLINE;
    }

    /** notificationTargets: required; each a targetRef to a defined target, or an inline one with its target. */
    private List<String> notificationTargets(Fields f, JsonNode spec, String path) {
        List<String> names = new ArrayList<>();
        JsonNode list = f.array(spec, path, "notificationTargets", true);
        for (int i = 0; list != null && i < list.size(); i++) {
            String tp = Fields.index(Fields.path(path, "notificationTargets"), i);
            JsonNode t = list.get(i);
            Entry entry = entry(f, t, tp, "targetRef", "AlertNotificationTarget");
            if (entry == Entry.REF) {
                String ref = f.text(t, tp, "targetRef", true);
                if (ref != null && !all("AlertNotificationTarget").containsKey(ref)) {
                    unresolved(f, Fields.path(tp, "targetRef"), "AlertNotificationTarget", ref);
                }
                if (ref != null) {
                    names.add(ref);
                }
            } else if (entry == Entry.INLINE) {
                JsonNode md = f.object(t, tp, "metadata", true);
                if (md != null) {
                    metadata(f, md, Fields.path(tp, "metadata"));
                    String name = f.text(md, Fields.path(tp, "metadata"), "name", true);
                    if (name != null) {
                        names.add(name);
                    }
                }
                JsonNode ts = f.object(t, tp, "spec", true);
                if (ts != null) {
                    targetSpec(f, ts, Fields.path(tp, "spec"));
                }
            }
        }
        return names;
    }

    private PolicyDef alertPolicy(Fields f, JsonNode spec, String path, Map<String, ConditionDef> conditions) {
        if (spec == null || !spec.isObject()) {
            f.problem(path, "required field is missing");
            return null;
        }
        f.onlyKnown(spec, path, Set.of("description", "alertWhenNoData", "alertWhenResolved", "alertWhenBreaching",
                "conditions", "notificationTargets"));
        description(f, spec, path);
        Boolean noData = f.bool(spec, path, "alertWhenNoData", false);
        // absent means true: the policy's notices go out (OpenSLO leaves the default to the implementation)
        Boolean resolved = f.bool(spec, path, "alertWhenResolved", false);
        Boolean breaching = f.bool(spec, path, "alertWhenBreaching", false);
        AlertTier.Notify notify = new AlertTier.Notify(!Boolean.FALSE.equals(breaching),
                !Boolean.FALSE.equals(resolved), notificationTargets(f, spec, path));
        JsonNode list = f.array(spec, path, "conditions", true);
        if (list == null) {
            return null;
        }
        if (list.size() != 1) {
            f.problem(Fields.path(path, "conditions"), "expected exactly one condition (OpenSLO v1 allows one), got "
                    + list.size());
            return null;
        }
        String cp = Fields.index(Fields.path(path, "conditions"), 0);
        JsonNode c = list.get(0);
        ConditionDef def;
        Entry entry = entry(f, c, cp, "conditionRef", "AlertCondition");
        if (entry == Entry.NONE) {
            return null;
        }
        if (entry == Entry.REF) {
            String ref = f.text(c, cp, "conditionRef", true);
            if (ref == null) {
                return null;
            }
            def = conditions.get(ref);
            if (def == null) {
                if (!all("AlertCondition").containsKey(ref)) {
                    unresolved(f, Fields.path(cp, "conditionRef"), "AlertCondition", ref);
                }
                return null;
            }
        } else {
            JsonNode md = f.object(c, cp, "metadata", true);
            if (md != null) {
                metadata(f, md, Fields.path(cp, "metadata"));
            }
            String name = md == null ? null : f.text(md, Fields.path(cp, "metadata"), "name", true);
            if (name == null) {
                return null;
            }
            def = condition(f, name, f.object(c, cp, "spec", true), Fields.path(cp, "spec"));
            if (def == null) {
                return null;
            }
        }
        return new PolicyDef(List.of(def.tier().withNotify(notify)), Boolean.TRUE.equals(noData));
    }
}
