package io.ebm.aws.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ebm.core.port.AlertNotice;
import io.ebm.core.port.AlertNotifier;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;

/**
 * Notices on an SNS topic: subject, body, the attributes as String message attributes, and the notification
 * targets as one {@code String.Array} attribute {@code target}, so that a subscription's filter policy can route
 * by severity, kind, service, or target (a filter on an array attribute matches when any element matches).
 */
public final class SnsAlertNotifier implements AlertNotifier {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SnsClient sns;
    private final String topicArn;

    public SnsAlertNotifier(SnsClient sns, String topicArn) {
        this.sns = sns;
        this.topicArn = topicArn;
    }

    @Override
    public void publish(AlertNotice notice) {
        sns.publish(b -> b.topicArn(topicArn).subject(notice.subject()).message(notice.body())
                .messageAttributes(attributes(notice)));
    }

    static Map<String, MessageAttributeValue> attributes(AlertNotice notice) {
        Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
        notice.attributes().forEach((k, v) -> {
            if (v != null && !v.isEmpty()) { // SNS refuses empty values
                attributes.put(k, MessageAttributeValue.builder().dataType("String").stringValue(v).build());
            }
        });
        if (!notice.targets().isEmpty()) {
            attributes.put("target", MessageAttributeValue.builder().dataType("String.Array")
                    .stringValue(JSON.createArrayNode().addAll(notice.targets().stream()
                            .map(JSON.getNodeFactory()::textNode).toList()).toString()).build());
        }
        return attributes;
    }
}
