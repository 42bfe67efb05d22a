package io.ebm.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ebm.core.budget.Snapshot;
import io.ebm.core.budget.SnapshotJson;
import io.ebm.core.policy.Action;
import io.ebm.core.policy.Decision;
import io.ebm.core.policy.GateDecision;
import io.ebm.core.policy.ReleaseOverride;
import io.ebm.engine.Evaluation;

/** The {@code evaluate --format json} document; its fields are listed in docs/cli.md. */
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
            slos.add(SnapshotJson.toJson(s));
        }
        if (!result.ledger().isEmpty()) {
            ArrayNode ledger = root.putArray("ledger");
            for (io.ebm.core.deploy.LedgerEntry e : result.ledger()) {
                ObjectNode n = io.ebm.core.deploy.DeploymentJson.node(e);
                n.set("deployment", io.ebm.core.deploy.DeploymentJson.node(e.deployment()));
                ledger.add(n);
            }
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
            n.put("pipeline", f.pipeline());
        } else if (a instanceof Action.AllowReleases al) {
            n.put("type", "allowReleases");
            n.put("service", al.service());
            n.put("stage", al.stage());
            n.put("pipeline", al.pipeline());
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
}
