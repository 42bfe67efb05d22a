package io.ebm.aws.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ebm.core.port.FeatureFlags;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.appconfig.AppConfigClient;
import software.amazon.awssdk.services.appconfig.model.CreateHostedConfigurationVersionRequest;
import software.amazon.awssdk.services.appconfig.model.CreateHostedConfigurationVersionResponse;
import software.amazon.awssdk.services.appconfig.model.DeploymentState;
import software.amazon.awssdk.services.appconfig.model.DeploymentSummary;
import software.amazon.awssdk.services.appconfig.model.GetHostedConfigurationVersionRequest;
import software.amazon.awssdk.services.appconfig.model.GetHostedConfigurationVersionResponse;
import software.amazon.awssdk.services.appconfig.model.HostedConfigurationVersionSummary;
import software.amazon.awssdk.services.appconfig.model.ListDeploymentsRequest;
import software.amazon.awssdk.services.appconfig.model.ListDeploymentsResponse;
import software.amazon.awssdk.services.appconfig.model.ListHostedConfigurationVersionsRequest;
import software.amazon.awssdk.services.appconfig.model.ListHostedConfigurationVersionsResponse;
import software.amazon.awssdk.services.appconfig.model.StartDeploymentRequest;
import software.amazon.awssdk.services.appconfig.model.StartDeploymentResponse;

/** The AppConfig flag adapter against canned AppConfig answers (a small in-memory profile and environment). */
class AppConfigFlagsTest {

    static final String DOCUMENT = """
            {"version":"1","flags":{"checkout-new-recommendations":{"name":"New recommendations"},
             "dark-mode":{"name":"Dark mode"}},
             "values":{"checkout-new-recommendations":{"enabled":true},"dark-mode":{"enabled":false}}}""";

    /** Hosted versions and deployments as AppConfig would keep them. */
    static final class Profile {
        final TreeMap<Integer, String> versions = new TreeMap<>(Map.of(1, DOCUMENT));
        final List<DeploymentSummary> deployments = new ArrayList<>(List.of(DeploymentSummary.builder()
                .deploymentNumber(1).configurationVersion("1").state(DeploymentState.COMPLETE).build()));
        boolean failNextDeployment;

        Canned<AppConfigClient> client() {
            return new Canned<>(AppConfigClient.class, Map.of(
                    ListHostedConfigurationVersionsRequest.class, r -> ListHostedConfigurationVersionsResponse.builder()
                            .items(versions.keySet().stream().map(v -> HostedConfigurationVersionSummary.builder()
                                    .versionNumber(v).build()).toList()).build(),
                    GetHostedConfigurationVersionRequest.class, r -> GetHostedConfigurationVersionResponse.builder()
                            .versionNumber(((GetHostedConfigurationVersionRequest) r).versionNumber())
                            .content(SdkBytes.fromUtf8String(versions.get(((GetHostedConfigurationVersionRequest) r)
                                    .versionNumber()))).build(),
                    CreateHostedConfigurationVersionRequest.class, r -> {
                        CreateHostedConfigurationVersionRequest c = (CreateHostedConfigurationVersionRequest) r;
                        if (!c.latestVersionNumber().equals(versions.lastKey())) {
                            throw new IllegalStateException("ConflictException: latest version is " + versions.lastKey());
                        }
                        int next = versions.lastKey() + 1;
                        versions.put(next, c.content().asUtf8String());
                        return CreateHostedConfigurationVersionResponse.builder().versionNumber(next).build();
                    },
                    ListDeploymentsRequest.class, r -> ListDeploymentsResponse.builder().items(deployments).build(),
                    StartDeploymentRequest.class, r -> {
                        if (failNextDeployment) {
                            failNextDeployment = false;
                            throw new IllegalStateException("ServiceUnavailable");
                        }
                        StartDeploymentRequest s = (StartDeploymentRequest) r;
                        deployments.add(DeploymentSummary.builder().deploymentNumber(deployments.size() + 1)
                                .configurationVersion(s.configurationVersion()).state(DeploymentState.DEPLOYING).build());
                        return StartDeploymentResponse.builder().deploymentNumber(deployments.size()).build();
                    }));
        }
    }

