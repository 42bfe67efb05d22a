package io.ebm.functions.definitions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.ebm.aws.dynamodb.DynamoDbBudgetStore;
import io.ebm.core.port.StructuredLog;
import io.ebm.core.store.AuditEntry;
import io.ebm.core.store.BudgetStore;
import io.ebm.core.store.Definition;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The deployment's SLO and policy files into the store, as a CloudFormation custom resource (the CDK provider
 * framework calls it with {@code RequestType} and {@code ResourceProperties.Definitions}: file name to text,
 * policies under {@code policy/}).
 *
 * <p>All files are validated together before anything is written: a bad file fails the deployment with the
 * loader's message (file, document, field) and the store keeps what it had. A file whose text is unchanged
 * gets no new version. The deployed set is the truth: a stored definition that is no longer in it is removed
 * (an empty last version; its history stays, and the audit log says which deployment removed it and when), so
 * that a deleted SLO stops gating and a renamed policy is not left in force. Deleting the stack keeps the
 * definitions, as it keeps the table.
 * Environment: {@code TABLE_NAME}.
 */
public final class DefinitionsLoaderHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    static final String PHYSICAL_ID = "ebm-definitions";

    /** The audit log's "service" for changes to the deployed set. */
    static final String DEFINITIONS_LOG = "definitions";

    private static final class Container {
        static final BudgetStore STORE = new DynamoDbBudgetStore(DynamoDbClient.builder()
                .httpClient(UrlConnectionHttpClient.create()).build(), System.getenv("TABLE_NAME"));
        static final StructuredLog LOG = StructuredLog.to(System.out);
    }

    private final BudgetStore store;
    private final StructuredLog log;
    private final Clock clock;

    public DefinitionsLoaderHandler() {
        this(Container.STORE, Container.LOG, Clock.systemUTC());
    }

    DefinitionsLoaderHandler(BudgetStore store, StructuredLog log, Clock clock) {
        this.store = store;
        this.log = log;
        this.clock = clock;
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        String type = String.valueOf(event.get("RequestType"));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("PhysicalResourceId", PHYSICAL_ID);
        if ("Delete".equals(type)) {
            log.info("definitions kept on delete", Map.of());
            return out;
        }
        if (!"Create".equals(type) && !"Update".equals(type)) {
            throw new IllegalArgumentException("RequestType must be Create, Update or Delete, got " + type);
        }
        Map<String, String> files = definitions(event);
        Definition.validateAll(files);
        List<String> written = files.entrySet().stream()
                .filter(f -> !f.getValue().equals(store.definition(f.getKey()).map(Definition::document).orElse(null)))
                .map(Map.Entry::getKey).toList();
        written.forEach(name -> store.putDefinition(name, files.get(name), clock.instant()));
        String by = "cloudformation " + event.getOrDefault("StackId", "?") + " request " + event.getOrDefault("RequestId", "?");
        List<String> removed = store.definitions().stream()
                .filter(d -> !d.isRemoved() && !files.containsKey(d.name())).map(Definition::name).toList();
        for (String name : removed) {
            Instant now = clock.instant();
            store.putDefinition(name, "", now);
            store.appendAudit(new AuditEntry("definition#" + name + "#" + now.toEpochMilli(), DEFINITIONS_LOG, now, by,
                    "remove definition " + name, "no longer in the deployed set", 0));
        }
        log.info("definitions loaded", Map.of("files", files.size(), "written", written, "removed", removed,
                "requestType", type));
        out.put("Data", Map.of("Files", files.size(), "Written", written.size(), "Removed", removed.size()));
        return out;
    }

    private static Map<String, String> definitions(Map<String, Object> event) {
        if (!(event.get("ResourceProperties") instanceof Map<?, ?> props)
                || !(props.get("Definitions") instanceof Map<?, ?> files) || files.isEmpty()) {
            throw new IllegalArgumentException("ResourceProperties.Definitions must map file names to their text");
        }
        Map<String, String> out = new TreeMap<>();
        files.forEach((k, v) -> {
            if (!(v instanceof String text)) {
                throw new IllegalArgumentException("ResourceProperties.Definitions." + k + " must be the file's text");
            }
            out.put(String.valueOf(k), text);
        });
        return out;
    }
}
