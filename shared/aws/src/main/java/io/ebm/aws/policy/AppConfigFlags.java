package io.ebm.aws.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ebm.core.port.FeatureFlags;
import java.io.IOException;
import java.util.Comparator;
import java.util.Optional;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.appconfig.AppConfigClient;
import software.amazon.awssdk.services.appconfig.model.CreateHostedConfigurationVersionRequest;
import software.amazon.awssdk.services.appconfig.model.DeploymentState;
import software.amazon.awssdk.services.appconfig.model.DeploymentSummary;
import software.amazon.awssdk.services.appconfig.model.GetHostedConfigurationVersionRequest;
import software.amazon.awssdk.services.appconfig.model.GetHostedConfigurationVersionResponse;
import software.amazon.awssdk.services.appconfig.model.HostedConfigurationVersionSummary;
import software.amazon.awssdk.services.appconfig.model.ListDeploymentsRequest;
import software.amazon.awssdk.services.appconfig.model.ListHostedConfigurationVersionsRequest;
import software.amazon.awssdk.services.appconfig.model.StartDeploymentRequest;

/**
 * Flags in an AppConfig feature-flags profile: read the latest hosted version, set {@code enabled} on the flag,
 * store a new hosted version (guarded by {@code LatestVersionNumber}), and deploy it with the strategy.
 *
 * <p>Safe to repeat after a failure half-way: when the latest version already holds the value but is not the
 * one deployed (or its deployment failed), only the deployment is started again.
 */
public final class AppConfigFlags implements FeatureFlags {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final AppConfigClient appConfig;
    private final String application;
    private final String environment;
    private final String profile;
    private final String strategy;

    public AppConfigFlags(AppConfigClient appConfig, String application, String environment, String profile,
                          String strategy) {
        this.appConfig = appConfig;
        this.application = application;
        this.environment = environment;
        this.profile = profile;
        this.strategy = strategy;
    }

    /** The latest hosted version's number; its document is what a flag's value is read from and written to. */
    private int latestVersion() {
        Optional<HostedConfigurationVersionSummary> latest = appConfig.listHostedConfigurationVersions(
                        ListHostedConfigurationVersionsRequest.builder().applicationId(application)
                                .configurationProfileId(profile).build())
                .items().stream().max(Comparator.comparing(HostedConfigurationVersionSummary::versionNumber));
        if (latest.isEmpty()) {
            throw new IllegalStateException("AppConfig profile " + application + "/" + profile
                    + " has no hosted version to change");
        }
        return latest.get().versionNumber();
    }

    private ObjectNode document(int version) {
        GetHostedConfigurationVersionResponse current = appConfig.getHostedConfigurationVersion(
                GetHostedConfigurationVersionRequest.builder().applicationId(application)
                        .configurationProfileId(profile).versionNumber(version).build());
        return parse(current.content());
    }

    /**
     * The value applications get: the one in the version last deployed (not rolled back), which is what a
     * half-done change (a version written, its deployment refused) is judged by; empty when nothing is deployed.
     */
    @Override
    public Optional<Boolean> get(String flag) {
        Optional<DeploymentSummary> last = lastDeployment().filter(d -> d.state() != DeploymentState.ROLLED_BACK
                && d.state() != DeploymentState.REVERTED);
        if (last.isEmpty()) {
            return Optional.empty();
        }
        int version;
        try {
            version = Integer.parseInt(last.get().configurationVersion());
        } catch (NumberFormatException notHosted) {
            version = latestVersion();
        }
        JsonNode value = document(version).path("values").path(flag).path("enabled");
        return value.isBoolean() ? Optional.of(value.asBoolean()) : Optional.empty();
    }

    private Optional<DeploymentSummary> lastDeployment() {
        return appConfig.listDeployments(ListDeploymentsRequest.builder().applicationId(application)
                .environmentId(environment).build()).items().stream()
                .max(Comparator.comparing(DeploymentSummary::deploymentNumber));
    }

    @Override
    public Result set(String flag, boolean enabled, String reason) {
        int latestNumber = latestVersion();
        ObjectNode document = document(latestNumber);
        JsonNode declared = document.path("flags").path(flag);
        if (declared.isMissingNode()) {
            throw new IllegalArgumentException("flag '" + flag + "' is not declared in AppConfig profile "
                    + application + "/" + profile);
        }
        ObjectNode value = document.with("values").with(flag);
        boolean changed = !value.has("enabled") || value.get("enabled").asBoolean() != enabled;
        int version = latestNumber;
        if (changed) {
            value.put("enabled", enabled);
            version = appConfig.createHostedConfigurationVersion(CreateHostedConfigurationVersionRequest.builder()
                    .applicationId(application).configurationProfileId(profile).latestVersionNumber(latestNumber)
                    .contentType("application/json").description(truncate(reason, 1024))
                    .content(SdkBytes.fromUtf8String(document.toString())).build()).versionNumber();
        }
        String wanted = Integer.toString(version);
        Optional<DeploymentSummary> last = lastDeployment();
        boolean deployed = last.isPresent() && wanted.equals(last.get().configurationVersion())
                && last.get().state() != DeploymentState.ROLLED_BACK && last.get().state() != DeploymentState.REVERTED;
        if (!deployed) {
            appConfig.startDeployment(StartDeploymentRequest.builder().applicationId(application)
                    .environmentId(environment).configurationProfileId(profile).configurationVersion(wanted)
                    .deploymentStrategyId(strategy).description(truncate(reason, 1024)).build());
        }
        return new Result(changed, wanted, !deployed);
    }

    private static ObjectNode parse(SdkBytes content) {
        try {
            JsonNode n = JSON.readTree(content.asByteArray());
            if (!(n instanceof ObjectNode o)) {
                throw new IllegalStateException("AppConfig flags document is not a JSON object");
            }
            return o;
        } catch (IOException e) {
            throw new IllegalStateException("AppConfig flags document is not JSON: " + e.getMessage(), e);
        }
    }

    static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
