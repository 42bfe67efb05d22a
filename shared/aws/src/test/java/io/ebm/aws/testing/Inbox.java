package io.ebm.aws.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * An SQS queue that receives what a test sends out: subscribed to an SNS topic, or the target of an
 * EventBridge rule. Messages are read back as JSON, as a subscriber would see them.
 */
public final class Inbox {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SqsClient sqs;
    private final String url;
    private final String arn;

    private Inbox(SqsClient sqs, String url, String arn) {
        this.sqs = sqs;
        this.url = url;
        this.arn = arn;
    }

    public static Inbox create(SqsClient sqs) {
        String url = sqs.createQueue(b -> b.queueName("inbox-" + UUID.randomUUID())).queueUrl();
        String arn = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        return new Inbox(sqs, url, arn);
    }

    public String url() {
        return url;
    }

    /** A new topic whose messages land here; returns the topic ARN. */
    public String subscribeToNewTopic(SnsClient sns) {
        String topic = sns.createTopic(b -> b.name("alerts-" + UUID.randomUUID())).topicArn();
        sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(arn));
        return topic;
    }

    /** Subscribes this queue to {@code topic} with a subscription filter policy on message attributes. */
    public void subscribe(SnsClient sns, String topic, String filterPolicy) {
        sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(arn)
                .attributes(Map.of("FilterPolicy", filterPolicy)));
    }

    /** A rule on {@code bus} matching {@code source}, targeting this queue. */
    public void receiveEvents(EventBridgeClient events, String bus, String source) {
        String rule = "rule-" + UUID.randomUUID();
        events.putRule(b -> b.name(rule).eventBusName(bus).eventPattern("{\"source\":[\"" + source + "\"]}"));
        events.putTargets(b -> b.rule(rule).eventBusName(bus).targets(t -> t.id("inbox").arn(arn)));
    }

    /** Everything waiting, parsed, and deleted from the queue. */
    public List<JsonNode> drain() {
        List<JsonNode> out = new ArrayList<>();
        while (true) {
            List<Message> batch = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(0))
                    .messages();
            if (batch.isEmpty()) {
                return out;
            }
            for (Message m : batch) {
                try {
                    out.add(JSON.readTree(m.body()));
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new UncheckedIOException(e);
                }
                sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
            }
        }
    }

    /** The SNS message attributes of an SNS envelope, as name → value. */
    public static Map<String, String> attributes(JsonNode envelope) {
        Map<String, String> out = new java.util.TreeMap<>();
        envelope.path("MessageAttributes").fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().path("Value").asText()));
        return out;
    }
}
