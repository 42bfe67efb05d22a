package io.ebm.functions.definitions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ebm.aws.dynamodb.DynamoDbBudgetStore;
import io.ebm.aws.dynamodb.DynamoDbTables;
import io.ebm.aws.testing.AwsEndpoint;
import io.ebm.core.store.BudgetStore;
import io.ebm.core.store.Definition;
import io.ebm.core.yaml.DefinitionException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The custom resource against DynamoDB (moto here): the sample files in, once, and bad files refused whole. */
class DefinitionsLoaderHandlerTest {

    private BudgetStore store;
    private DefinitionsLoaderHandler handler;

    @BeforeEach
    void table() {
        DynamoDbClient dynamo = AwsEndpoint.dynamoDb();
        String table = "ebm-" + UUID.randomUUID();
        DynamoDbTables.create(dynamo, table, false);
        store = new DynamoDbBudgetStore(dynamo, table);
        handler = new DefinitionsLoaderHandler(store, line -> {
        }, Clock.fixed(Instant.parse("2026-11-28T12:00:00Z"), ZoneOffset.UTC));
    }

    private static Map<String, String> samples() throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        for (String f : new String[] {"checkout-api.yaml", "checkout-journey.yaml", "payments.yaml", "search.yaml"}) {
            files.put(f, Files.readString(Path.of("../../events/slos", f)));
        }
        files.put("policy/default-policy.yaml", Files.readString(Path.of("../../events/policies/default-policy.yaml")));
        return files;
    }

    private static Map<String, Object> event(String type, Map<String, String> files) {
        return Map.of("RequestType", type, "ResourceProperties", Map.of("ServiceToken", "arn:x", "Definitions", files));
    }

    @Test
    void theSampleFilesAreStoredOnceAndAChangedFileGetsANewVersion() throws IOException {
        Map<String, String> files = samples();
        Map<String, Object> created = handler.handleRequest(event("Create", files), null);
        assertThat(created).containsEntry("PhysicalResourceId", "ebm-definitions")
                .containsEntry("Data", Map.of("Files", 5, "Written", 5, "Removed", 0));
        assertThat(store.definitions()).extracting(Definition::name).containsExactlyInAnyOrder("checkout-api.yaml",
                "checkout-journey.yaml", "payments.yaml", "search.yaml", "policy/default-policy.yaml");

        Map<String, Object> same = handler.handleRequest(event("Update", files), null);
        assertThat(same).containsEntry("Data", Map.of("Files", 5, "Written", 0, "Removed", 0));

        files.put("search.yaml", files.get("search.yaml").replace("target: 0.995", "target: 0.99"));
        assertThat(handler.handleRequest(event("Update", files), null)).containsEntry("Data", Map.of("Files", 5, "Written", 1, "Removed", 0));
        assertThat(store.definition("search.yaml").orElseThrow().version()).isEqualTo(2);
        assertThat(store.definition("search.yaml").orElseThrow().document()).contains("target: 0.99\n");
    }

    @Test
    void oneBadFileFailsTheDeploymentAndNothingIsWritten() throws IOException {
        Map<String, String> files = samples();
        files.put("search.yaml", files.get("search.yaml").replace("target: 0.995", "target: 1.5"));
        assertThatThrownBy(() -> handler.handleRequest(event("Create", files), null))
                .isInstanceOf(DefinitionException.class).hasMessageContaining("search.yaml")
                .hasMessageContaining("target");
        assertThat(store.definitions()).isEmpty();
    }

    @Test
    void deleteKeepsTheDefinitions() throws IOException {
        handler.handleRequest(event("Create", samples()), null);
        assertThat(handler.handleRequest(Map.of("RequestType", "Delete", "PhysicalResourceId", "ebm-definitions"), null))
                .containsEntry("PhysicalResourceId", "ebm-definitions");
        assertThat(store.definitions()).hasSize(5);
    }

    @Test
    void anEventWithoutDefinitionsIsRefused() {
        assertThatThrownBy(() -> handler.handleRequest(Map.of("RequestType", "Create", "ResourceProperties", Map.of()),
                null)).hasMessage("ResourceProperties.Definitions must map file names to their text");
    }

    @Test
    void aDeletedSloFileAndARenamedPolicyStopGatingAndTheirHistoryStays() throws IOException {
        handler.handleRequest(event("Create", samples()), null);
        Map<String, String> files = samples();
        files.remove("search.yaml");
        files.put("policy/renamed.yaml", files.remove("policy/default-policy.yaml").replace("name: example-policy",
                "name: renamed-policy"));
        Map<String, Object> updated = handler.handleRequest(new java.util.HashMap<>(Map.of("RequestType", "Update",
                "StackId", "arn:aws:cloudformation:eu-west-1:1:stack/ebm/1", "RequestId", "req-7",
                "ResourceProperties", Map.of("Definitions", files))), null);
        assertThat(updated).containsEntry("Data", Map.of("Files", 4, "Written", 1, "Removed", 2));
        assertThat(io.ebm.engine.StoredDefinitions.load(store, line -> { })).extracting(io.ebm.core.slo.Slo::name)
                .doesNotContain("search-timeslices").contains("api-availability");
        assertThat(io.ebm.engine.StoredDefinitions.policy(store).name()).isEqualTo("renamed-policy");
        Definition removed = store.definition("search.yaml").orElseThrow();
        assertThat(removed.isRemoved()).isTrue();
        assertThat(removed.version()).isEqualTo(2); // version 1 stays as history
        assertThat(store.audit("definitions", Instant.parse("2026-11-28T00:00:00Z"), Instant.parse("2026-11-29T00:00:00Z")))
                .extracting(io.ebm.core.store.AuditEntry::what, io.ebm.core.store.AuditEntry::actor)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("remove definition search.yaml",
                                "cloudformation arn:aws:cloudformation:eu-west-1:1:stack/ebm/1 request req-7"),
                        org.assertj.core.groups.Tuple.tuple("remove definition policy/default-policy.yaml",
                                "cloudformation arn:aws:cloudformation:eu-west-1:1:stack/ebm/1 request req-7"));
        // deployed again, the file comes back as a new version
        files.put("search.yaml", samples().get("search.yaml"));
        handler.handleRequest(event("Update", files), null);
        assertThat(store.definition("search.yaml").orElseThrow().version()).isEqualTo(3);
    }

    @Test
    void twoFilesDefiningOneNameFailTheDeploymentNamingBoth() throws IOException {
        Map<String, String> files = samples();
        files.put("search-copy.yaml", files.get("search.yaml"));
        assertThatThrownBy(() -> handler.handleRequest(event("Create", files), null))
                .isInstanceOf(DefinitionException.class).hasMessageContaining("search-copy.yaml")
                .hasMessageContaining("duplicate SLO name 'search-timeslices'").hasMessageContaining("search.yaml:");
        Map<String, String> twoPolicies = samples();
        twoPolicies.put("policy/other.yaml", twoPolicies.get("policy/default-policy.yaml"));
        assertThatThrownBy(() -> handler.handleRequest(event("Create", twoPolicies), null))
                .isInstanceOf(DefinitionException.class).hasMessageContaining("policy/other.yaml")
                .hasMessageContaining("policy/default-policy.yaml is one already");
        assertThat(store.definitions()).isEmpty();
    }
}
