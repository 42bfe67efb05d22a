package io.ebm.core.deploy;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which services a pipeline (or an AppConfig application/environment) deploys, as the policy's
 * {@code spec.deployments} says, and which stage's success lands a change. A pipeline the policy does not name
 * deploys the service it is named after ({@code <service>-pipeline}), if an SLO belongs to that service.
 *
 * @param pipelines pipeline name → services
 * @param appConfig {@code application/environment} → services
 */
public record DeploymentRouting(String landingStage, Map<String, List<String>> pipelines,
                                Map<String, List<String>> appConfig) {

    public static final String DEFAULT_LANDING_STAGE = "Production";
    public static final DeploymentRouting DEFAULTS = new DeploymentRouting(DEFAULT_LANDING_STAGE, Map.of(), Map.of());

    public DeploymentRouting {
        landingStage = landingStage == null ? DEFAULT_LANDING_STAGE : landingStage;
        pipelines = Map.copyOf(pipelines);
        appConfig = Map.copyOf(appConfig);
    }

    /** The services a pipeline deploys, among {@code known} (the services of the deployed SLOs). */
    public List<String> servicesOfPipeline(String pipeline, Set<String> known) {
        List<String> named = pipelines.get(pipeline);
        if (named != null) {
            return named;
        }
        String suffix = "-pipeline";
        if (pipeline.endsWith(suffix) && known.contains(pipeline.substring(0, pipeline.length() - suffix.length()))) {
            return List.of(pipeline.substring(0, pipeline.length() - suffix.length()));
        }
        return List.of();
    }

    /** The services an AppConfig environment ({@code application/environment}) serves. */
    public List<String> servicesOf(String appConfigEnvironment) {
        return appConfig.getOrDefault(appConfigEnvironment, List.of());
    }
}
