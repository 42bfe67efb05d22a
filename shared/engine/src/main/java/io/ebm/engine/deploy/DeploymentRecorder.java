package io.ebm.engine.deploy;

import io.ebm.core.deploy.Deployment;
import io.ebm.core.deploy.DeploymentRouting;
import io.ebm.core.store.BudgetStore;
import io.ebm.core.store.DeploymentRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Keeps the record of deployments from the events that tell of them: CodePipeline execution, stage and action
 * state changes, and AppConfig deployments. Events come at least once and in any order; each one is merged into
 * the stored record of its execution ({@link Deployment#merge}) under optimistic locking, so that a retried or
 * late event changes nothing it should not.
 */
public final class DeploymentRecorder {

    /**
     * What an event says about one execution. For AppConfig, {@code pipeline} is
     * {@code appconfig:<application>/<environment>/<profile>} and {@code execution} the deployment number.
     */
    public record Event(Kind kind, String pipeline, String execution, String stage, String state, String revision,
                        Instant at) {

        /** An AppConfig deployment's event. */
        public static Event appConfig(String application, String environment, String profile, String number,
                                      String state, String version, Instant at) {
            return new Event(Kind.APPCONFIG, "appconfig:" + application + "/" + environment + "/" + profile, number,
                    null, state, version, at);
        }

        /** What the routing names an AppConfig deployment by: {@code application/environment}. */
        String appConfigTarget() {
            String rest = pipeline.substring("appconfig:".length());
            int last = rest.lastIndexOf('/');
            return last < 0 ? rest : rest.substring(0, last);
        }
    }

    /** The event's origin: the whole execution, one stage, a source action (the revision), or AppConfig. */
    public enum Kind { PIPELINE, STAGE, SOURCE_ACTION, APPCONFIG }

    private static final int ATTEMPTS = 10;

    private final BudgetStore store;

    public DeploymentRecorder(BudgetStore store) {
        this.store = store;
    }

    /**
     * Records what {@code e} says for every service its pipeline deploys (per {@code routing}, among
     * {@code services}); returns the merged records. A pipeline that deploys no known service is ignored.
     */
    public List<Deployment> record(Event e, DeploymentRouting routing, Set<String> services) {
        List<String> targets = e.kind() == Kind.APPCONFIG ? routing.servicesOf(e.appConfigTarget())
                : routing.servicesOfPipeline(e.pipeline(), services);
        List<Deployment> out = new ArrayList<>();
        for (String service : targets) {
            Deployment partial = partial(e, service, routing);
            if (partial != null) {
                out.add(merge(partial));
            }
        }
        return out;
    }

    /** Merges one partial record into the stored one; retried when another writer got there first. */
    public Deployment merge(Deployment partial) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Optional<DeploymentRecord> stored = store.deployment(partial.service(), partial.pipeline(),
                    partial.execution());
            Deployment merged = stored.map(r -> r.deployment().merge(partial)).orElse(partial);
            long version = stored.map(DeploymentRecord::version).orElse(0L) + 1;
            if (stored.isPresent() && stored.get().deployment().equals(merged)) {
                return merged; // a repeated event: nothing new
            }
            if (store.putDeployment(new DeploymentRecord(merged, version))) {
                return merged;
            }
        }
        throw new IllegalStateException("deployment " + partial.describe() + " of " + partial.service()
                + ": written by other events " + ATTEMPTS + " times");
    }

    /** The part of a deployment record one event knows; null when the event says nothing worth keeping. */
    static Deployment partial(Event e, String service, DeploymentRouting routing) {
        String state = e.state() == null ? "" : e.state().toUpperCase(Locale.ROOT);
        String source = e.kind() == Kind.APPCONFIG ? "appconfig" : "codepipeline";
        Deployment.Status status = switch (state) {
            case "SUCCEEDED", "COMPLETE", "ONDEPLOYMENTCOMPLETE" -> Deployment.Status.SUCCEEDED;
            case "FAILED", "ROLLED_BACK", "ONDEPLOYMENTROLLEDBACK" -> Deployment.Status.FAILED;
            case "CANCELED", "STOPPED" -> Deployment.Status.STOPPED;
            case "SUPERSEDED" -> Deployment.Status.SUPERSEDED;
            default -> Deployment.Status.IN_PROGRESS;
        };
        return switch (e.kind()) {
            case PIPELINE -> status == Deployment.Status.IN_PROGRESS
                    ? new Deployment(service, e.pipeline(), e.execution(), e.revision(), null, e.at(), null, null,
                    status, source)
                    // a whole execution that succeeded has landed, if its landing stage did not say so earlier
                    : new Deployment(service, e.pipeline(), e.execution(), e.revision(), null, null,
                    status == Deployment.Status.SUCCEEDED ? e.at() : null, e.at(), status, source);
            case STAGE -> status == Deployment.Status.SUCCEEDED && routing.landingStage().equals(e.stage())
                    ? new Deployment(service, e.pipeline(), e.execution(), e.revision(), e.stage(), null, e.at(), null,
                    Deployment.Status.IN_PROGRESS, source)
                    : null;
            case SOURCE_ACTION -> e.revision() == null ? null
                    : new Deployment(service, e.pipeline(), e.execution(), e.revision(), null, null, null, null,
                    Deployment.Status.IN_PROGRESS, source);
            case APPCONFIG -> status == Deployment.Status.IN_PROGRESS
                    ? new Deployment(service, e.pipeline(), e.execution(), e.revision(), null, e.at(), null, null,
                    status, source)
                    : new Deployment(service, e.pipeline(), e.execution(), e.revision(), null, null,
                    status == Deployment.Status.SUCCEEDED ? e.at() : null, e.at(), status, source);
        };
    }
}
