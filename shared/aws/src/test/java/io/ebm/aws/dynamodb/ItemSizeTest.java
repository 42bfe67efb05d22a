package io.ebm.aws.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import io.ebm.aws.testing.AwsEndpoint;
import io.ebm.core.counts.MinuteCounts;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Item sizes by DynamoDB's rules (attribute name bytes plus value bytes), measured on items as stored. A full
 * hour of counts must fit one write request unit (1 KB) at ordinary traffic.
 */
class ItemSizeTest {

    static long size(Map<String, AttributeValue> item) {
        long bytes = 0;
        for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
            bytes += e.getKey().getBytes(StandardCharsets.UTF_8).length;
            AttributeValue v = e.getValue();
            if (v.s() != null) {
                bytes += v.s().getBytes(StandardCharsets.UTF_8).length;
            } else if (v.n() != null) {
                String digits = v.n().replace("-", "").replace(".", "").replaceAll("^0+", "");
                bytes += (digits.length() + 1) / 2 + 1;
            } else if (v.bool() != null) {
                bytes += 1;
            } else {
                throw new IllegalArgumentException("size rule not written for " + v);
            }
        }
        return bytes;
    }

    private static long fullHour(long goodPerMinute, long totalPerMinute, String series) {
        DynamoDbClient client = AwsEndpoint.dynamoDb();
        String table = "ebm-" + UUID.randomUUID();
        DynamoDbTables.create(client, table, false);
        DynamoDbBudgetStore store = new DynamoDbBudgetStore(client, table);
        NavigableMap<Long, MinuteCounts> hour = new TreeMap<>();
        long start = 29_000_040L; // an hour boundary
        for (long m = start; m < start + 60; m++) {
            hour.put(m, new MinuteCounts(goodPerMinute, totalPerMinute));
        }
        store.upsertCounts(series, hour);
        Map<String, AttributeValue> item = client.getItem(b -> b.tableName(table).key(Map.of(
                Keys.PK, AttributeValue.fromS(Keys.counts(series)),
                Keys.SK, AttributeValue.fromS(Keys.hour(start / 60))))).item();
        assertThat(item).hasSize(63);
        return size(item);
    }

    @Test
    void anHourOfCountsFitsOneWriteUnitBelowAHundredThousandEventsAMinute() {
        String longName = "a".repeat(63);
        // keys: "pk" + "CNT#" + 63 characters, "sk" + "H#00483334"; "expiresAt" + a 10-digit number;
        // minutes: "m00" + "99998/99999", 60 times
        assertThat(fullHour(99_998, 99_999, longName)).isEqualTo(2 + 67 + 2 + 10 + 9 + 6 + 60 * (3 + 11))
                .isLessThanOrEqualTo(1024);
        assertThat(fullHour(998, 1000, "api-availability")).isEqualTo(2 + 20 + 2 + 10 + 9 + 6 + 60 * (3 + 8));
    }

    @Test
    void aMillionEventsAMinuteTakesTwoWriteUnits() {
        assertThat(fullHour(999_998, 1_000_000, "api-availability")).isEqualTo(2 + 20 + 2 + 10 + 9 + 6 + 60 * (3 + 14))
                .isBetween(1025L, 2048L);
    }
}
