package io.ebm.aws.messaging;

import io.ebm.core.port.AlertNotice;
import io.ebm.core.port.AlertNotifier;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;

/** Notices on an SNS topic: subject, body, and the attributes as String message attributes for filter policies. */
public final class SnsAlertNotifier implements AlertNotifier {

    private final SnsClient sns;
    private final String topicArn;

    public SnsAlertNotifier(SnsClient sns, String topicArn) {
        this.sns = sns;
        this.topicArn = topicArn;
    }

    @Override
    public void publish(AlertNotice notice) {
        Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
        notice.attributes().forEach((k, v) -> attributes.put(k,
                MessageAttributeValue.builder().dataType("String").stringValue(v).build()));
        sns.publish(b -> b.topicArn(topicArn).subject(notice.subject()).message(notice.body())
                .messageAttributes(attributes));
    }
}
