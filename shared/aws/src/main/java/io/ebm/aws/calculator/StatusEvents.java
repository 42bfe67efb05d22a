package io.ebm.aws.calculator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;

/** Where status changes go; the policy function listens there. */
@FunctionalInterface
public interface StatusEvents {

    String SOURCE = "io.ebm.error-budget";
    String DETAIL_TYPE = "Error Budget Status Changed";

    void publish(StatusChange change);

    static StatusEvents eventBridge(EventBridgeClient events, String busName) {
        ObjectMapper json = new ObjectMapper();
        return change -> {
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("slo", change.slo());
            detail.put("service", change.service());
            detail.put("previousStatus", change.previousStatus());
            detail.put("status", change.status());
            detail.put("reason", change.reason());
            detail.put("evaluatedAt", change.evaluatedAt().toString());
            detail.put("snapshotVersion", change.snapshotVersion());
            detail.put("remainingFraction", change.remainingFraction());
            detail.put("burnRates", change.burnRates());
            detail.put("firingTiers", change.firingTiers());
            String text;
            try {
                text = json.writeValueAsString(detail);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            PutEventsResponse r = events.putEvents(b -> b.entries(e -> e.eventBusName(busName).source(SOURCE)
                    .detailType(DETAIL_TYPE).time(change.evaluatedAt()).detail(text)
                    .resources("ebm:slo/" + change.slo())));
            if (r.failedEntryCount() != null && r.failedEntryCount() > 0) {
                throw new IllegalStateException("PutEvents refused the status event: "
                        + r.entries().get(0).errorCode() + " " + r.entries().get(0).errorMessage());
            }
        };
    }
}
