package io.ebm.aws.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ebm.aws.testing.AwsEndpoint;
import io.ebm.aws.testing.Inbox;
import io.ebm.core.port.AlertNotice;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The filter policies docs/alerting.md documents, on the SNS wire protocol (moto): subscriptions route notices by
 * severity, kind and notification target, and the {@code target} list attribute matches when any target does.
 */
class SnsRoutingTest {

    SnsClient sns;
    String topic;
    Inbox pager;
    Inbox tickets;
    Inbox payments;
    Inbox everything;

    @BeforeEach
    void subscribe() {
        SqsClient sqs = AwsEndpoint.client(SqsClient.builder());
        sns = AwsEndpoint.client(SnsClient.builder());
        everything = Inbox.create(sqs);
        topic = everything.subscribeToNewTopic(sns);
        pager = Inbox.create(sqs);
        pager.subscribe(sns, topic, "{\"severity\": [\"page\"], \"kind\": [\"burn\"]}");
        tickets = Inbox.create(sqs);
        tickets.subscribe(sns, topic, "{\"severity\": [\"ticket\"]}");
        payments = Inbox.create(sqs);
        payments.subscribe(sns, topic, "{\"target\": [\"payments-oncall\"]}");
    }

    static AlertNotice notice(String severity, String kind, String slo, List<String> targets) {
        return new AlertNotice("[" + severity.toUpperCase() + "] FIRING " + slo, "body of " + slo,
                Map.of("severity", severity, "kind", kind, "transition", "FIRING", "slo", slo, "service", "svc",
                        "dedupKey", slo + "/1", "notice", slo + "/1#FIRING"), targets, null);
    }

    static List<String> slos(List<JsonNode> messages) {
        return messages.stream().map(m -> Inbox.attributes(m).get("slo")).sorted().toList();
    }

    @Test
    void subscriptionsReceiveWhatTheirFilterPoliciesSelect() {
        SnsAlertNotifier notifier = new SnsAlertNotifier(sns, topic);
        notifier.publish(notice("page", "burn", "api-availability", List.of()));
        notifier.publish(notice("ticket", "burn", "payments-monthly", List.of("payments-oncall", "finance")));
        notifier.publish(notice("ticket", "noData", "payments-refund", List.of("finance", "payments-oncall")));
        notifier.publish(notice("page", "noData", "search", List.of()));
        notifier.publish(notice("ticket", "policy", "checkout", List.of("release-managers")));

        assertThat(slos(pager.drain())).containsExactly("api-availability"); // a no-data page is not a burn page
        assertThat(slos(tickets.drain())).containsExactly("checkout", "payments-monthly", "payments-refund");
        assertThat(slos(payments.drain())).containsExactly("payments-monthly", "payments-refund");
        List<JsonNode> all = everything.drain();
        assertThat(all).hasSize(5);
        JsonNode withTargets = all.stream().filter(m -> Inbox.attributes(m).get("slo").equals("payments-monthly"))
                .findFirst().orElseThrow();
        assertThat(withTargets.path("MessageAttributes").path("target").path("Type").asText()).isEqualTo("String.Array");
        assertThat(withTargets.path("MessageAttributes").path("target").path("Value").asText())
                .isEqualTo("[\"payments-oncall\",\"finance\"]");
        assertThat(Inbox.attributes(withTargets)).containsEntry("notice", "payments-monthly/1#FIRING")
                .containsEntry("kind", "burn");
    }

    @Test
    void aGroupedNoticeIsOneMessageAtTheMostUrgentSeverityToEveryTarget() {
        AlertNotice combined = AlertNotice.combine(List.of(
                notice("ticket", "burn", "checkout-journey", List.of("payments-oncall")),
                notice("page", "burn", "api-availability", List.of())));
        new SnsAlertNotifier(sns, topic).publish(combined);
        List<JsonNode> paged = pager.drain();
        assertThat(paged).singleElement().satisfies(m -> {
            assertThat(m.path("Subject").asText()).isEqualTo("[PAGE] FIRING 2 SLOs: checkout-journey, api-availability");
            assertThat(Inbox.attributes(m)).containsEntry("slo", "checkout-journey,api-availability")
                    .containsEntry("members", "checkout-journey/1#FIRING api-availability/1#FIRING");
            assertThat(m.path("Message").asText()).contains("body of checkout-journey").contains("body of api-availability");
        });
        assertThat(payments.drain()).hasSize(1);
        assertThat(tickets.drain()).isEmpty();
    }

    @Test
    void emptyAttributeValuesAreLeftOutBecauseSnsRefusesThem() {
        AlertNotice n = new AlertNotice("s", "b", Map.of("severity", "page", "tier", ""), List.of(), null);
        assertThat(SnsAlertNotifier.attributes(n)).containsOnlyKeys("severity");
        new SnsAlertNotifier(sns, topic).publish(n);
        assertThat(everything.drain()).hasSize(1);
    }
}
