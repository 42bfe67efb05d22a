package io.ebm.aws.messaging;

import io.ebm.core.port.StatusChange;
import io.ebm.core.port.StatusEvents;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;

/** Status changes as {@code Error Budget Status Changed} events on an EventBridge bus (schema: docs/events.md). */
public final class EventBridgeStatusEvents implements StatusEvents {

    public static final String SOURCE = "io.ebm.error-budget";
    public static final String DETAIL_TYPE = "Error Budget Status Changed";

    private final EventBridgeClient events;
    private final String busName;

    public EventBridgeStatusEvents(EventBridgeClient events, String busName) {
        this.events = events;
        this.busName = busName;
    }

    @Override
    public void publish(StatusChange change) {
        String text = change.toJson();
        PutEventsResponse r = events.putEvents(b -> b.entries(e -> e.eventBusName(busName).source(SOURCE)
                .detailType(DETAIL_TYPE).time(change.evaluatedAt()).detail(text)
                .resources("ebm:slo/" + change.slo())));
        if (r.failedEntryCount() != null && r.failedEntryCount() > 0) {
            throw new IllegalStateException("PutEvents refused the status event: "
                    + r.entries().get(0).errorCode() + " " + r.entries().get(0).errorMessage());
        }
    }
}
