package io.ebm.aws.calculator;

import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;

/** Where burn-rate notices go. A failure is an exception: the notice is then not recorded as sent. */
@FunctionalInterface
public interface AlertNotifier {

    void publish(AlertNotice notice);

    /** SNS: subject, body, and the attributes as String message attributes for filter policies. */
    static AlertNotifier sns(SnsClient sns, String topicArn) {
        return notice -> {
            Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
            notice.attributes().forEach((k, v) -> attributes.put(k,
                    MessageAttributeValue.builder().dataType("String").stringValue(v).build()));
            sns.publish(b -> b.topicArn(topicArn).subject(notice.subject()).message(notice.body())
                    .messageAttributes(attributes));
        };
    }
}