    @Test
    void turningAFlagOffWritesANewVersionAndDeploysIt() throws Exception {
        Profile profile = new Profile();
        Canned<AppConfigClient> canned = profile.client();
        FeatureFlags.Result r = new AppConfigFlags(canned.client, "checkout", "production", "flags", "AppConfig.AllAtOnce")
                .set("checkout-new-recommendations", false, "rule page-turns-off-risky-features");
        assertThat(r).isEqualTo(new FeatureFlags.Result(true, "2", true));
        CreateHostedConfigurationVersionRequest created = canned.of(CreateHostedConfigurationVersionRequest.class).get(0);
        assertThat(created.applicationId()).isEqualTo("checkout");
        assertThat(created.configurationProfileId()).isEqualTo("flags");
        assertThat(created.latestVersionNumber()).isEqualTo(1);
        assertThat(created.contentType()).isEqualTo("application/json");
        var written = new ObjectMapper().readTree(created.content().asUtf8String());
        assertThat(written.path("values").path("checkout-new-recommendations").path("enabled").asBoolean()).isFalse();
        assertThat(written.path("values").path("dark-mode").path("enabled").asBoolean()).isFalse(); // untouched
        assertThat(written.path("flags").path("dark-mode").path("name").asText()).isEqualTo("Dark mode");
        assertThat(canned.of(StartDeploymentRequest.class)).containsExactly(StartDeploymentRequest.builder()
                .applicationId("checkout").environmentId("production").configurationProfileId("flags")
                .configurationVersion("2").deploymentStrategyId("AppConfig.AllAtOnce")
                .description("rule page-turns-off-risky-features").build());
    }

    @Test
    void aFlagAlreadyInPlaceAndDeployedChangesNothing() {
        Profile profile = new Profile();
        Canned<AppConfigClient> canned = profile.client();
        FeatureFlags.Result r = new AppConfigFlags(canned.client, "checkout", "production", "flags", "AppConfig.AllAtOnce")
                .set("dark-mode", false, "no-op");
        assertThat(r).isEqualTo(new FeatureFlags.Result(false, "1", false));
        assertThat(canned.of(CreateHostedConfigurationVersionRequest.class)).isEmpty();
        assertThat(canned.of(StartDeploymentRequest.class)).isEmpty();
    }

    @Test
    void aDeploymentThatFailedHalfWayIsStartedOnTheNextTryWithoutASecondVersion() {
        Profile profile = new Profile();
        profile.failNextDeployment = true;
        AppConfigFlags flags = new AppConfigFlags(profile.client().client, "checkout", "production", "flags", "Linear");
        assertThatThrownBy(() -> flags.set("checkout-new-recommendations", false, "r"))
                .hasMessageContaining("ServiceUnavailable");
        assertThat(profile.versions).hasSize(2); // the version was created before the deployment failed
        Canned<AppConfigClient> retry = profile.client();
        FeatureFlags.Result r = new AppConfigFlags(retry.client, "checkout", "production", "flags", "Linear")
                .set("checkout-new-recommendations", false, "r");
        assertThat(r).isEqualTo(new FeatureFlags.Result(false, "2", true));
        assertThat(retry.of(CreateHostedConfigurationVersionRequest.class)).isEmpty();
        assertThat(retry.of(StartDeploymentRequest.class)).singleElement()
                .satisfies(s -> assertThat(s.configurationVersion()).isEqualTo("2"));
        assertThat(profile.versions).hasSize(2);
    }

    @Test
    void anUndeclaredFlagIsAnError() {
        Profile profile = new Profile();
        assertThatThrownBy(() -> new AppConfigFlags(profile.client().client, "checkout", "production", "flags", "s")
                .set("no-such-flag", false, "r")).hasMessageContaining("flag 'no-such-flag' is not declared");
    }
}
