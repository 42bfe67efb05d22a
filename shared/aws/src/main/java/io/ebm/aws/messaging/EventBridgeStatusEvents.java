package io.ebm.aws.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ebm.core.port.StatusChange;
import io.ebm.core.port.StatusEvents;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;

/** Status changes as {@code Error Budget Status Changed} events on an EventBridge bus (schema: docs/events.md). */
public final class EventBridgeStatusEvents implements StatusEvents {

    public static final String SOURCE = "io.ebm.error-budget";
    public static final String DETAIL_TYPE = "Error Budget Status Changed";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final EventBridgeClient events;
    private final String busName;

    public EventBridgeStatusEvents(EventBridgeClient events, String busName) {
        this.events = events;
        this.busName = busName;
    }

    @Override
    public void publish(StatusChange change) {
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
            text = JSON.writeValueAsString(detail);
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
    }
}
