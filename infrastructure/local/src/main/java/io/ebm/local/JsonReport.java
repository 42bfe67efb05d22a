package io.ebm.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ebm.core.Evaluation;
import io.ebm.core.budget.Snapshot;
import io.ebm.core.policy.Action;
import io.ebm.core.policy.Decision;
import io.ebm.core.policy.GateDecision;
import io.ebm.core.policy.ReleaseOverride;
import java.math.BigDecimal;
import java.util.Map;

/** The {@code evaluate --format json} document; its fields are listed in the README. */
final class JsonReport {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonReport() {
    }

    static String render(Evaluation.Result result, boolean withPolicy) {
        ObjectNode root = NODES.objectNode();
        root.put("evaluatedAt", result.evaluatedAt().toString());
        ArrayNode slos = root.putArray("slos");
        for (Snapshot s : result.snapshots()) {
            slos.add(snapshot(s));
        }
        if (withPolicy) {
            ArrayNode decisions = root.putArray("decisions");
            for (Decision d : result.decisions()) {
                decisions.add(decision(d));
            }
            ArrayNode gates = root.putArray("gates");
            for (GateDecision g : result.gates()) {
                gates.add(gate(g));
            }
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static ObjectNode snapshot(Snapshot s) {
        ObjectNode n = NODES.objectNode();
        n.put("name", s.name());
        n.put("service", s.service());
        putNumber(n, "target", s.target());
        n.put("budgetingMethod", s.budgetingMethod());
        n.put("window", s.window());
        n.put("windowStart", s.windowStart().toString());
        n.put("windowEnd", s.windowEnd().toString());
        n.put("periodMinutes", s.periodMinutes());
        putNumber(n, "sli", s.sli());
        n.put("status", s.status().name());
        n.put("statusReason", s.statusReason());
        ObjectNode events = n.putObject("events");
        events.put("good", s.goodEvents());
        events.put("total", s.totalEvents());
        ObjectNode budget = n.putObject("budget");
        budget.put("unit", s.budgetUnit());
        budget.put("total", s.budgetTotal().doubleValue());
        budget.put("consumed", s.budgetConsumed().doubleValue());
        budget.put("remaining", s.budgetRemaining().doubleValue());
        putNumber(budget, "consumedFraction", s.consumedFraction());
        putNumber(budget, "remainingFraction", s.remainingFraction());
        putNumber(budget, "remainingMinutes", s.remainingMinutes());
        ObjectNode burn = n.putObject("burnRates");
        for (Map.Entry<String, Double> e : s.burnRates().entrySet()) {
            putNumber(burn, e.getKey(), e.getValue());
        }
        ArrayNode alerts = n.putArray("alerts");
        for (Snapshot.TierResult a : s.alerts()) {
            ObjectNode t = alerts.addObject();
            t.put("tier", a.tier().name());
            t.put("severity", a.tier().severity());
            t.put("longWindow", Text.minutes(a.tier().longWindowMinutes()));
            t.put("shortWindow", Text.minutes(a.tier().shortWindowMinutes()));
            t.put("factor", a.factor());
            putNumber(t, "longBurnRate", a.longBurnRate());
            putNumber(t, "shortBurnRate", a.shortBurnRate());
            t.put("firing", a.firing());
        }
        if (s.timeToExhaustion() == null) {
            n.putNull("timeToExhaustion");
        } else {
            n.put("timeToExhaustion", s.timeToExhaustion().toString());
        }
        n.put("noDataAlert", s.noDataAlert());
        return n;
    }

    private static ObjectNode decision(Decision d) {
        ObjectNode n = NODES.objectNode();
        n.put("rule", d.rule());
        n.put("slo", d.budget());
        n.put("service", d.service());
        n.set("action", action(d.action()));
        n.put("description", d.action().describe());
        ArrayNode reasons = n.putArray("reasons");
        d.reasons().forEach(reasons::add);
        if (d.overriddenBy() == null) {
            n.putNull("overriddenBy");
        } else {
            n.put("overriddenBy", d.overriddenBy());
        }
        return n;
    }

    private static ObjectNode action(Action a) {
        ObjectNode n = NODES.objectNode();
        if (a instanceof Action.FreezeReleases f) {
            n.put("type", "freezeReleases");
            n.put("service", f.service());
            n.put("stage", f.stage());
        } else if (a instanceof Action.AllowReleases al) {
            n.put("type", "allowReleases");
            n.put("service", al.service());
            n.put("stage", al.stage());
        } else if (a instanceof Action.SetFeatureFlag f) {
            n.put("type", "setFeatureFlag");
            n.put("flag", f.flag());
            n.put("enabled", f.enabled());
        } else if (a instanceof Action.Notify no) {
            n.put("type", "notify");
            n.put("target", no.target());
            n.put("message", no.message());
        } else if (a instanceof Action.RequireReliabilityWork r) {
            n.put("type", "requireReliabilityWork");
            n.put("note", r.note());
        }
        return n;
    }

    private static ObjectNode gate(GateDecision g) {
        ObjectNode n = NODES.objectNode();
        n.put("service", g.service());
        n.put("stage", g.stage());
        n.put("verdict", g.verdict().name());
        ArrayNode reasons = n.putArray("reasons");
        g.reasons().forEach(reasons::add);
        ArrayNode overrides = n.putArray("overrides");
        for (ReleaseOverride o : g.activeOverrides()) {
            ObjectNode on = overrides.addObject();
            on.put("id", o.id());
            on.put("service", o.service());
            on.put("stage", o.stage());
            on.put("expires", o.expires().toString());
            on.put("reason", o.reason());
            on.put("author", o.author());
        }
        return n;
    }

    private static void putNumber(ObjectNode n, String key, Double v) {
        if (v == null) {
            n.putNull(key);
        } else {
            n.put(key, v);
        }
    }

    private static void putNumber(ObjectNode n, String key, BigDecimal v) {
        if (v == null) {
            n.putNull(key);
        } else {
            n.put(key, v.stripTrailingZeros());
        }
    }
}
