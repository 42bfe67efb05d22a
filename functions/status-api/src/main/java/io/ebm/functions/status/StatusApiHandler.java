package io.ebm.functions.status;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.ebm.aws.dynamodb.DynamoDbBudgetStore;
import io.ebm.core.port.StructuredLog;
import io.ebm.engine.status.HttpResponse;
import io.ebm.engine.status.StatusApi;
import java.time.Clock;
import java.util.Map;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The status endpoint behind API Gateway, HTTP API (payload 2.0) or REST proxy. Write routes
 * ({@code POST/DELETE /overrides}) are IAM-authorized at API Gateway, and the API checks that a caller is
 * there. Environment: {@code TABLE_NAME}.
 */
public final class StatusApiHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    /** Built once per container, on the first invocation's cold start. */
    private static final class Container {
        static final StatusApi API = new StatusApi(new DynamoDbBudgetStore(DynamoDbClient.builder()
                .httpClient(UrlConnectionHttpClient.create()).build(), System.getenv("TABLE_NAME")),
                StructuredLog.to(System.out), Clock.systemUTC(),
                // snapshots older than this show as NO_DATA unless the policy says otherwise
                io.ebm.aws.lambda.Environment.minutes("STALE_AFTER_MINUTES",
                        io.ebm.core.policy.ReleaseSettings.DEFAULT_STALE_AFTER),
                // the gate and the dashboard answer from one read of the table a second per container
                StatusApi.READ_EVERY);
    }

    private final StatusApi api;

    public StatusApiHandler() {
        this(Container.API);
    }

    StatusApiHandler(StatusApi api) {
        this.api = api;
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        HttpResponse r;
        try {
            r = api.handle(ApiGatewayEvents.toRequest(event));
        } catch (ApiGatewayEvents.BadEvent e) {
            r = StatusApi.problem(400, "Bad request", e.getMessage(), String.valueOf(event.get("rawPath")));
        }
        return ApiGatewayEvents.toEvent(r);
    }
}
