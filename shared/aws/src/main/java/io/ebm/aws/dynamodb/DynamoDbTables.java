package io.ebm.aws.dynamodb;

import java.time.Duration;
import software.amazon.awssdk.core.retry.backoff.FixedDelayBackoffStrategy;
import software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveSpecification;
import software.amazon.awssdk.services.dynamodb.waiters.DynamoDbWaiter;

/** Creates the store's table outside CloudFormation: for tests, emulators and local tools. */
public final class DynamoDbTables {

    private DynamoDbTables() {
    }

    /** On-demand, pk/sk strings, TTL on {@code expiresAt}; returns when the table is active. */
    public static void create(DynamoDbClient client, String tableName) {
        create(client, tableName, true);
    }

    /**
     * As {@link #create(DynamoDbClient, String)}; {@code expireByTtl} false leaves TTL off, for tests whose
     * fixed instants an emulator would otherwise expire by today's clock.
     */
    public static void create(DynamoDbClient client, String tableName, boolean expireByTtl) {
        client.createTable(b -> b.tableName(tableName)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        AttributeDefinition.builder().attributeName(Keys.PK).attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName(Keys.SK).attributeType(ScalarAttributeType.S).build())
                .keySchema(
                        KeySchemaElement.builder().attributeName(Keys.PK).keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName(Keys.SK).keyType(KeyType.RANGE).build()));
        // the default waiter polls every 20 s; an emulator is ready at once
        try (DynamoDbWaiter waiter = DynamoDbWaiter.builder().client(client)
                .overrideConfiguration(WaiterOverrideConfiguration.builder()
                        .backoffStrategy(FixedDelayBackoffStrategy.create(Duration.ofMillis(200)))
                        .maxAttempts(150).build())
                .build()) {
            waiter.waitUntilTableExists(b -> b.tableName(tableName));
        }
        if (!expireByTtl) {
            return;
        }
        client.updateTimeToLive(b -> b.tableName(tableName).timeToLiveSpecification(
                TimeToLiveSpecification.builder().attributeName(Keys.TTL).enabled(true).build()));
    }
}
