package io.ebm.aws.dynamodb;

import io.ebm.core.counts.MinuteCounts;
import io.ebm.core.deploy.Deployment;
import io.ebm.core.deploy.DeploymentJson;
import io.ebm.core.incident.Incident;
import io.ebm.core.incident.IncidentJson;
import io.ebm.core.policy.ReleaseOverride;
import io.ebm.core.store.AlertRecord;
import io.ebm.core.store.AuditEntry;
import io.ebm.core.store.BudgetStore;
import io.ebm.core.store.CountsChange;
import io.ebm.core.store.Definition;
import io.ebm.core.store.DeploymentRecord;
import io.ebm.core.store.OutboxEntry;
import io.ebm.core.store.SnapshotRecord;
import io.ebm.core.store.TargetRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import software.amazon.awssdk.enhanced.dynamodb.AttributeConverterProvider;
import software.amazon.awssdk.enhanced.dynamodb.AttributeValueType;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.TableMetadata;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.document.EnhancedDocument;
import software.amazon.awssdk.enhanced.dynamodb.extensions.VersionedRecordExtension;
import software.amazon.awssdk.enhanced.dynamodb.model.BatchWriteItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.BatchWriteResult;
import software.amazon.awssdk.enhanced.dynamodb.model.PutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactPutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactWriteItemsEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.UpdateItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.WriteBatch;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The store on one DynamoDB table, through the Enhanced client. Keys, item shapes and access patterns are in
 * docs/dynamodb-table.md. Counts are packed one item per series per hour, a top-level attribute per minute
 * ({@code m00} … {@code m59}, each {@code good/total}), so
 * that a collector tick is one UpdateItem per hour it touches and 30 days read back in a few Query pages.
 */
public final class DynamoDbBudgetStore implements BudgetStore {

    /** Above this many hours in one upsert, existing hours are read once and written back in batches. */
    static final int MAX_HOURS_UPDATED_IN_PLACE = 3;
    private static final int BATCH_SIZE = 25;
    private static final int BATCH_ATTEMPTS = 8;
    private static final int OPTIMISTIC_ATTEMPTS = 10;

    private final DynamoDbEnhancedClient enhanced;
    private final DynamoDbTable<EnhancedDocument> items;
    private final DynamoDbTable<VersionedItem> versioned;
    private final Duration historyRetention;
    private final Duration auditRetention;
    private final Duration countsRetention;
    private final java.time.Clock clock;

    public DynamoDbBudgetStore(DynamoDbClient client, String tableName) {
        this(client, tableName, Duration.ofDays(90), Duration.ofDays(400), Duration.ofDays(400));
    }

    /** Retentions: snapshot history, audit entries and counts expire by TTL this long after their time. */
    public DynamoDbBudgetStore(DynamoDbClient client, String tableName, Duration historyRetention,
                               Duration auditRetention, Duration countsRetention) {
        this(client, tableName, historyRetention, auditRetention, countsRetention, java.time.Clock.systemUTC());
    }

    /** {@code clock} stamps change notes: the writer's real time. */
    public DynamoDbBudgetStore(DynamoDbClient client, String tableName, Duration historyRetention,
                               Duration auditRetention, Duration countsRetention, java.time.Clock clock) {
        this.clock = clock;
        this.enhanced = DynamoDbEnhancedClient.builder().dynamoDbClient(client)
                .extensions(VersionedRecordExtension.builder().build()).build();
        this.items = enhanced.table(tableName, TableSchema.documentSchemaBuilder()
                .addIndexPartitionKey(TableMetadata.primaryIndexName(), Keys.PK, AttributeValueType.S)
                .addIndexSortKey(TableMetadata.primaryIndexName(), Keys.SK, AttributeValueType.S)
                .attributeConverterProviders(AttributeConverterProvider.defaultProvider())
                .build());
        this.versioned = enhanced.table(tableName, VersionedItem.SCHEMA);
        this.historyRetention = historyRetention;
        this.auditRetention = auditRetention;
        this.countsRetention = countsRetention;
    }

    /** An hour item of counts, with its expiry. */
    private EnhancedDocument.Builder hourItem(String series, long hour) {
        return doc(Keys.counts(series), Keys.hour(hour))
                .putNumber(Keys.TTL, Instant.ofEpochSecond((hour + 1) * 3600).plus(countsRetention).getEpochSecond());
    }

    private static EnhancedDocument.Builder doc(String pk, String sk) {
        return EnhancedDocument.builder().attributeConverterProviders(AttributeConverterProvider.defaultProvider())
                .putString(Keys.PK, pk).putString(Keys.SK, sk);
    }

    private static Key key(String pk, String sk) {
        return Key.builder().partitionValue(pk).sortValue(sk).build();
    }

    private static Expression notExists() {
        return Expression.builder().expression("attribute_not_exists(pk)").build();
    }

    // ---------------------------------------------------------------- definitions

    @Override
    public long putDefinition(String name, String document, Instant at) {
        for (int attempt = 0; attempt < OPTIMISTIC_ATTEMPTS; attempt++) {
            EnhancedDocument latest = items.getItem(key(Keys.DEFINITIONS, name));
            long current = latest == null ? 0 : latest.getNumber("version").longValue();
            long next = current + 1;
            EnhancedDocument version = doc(Keys.definition(name), Keys.definitionVersion(next))
                    .putString("name", name).putNumber("version", next).putString("document", document)
                    .putNumber("storedAt", at.toEpochMilli()).build();
            EnhancedDocument pointer = doc(Keys.DEFINITIONS, name)
                    .putString("name", name).putNumber("version", next).putString("document", document)
                    .putNumber("storedAt", at.toEpochMilli()).build();
            Expression pointerUnchanged = current == 0 ? notExists()
                    : Expression.builder().expression("version = :v")
                            .putExpressionValue(":v", AttributeValue.fromN(Long.toString(current))).build();
            try {
                enhanced.transactWriteItems(TransactWriteItemsEnhancedRequest.builder()
                        .addPutItem(items, TransactPutItemEnhancedRequest.builder(EnhancedDocument.class)
                                .item(version).conditionExpression(notExists()).build())
                        .addPutItem(items, TransactPutItemEnhancedRequest.builder(EnhancedDocument.class)
                                .item(pointer).conditionExpression(pointerUnchanged).build())
                        .build());
                return next;
            } catch (TransactionCanceledException raced) {
                // another writer stored a version first: read again and take the next number
            }
        }
        throw new IllegalStateException("could not store definition " + name + " after " + OPTIMISTIC_ATTEMPTS
                + " attempts: too many concurrent writers");
    }

    @Override
    public Optional<Definition> definition(String name) {
        return Optional.ofNullable(items.getItem(key(Keys.DEFINITIONS, name))).map(DynamoDbBudgetStore::definitionOf);
    }

    @Override
    public List<Definition> definitions() {
        List<Definition> out = new ArrayList<>();
        items.query(QueryConditional.keyEqualTo(Key.builder().partitionValue(Keys.DEFINITIONS).build()))
                .items().forEach(d -> out.add(definitionOf(d)));
        return out;
    }

    private static Definition definitionOf(EnhancedDocument d) {
        return new Definition(d.getString("name"), d.getNumber("version").longValue(), d.getString("document"),
                Instant.ofEpochMilli(d.getNumber("storedAt").longValue()));
    }

    // ---------------------------------------------------------------- counts

    @Override
    public void upsertCounts(String series, NavigableMap<Long, MinuteCounts> minutes) {
        if (minutes.isEmpty()) {
            return;
        }
        Map<Long, NavigableMap<Long, MinuteCounts>> byHour = new TreeMap<>();
        for (Map.Entry<Long, MinuteCounts> e : minutes.entrySet()) {
            byHour.computeIfAbsent(Math.floorDiv(e.getKey(), 60), h -> new TreeMap<>()).put(e.getKey(), e.getValue());
        }
        if (byHour.size() <= MAX_HOURS_UPDATED_IN_PLACE) {
            // a collector tick: one UpdateItem per hour, setting only the minutes given
            for (Map.Entry<Long, NavigableMap<Long, MinuteCounts>> h : byHour.entrySet()) {
                EnhancedDocument.Builder d = hourItem(series, h.getKey());
                h.getValue().forEach((minute, c) -> d.putString(Keys.minute(minute), encode(c)));
                items.updateItem(UpdateItemEnhancedRequest.builder(EnhancedDocument.class).item(d.build())
                        .ignoreNulls(true).build());
            }
            noteChange(series, minutes.firstKey(), minutes.lastKey() + 1);
            return;
        }
        // a backfill: merge with the stored hours, then write whole hours in batches
        long firstMinute = minutes.firstKey();
        NavigableMap<Long, MinuteCounts> merged = counts(series, Math.floorDiv(firstMinute, 60) * 60,
                (Math.floorDiv(minutes.lastKey(), 60) + 1) * 60);
        merged.putAll(minutes);
        List<EnhancedDocument> hours = new ArrayList<>();
        Map<Long, EnhancedDocument.Builder> builders = new TreeMap<>();
        for (Map.Entry<Long, MinuteCounts> e : merged.entrySet()) {
            long hour = Math.floorDiv(e.getKey(), 60);
            builders.computeIfAbsent(hour, h -> hourItem(series, h))
                    .putString(Keys.minute(e.getKey()), encode(e.getValue()));
        }
        builders.values().forEach(b -> hours.add(b.build()));
        for (int i = 0; i < hours.size(); i += BATCH_SIZE) {
            writeBatch(hours.subList(i, Math.min(hours.size(), i + BATCH_SIZE)));
        }
        noteChange(series, minutes.firstKey(), minutes.lastKey() + 1);
    }

    /** How long change notes are kept; a reader further behind reads everything again. */
    static final Duration CHANGES_KEPT = Duration.ofHours(24);
    /**
     * Revisions are writers' clocks: a note may land a little after a reader took a later revision (clock skew,
     * a slow write). Readers ask again for this much before their revision; reading a minute twice is harmless.
     */
    static final Duration CHANGES_TOLERANCE = Duration.ofMinutes(5);

    /** Written after the counts: a failure here fails the write, and the collector writes it all again. */
    private void noteChange(String series, long fromMinute, long toMinute) {
        long now = clock.millis();
        if (fromMinute >= Math.floorDiv(now, 60_000) - RECENT_MINUTES) {
            return; // a usual collector tick: every reader reads these minutes again anyway (one request saved)
        }
        items.putItem(doc(Keys.countsChanges(series), Keys.timed(now, java.util.UUID.randomUUID().toString()))
                .putNumber("revision", now).putNumber("fromMinute", fromMinute).putNumber("toMinute", toMinute)
                .putNumber(Keys.TTL, Instant.ofEpochMilli(now).plus(CHANGES_KEPT).getEpochSecond()).build());
    }

    @Override
    public long countsRevision() {
        return clock.millis();
    }

    @Override
    public List<CountsChange> countsChanges(String series, long afterRevision) {
        long now = clock.millis();
        if (afterRevision < now - CHANGES_KEPT.toMillis() + CHANGES_TOLERANCE.toMillis()) {
            return List.of(CountsChange.anything(now)); // notes this old may have expired
        }
        QueryConditional after = QueryConditional.sortGreaterThan(Key.builder()
                .partitionValue(Keys.countsChanges(series))
                .sortValue(Keys.timedBound(afterRevision - CHANGES_TOLERANCE.toMillis())).build());
        List<CountsChange> out = new ArrayList<>();
        items.query(QueryEnhancedRequest.builder().queryConditional(after).consistentRead(true).build()).items()
                .forEach(d -> out.add(new CountsChange(d.getNumber("revision").longValue(),
                        d.getNumber("fromMinute").longValue(), d.getNumber("toMinute").longValue())));
        return out;
    }

    /** BatchWriteItem, retrying UnprocessedItems with exponential backoff until all are written. */
    private void writeBatch(List<EnhancedDocument> batch) {
        List<EnhancedDocument> pending = batch;
        for (int attempt = 0; attempt < BATCH_ATTEMPTS && !pending.isEmpty(); attempt++) {
            if (attempt > 0) {
                sleep(Math.min(5_000, 50L << attempt));
            }
            WriteBatch.Builder<EnhancedDocument> wb = WriteBatch.builder(EnhancedDocument.class).mappedTableResource(items);
            pending.forEach(wb::addPutItem);
            BatchWriteResult result = enhanced.batchWriteItem(BatchWriteItemEnhancedRequest.builder()
                    .writeBatches(wb.build()).build());
            pending = result.unprocessedPutItemsForTable(items);
        }
        if (!pending.isEmpty()) {
            throw new IllegalStateException(pending.size() + " count items still unprocessed after "
                    + BATCH_ATTEMPTS + " BatchWriteItem attempts");
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying a batch write", e);
        }
    }

    /**
     * A minute as {@code good/total}: readable in the console, and 60 of them fit a 1 KB item (one write
     * request unit) while a minute holds fewer than 100,000 events.
     */
    static String encode(MinuteCounts c) {
        return c.toText();
    }

    static MinuteCounts decode(String series, long minute, String text) {
        return MinuteCounts.parse(series, minute, text);
    }

    @Override
    public void forEachCount(String series, long fromMinute, long toMinute, MinuteSink sink) {
        if (toMinute <= fromMinute) {
            return;
        }
        long fromHour = Math.floorDiv(fromMinute, 60);
        long toHour = Math.floorDiv(toMinute - 1, 60);
        QueryConditional range = QueryConditional.sortBetween(
                Key.builder().partitionValue(Keys.counts(series)).sortValue(Keys.hour(fromHour)).build(),
                Key.builder().partitionValue(Keys.counts(series)).sortValue(Keys.hour(toHour)).build());
        items.query(QueryEnhancedRequest.builder().queryConditional(range).build()).items().forEach(d -> {
            long hour = Long.parseLong(d.getString(Keys.SK).substring(2));
            Map<String, AttributeValue> attributes = d.toMap();
            // items come in hour order; the minutes of one are read in minute order
            for (int i = 0; i < 60; i++) {
                AttributeValue v = attributes.get(MINUTE_NAMES[i]);
                long minute = hour * 60 + i;
                if (v != null && minute >= fromMinute && minute < toMinute) {
                    sink.minute(minute, decode(series, minute, v.s()));
                }
            }
        });
    }

    private static final String[] MINUTE_NAMES = java.util.stream.IntStream.range(0, 60)
            .mapToObj(i -> String.format(java.util.Locale.ROOT, "m%02d", i)).toArray(String[]::new);

    // ---------------------------------------------------------------- snapshots

    @Override
    public boolean commitEvaluation(SnapshotRecord s, List<AlertRecord> alerts, List<Incident> changed,
                                    List<OutboxEntry> outbox) {
        VersionedItem latest = new VersionedItem();
        latest.pk(Keys.snapshot(s.budget()));
        latest.sk(Keys.LATEST);
        latest.version(s.version() <= 1 ? null : s.version() - 1);
        latest.status(s.status());
        latest.at(s.evaluatedAt().toEpochMilli());
        latest.text(s.payload());
        EnhancedDocument history = doc(Keys.snapshot(s.budget()), Keys.history(s.evaluatedAt().toEpochMilli(), s.version()))
                .putString("status", s.status()).putNumber("at", s.evaluatedAt().toEpochMilli())
                .putNumber("version", s.version()).putString("text", s.payload())
                .putNumber(Keys.TTL, s.evaluatedAt().plus(historyRetention).getEpochSecond()).build();
        if (alerts.isEmpty() && changed.isEmpty() && outbox.isEmpty()) {
            // nothing to announce (the hourly rewrite): two writes instead of a transaction, half the write units;
            // the latest first, on its version, then its history point, which a failure between them leaves out
            try {
                versioned.putItem(latest);
            } catch (ConditionalCheckFailedException lost) {
                return false;
            }
            try {
                items.putItem(PutItemEnhancedRequest.builder(EnhancedDocument.class).item(history).conditionExpression(notExists()).build());
            } catch (ConditionalCheckFailedException already) {
                // a repeated write of this version: the point is there
            }
            return true;
        }
        TransactWriteItemsEnhancedRequest.Builder tx = TransactWriteItemsEnhancedRequest.builder()
                .addPutItem(versioned, latest)
                .addPutItem(items, TransactPutItemEnhancedRequest.builder(EnhancedDocument.class)
                        .item(history).conditionExpression(notExists()).build());
        alerts.forEach(a -> tx.addPutItem(versioned, alertItem(a)));
        changed.forEach(i -> tx.addPutItem(items, incidentItem(i)));
        outbox.forEach(e -> tx.addPutItem(items, outboxItem(e)));
        try {
            enhanced.transactWriteItems(tx.build());
            return true;
        } catch (TransactionCanceledException lost) {
            return false;
        }
    }

    // ---------------------------------------------------------------- outbox

    /** How long an undelivered entry is kept: far past any alarm on a topic that refuses every message. */
    private static final Duration OUTBOX_RETENTION = Duration.ofDays(7);

    private EnhancedDocument outboxItem(OutboxEntry e) {
        EnhancedDocument.Builder d = doc(Keys.OUTBOX, e.id()).putString("kind", e.kind()).putString("budget", e.budget())
                .putNumber("createdAt", e.createdAt().toEpochMilli()).putString("payload", e.payload())
                .putNumber(Keys.TTL, e.createdAt().plus(OUTBOX_RETENTION).getEpochSecond());
        if (e.leaseUntil() != null) {
            d.putNumber("leaseUntil", e.leaseUntil().toEpochMilli());
        }
        return d.build();
    }

    @Override
    public List<OutboxEntry> pendingOutbox() {
        List<OutboxEntry> out = new ArrayList<>();
        items.query(QueryEnhancedRequest.builder()
                .queryConditional(QueryConditional.keyEqualTo(Key.builder().partitionValue(Keys.OUTBOX).build()))
                .consistentRead(true).build()).items().forEach(d -> out.add(new OutboxEntry(d.getString(Keys.SK),
                d.getString("kind"), d.getString("budget"), Instant.ofEpochMilli(d.getNumber("createdAt").longValue()),
                d.getString("payload"), d.isPresent("leaseUntil") && !d.isNull("leaseUntil")
                        ? Instant.ofEpochMilli(d.getNumber("leaseUntil").longValue()) : null)));
        out.sort(java.util.Comparator.comparing(OutboxEntry::createdAt).thenComparing(OutboxEntry::id));
        return out;
    }

    @Override
    public boolean leaseOutbox(String id, Instant now, Instant until) {
        try {
            items.updateItem(UpdateItemEnhancedRequest.builder(EnhancedDocument.class)
                    .item(doc(Keys.OUTBOX, id).putNumber("leaseUntil", until.toEpochMilli()).build())
                    .ignoreNulls(true)
                    .conditionExpression(Expression.builder()
                            .expression("attribute_exists(pk) AND (attribute_not_exists(leaseUntil) OR leaseUntil <= :now)")
                            .putExpressionValue(":now", AttributeValue.fromN(Long.toString(now.toEpochMilli())))
                            .build())
                    .build());
            return true;
        } catch (ConditionalCheckFailedException held) {
            return false;
        }
    }

    @Override
    public void deliveredOutbox(String id) {
        items.deleteItem(key(Keys.OUTBOX, id));
    }

    // ---------------------------------------------------------------- what the policy manages

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    @Override
    public Optional<TargetRecord> target(String key) {
        VersionedItem i = versioned.getItem(r -> r.key(key(Keys.targets(key), key)).consistentRead(true));
        return i == null ? Optional.empty() : Optional.of(target(i));
    }

    @Override
    public List<TargetRecord> targets(String keyPrefix) {
        List<TargetRecord> out = new ArrayList<>();
        versioned.query(QueryEnhancedRequest.builder()
                .queryConditional(QueryConditional.sortBeginsWith(Key.builder()
                        .partitionValue(Keys.targets(keyPrefix)).sortValue(keyPrefix).build()))
                .consistentRead(true).build()).items().forEach(i -> out.add(target(i)));
        return out;
    }

    private static TargetRecord target(VersionedItem i) {
        try {
            com.fasterxml.jackson.databind.JsonNode t = JSON.readTree(i.text());
            return new TargetRecord(i.sk(), i.status(), Boolean.TRUE.equals(i.flag()),
                    t.path("owner").isBoolean() ? t.path("owner").asBoolean() : null,
                    t.path("allowSince").isNumber() ? Instant.ofEpochMilli(t.path("allowSince").asLong()) : null,
                    i.at() == null ? null : Instant.ofEpochMilli(i.at()), i.key(), i.version());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("stored target " + i.sk() + " is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    @Override
    public boolean commitTarget(TargetRecord r, List<OutboxEntry> outbox) {
        VersionedItem i = new VersionedItem();
        i.pk(Keys.targets(r.key()));
        i.sk(r.key());
        i.version(r.version() <= 1 ? null : r.version() - 1);
        i.status(r.service());
        i.flag(r.engaged());
        i.at(r.decidedAt() == null ? null : r.decidedAt().toEpochMilli());
        i.key(r.reason());
        com.fasterxml.jackson.databind.node.ObjectNode t = JSON.createObjectNode();
        if (r.ownerValue() != null) {
            t.put("owner", r.ownerValue());
        }
        if (r.allowSince() != null) {
            t.put("allowSince", r.allowSince().toEpochMilli());
        }
        i.text(t.toString());
        TransactWriteItemsEnhancedRequest.Builder tx = TransactWriteItemsEnhancedRequest.builder().addPutItem(versioned, i);
        outbox.forEach(e -> tx.addPutItem(items, outboxItem(e)));
        try {
            enhanced.transactWriteItems(tx.build());
            return true;
        } catch (TransactionCanceledException lost) {
            return false;
        }
    }

    // ---------------------------------------------------------------- marks

    @Override
    public Map<String, Long> marks(String prefix) {
        Map<String, Long> out = new TreeMap<>();
        items.query(QueryEnhancedRequest.builder()
                .queryConditional(QueryConditional.sortBeginsWith(
                        Key.builder().partitionValue(Keys.MARKS).sortValue(prefix).build()))
                .consistentRead(true).build()).items()
                .forEach(d -> out.put(d.getString(Keys.SK), d.getNumber("value").longValue()));
        return out;
    }

    /**
     * Confirmations live in {@value Keys#CONFIRMATION_PARTS} items, a budget's by the hash of its name, one
     * attribute each: a run of 1,000 budgets writes 16 small items, not 1,000 snapshots.
     */
    @Override
    public void confirmLatest(Instant at, java.util.Collection<String> budgets) {
        Map<String, EnhancedDocument.Builder> parts = new TreeMap<>();
        for (String b : budgets) {
            String part = Keys.confirmationPart(b);
            parts.computeIfAbsent(part, p -> doc(Keys.CONFIRMATIONS, p)).putNumber(Keys.confirmation(b),
                    at.getEpochSecond());
        }
        for (EnhancedDocument.Builder d : parts.values()) {
            items.updateItem(UpdateItemEnhancedRequest.builder(EnhancedDocument.class).item(d.build())
                    .ignoreNulls(true).build());
        }
    }

    @Override
    public Map<String, Instant> confirmations() {
        Map<String, Instant> out = new java.util.HashMap<>();
        items.query(QueryEnhancedRequest.builder()
                .queryConditional(QueryConditional.keyEqualTo(Key.builder().partitionValue(Keys.CONFIRMATIONS).build()))
                .consistentRead(true).build()).items().forEach(d -> {
                    for (Map.Entry<String, AttributeValue> a : d.toMap().entrySet()) {
                        if (a.getKey().startsWith(Keys.CONFIRMATION_PREFIX)) {
                            out.put(a.getKey().substring(Keys.CONFIRMATION_PREFIX.length()),
                                    Instant.ofEpochSecond(Long.parseLong(a.getValue().n())));
                        }
                    }
                });
        return out;
    }

    @Override
    public void putMark(String key, long value) {
        items.putItem(doc(Keys.MARKS, key).putNumber("value", value).build());
    }

    @Override
    public void clearMark(String key) {
        items.deleteItem(key(Keys.MARKS, key));
    }

    @Override
    public Optional<SnapshotRecord> latestSnapshot(String budget) {
        VersionedItem i = versioned.getItem(key(Keys.snapshot(budget), Keys.LATEST));
        return i == null ? Optional.empty()
                : Optional.of(new SnapshotRecord(budget, Instant.ofEpochMilli(i.at()), i.status(), i.version(), i.text()));
    }

    @Override
    public List<SnapshotRecord> snapshotHistory(String budget, Instant from, Instant to) {
        List<SnapshotRecord> out = new ArrayList<>();
        if (!to.isAfter(from)) {
            return out;
        }
        QueryConditional range = QueryConditional.sortBetween(
                Key.builder().partitionValue(Keys.snapshot(budget)).sortValue(Keys.historyBound(from.toEpochMilli())).build(),
                Key.builder().partitionValue(Keys.snapshot(budget))
                        .sortValue(Keys.historyBound(to.toEpochMilli() - 1) + "#~").build());
        items.query(QueryEnhancedRequest.builder().queryConditional(range).build()).items().forEach(d ->
                out.add(new SnapshotRecord(budget, Instant.ofEpochMilli(d.getNumber("at").longValue()),
                        d.getString("status"), d.getNumber("version").longValue(), d.getString("text"))));
        return out;
    }

    // ---------------------------------------------------------------- alert books and incidents

    @Override
    public boolean putAlertState(AlertRecord r) {
        try {
            versioned.putItem(alertItem(r));
            return true;
        } catch (ConditionalCheckFailedException lost) {
            return false;
        }
    }

    private static VersionedItem alertItem(AlertRecord r) {
        VersionedItem i = new VersionedItem();
        i.pk(Keys.alert(r.budget()));
        i.sk(Keys.BOOK);
        i.version(r.version() <= 1 ? null : r.version() - 1);
        i.text(IncidentJson.toJson(r.book()));
        return i;
    }

    /** BatchGetItem, 100 keys a request, strongly consistent; what a response leaves unprocessed is asked again. */
    @Override
    public Map<String, SnapshotRecord> latestSnapshots(java.util.Collection<String> budgets) {
        Map<String, SnapshotRecord> out = new java.util.HashMap<>();
        List<String> all = List.copyOf(new java.util.LinkedHashSet<>(budgets));
        for (int from = 0; from < all.size(); from += 100) {
            software.amazon.awssdk.enhanced.dynamodb.model.ReadBatch.Builder<VersionedItem> batch =
                    software.amazon.awssdk.enhanced.dynamodb.model.ReadBatch.builder(VersionedItem.class)
                            .mappedTableResource(versioned);
            for (String b : all.subList(from, Math.min(all.size(), from + 100))) {
                batch.addGetItem(software.amazon.awssdk.enhanced.dynamodb.model.GetItemEnhancedRequest.builder()
                        .key(key(Keys.snapshot(b), Keys.LATEST)).consistentRead(true).build());
            }
            enhanced.batchGetItem(software.amazon.awssdk.enhanced.dynamodb.model.BatchGetItemEnhancedRequest
                    .builder().readBatches(batch.build()).build()).resultsForTable(versioned).forEach(i -> {
                        String budget = Keys.budgetOfSnapshot(i.pk());
                        out.put(budget, new SnapshotRecord(budget, Instant.ofEpochMilli(i.at()), i.status(),
                                i.version(), i.text()));
                    });
        }
        return out;
    }

    @Override
    public Optional<AlertRecord> alertState(String budget) {
        VersionedItem i = versioned.getItem(key(Keys.alert(budget), Keys.BOOK));
        return i == null ? Optional.empty() : Optional.of(new AlertRecord(IncidentJson.book(i.text()), i.version()));
    }

    /** An incident, replacing the item of its id; kept as long as the audit log after it opened. */
    private EnhancedDocument incidentItem(Incident i) {
        EnhancedDocument.Builder d = doc(Keys.incidents(i.slo()), Keys.timed(i.openedAt().toEpochMilli(), i.id()))
                .putString("payload", IncidentJson.toJson(i))
                .putNumber(Keys.TTL, i.openedAt().plus(auditRetention).getEpochSecond());
        if (i.resolvedAt() != null) {
            d.putNumber("resolvedAt", i.resolvedAt().toEpochMilli());
        }
        return d.build();
    }

    @Override
    public List<Incident> incidents(String budget, Instant from, Instant to) {
        List<Incident> out = new ArrayList<>();
        if (!to.isAfter(from)) {
            return out;
        }
        // incidents are few (a handful a month): every one opened before the end, filtered by when it resolved
        QueryConditional opened = QueryConditional.sortLessThan(Key.builder().partitionValue(Keys.incidents(budget))
                .sortValue(Keys.timedBound(to.toEpochMilli())).build());
        items.query(QueryEnhancedRequest.builder().queryConditional(opened).build()).items().forEach(d -> {
            Incident i = IncidentJson.incident(d.getString("payload"));
            if (i.openDuring(from, to)) {
                out.add(i);
            }
        });
        return out;
    }

    // ---------------------------------------------------------------- deployments

    @Override
    public boolean putDeployment(DeploymentRecord r) {
        Deployment d = r.deployment();
        VersionedItem i = new VersionedItem();
        i.pk(Keys.deployments(d.service()));
        i.sk(d.key());
        i.version(r.version() <= 1 ? null : r.version() - 1);
        i.text(DeploymentJson.toJson(d));
        Instant seen = d.firstSeen();
        i.expiresAt(seen == null ? null : seen.plus(auditRetention).getEpochSecond());
        try {
            versioned.putItem(i);
            return true;
        } catch (ConditionalCheckFailedException lost) {
            return false;
        }
    }

    @Override
    public Optional<DeploymentRecord> deployment(String service, String pipeline, String execution) {
        VersionedItem i = versioned.getItem(r -> r.key(key(Keys.deployments(service), pipeline + "#" + execution))
                .consistentRead(true));
        return i == null ? Optional.empty()
                : Optional.of(new DeploymentRecord(DeploymentJson.fromJson(i.text()), i.version()));
    }

    @Override
    public List<Deployment> deployments(String service, Instant from, Instant to) {
        // a service's deployments are a few a day, kept as long as the audit log: read them all, pick in memory
        List<Deployment> all = new ArrayList<>();
        versioned.query(QueryEnhancedRequest.builder().queryConditional(QueryConditional.keyEqualTo(
                Key.builder().partitionValue(Keys.deployments(service)).build())).build())
                .items().forEach(i -> all.add(DeploymentJson.fromJson(i.text())));
        return Deployment.select(all, from, to);
    }

    // ---------------------------------------------------------------- audit

    @Override
    public void appendAudit(AuditEntry e) {
        try {
            items.putItem(PutItemEnhancedRequest.builder(EnhancedDocument.class)
                .item(doc(Keys.audit(e.service()), Keys.timed(e.at().toEpochMilli(), e.id()))
                        .putString("id", e.id()).putNumber("at", e.at().toEpochMilli()).putString("actor", e.actor())
                        .putString("what", e.what()).putString("why", e.why())
                        .putNumber("snapshotVersion", e.snapshotVersion())
                        .putNumber(Keys.TTL, e.at().plus(auditRetention).getEpochSecond()).build())
                .conditionExpression(notExists()).build());
        } catch (ConditionalCheckFailedException recorded) {
            // this entry is in the log already (a retried action): the first record stands
        }
    }

    @Override
    public List<AuditEntry> audit(String service, Instant from, Instant to) {
        List<AuditEntry> out = new ArrayList<>();
        if (!to.isAfter(from)) {
            return out;
        }
        QueryConditional range = QueryConditional.sortBetween(
                Key.builder().partitionValue(Keys.audit(service)).sortValue(Keys.timed(from.toEpochMilli(), "")).build(),
                Key.builder().partitionValue(Keys.audit(service))
                        .sortValue(Keys.timed(to.toEpochMilli() - 1, "~")).build());
        items.query(QueryEnhancedRequest.builder().queryConditional(range).build()).items().forEach(d ->
                out.add(new AuditEntry(d.getString("id"), service, Instant.ofEpochMilli(d.getNumber("at").longValue()),
                        d.getString("actor"), d.getString("what"), d.getString("why"),
                        d.getNumber("snapshotVersion").longValue())));
        return out;
    }

    // ---------------------------------------------------------------- overrides

    @Override
    public void putOverride(ReleaseOverride o) {
        EnhancedDocument.Builder d = doc(Keys.OVERRIDES, o.id()).putString("service", o.service())
                .putNumber("expires", o.expires().toEpochMilli()).putString("reason", o.reason())
                .putString("author", o.author()).putBoolean("revoked", false);
        if (o.stage() != null) {
            d.putString("stage", o.stage());
        }
        items.putItem(d.build());
    }

    @Override
    public List<ReleaseOverride> overrides(String service) {
        List<ReleaseOverride> out = new ArrayList<>();
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":s", AttributeValue.fromS(service));
        values.put(":f", AttributeValue.fromBool(false));
        items.query(QueryEnhancedRequest.builder()
                .queryConditional(QueryConditional.keyEqualTo(Key.builder().partitionValue(Keys.OVERRIDES).build()))
                .filterExpression(Expression.builder().expression("service = :s AND revoked = :f")
                        .expressionValues(values).build())
                .build()).items().forEach(d -> out.add(new ReleaseOverride(d.getString(Keys.SK), d.getString("service"),
                d.getString("stage"), Instant.ofEpochMilli(d.getNumber("expires").longValue()), d.getString("reason"),
                d.getString("author"))));
        return out;
    }

    @Override
    public boolean revokeOverride(String id) {
        try {
            items.updateItem(UpdateItemEnhancedRequest.builder(EnhancedDocument.class)
                    .item(doc(Keys.OVERRIDES, id).putBoolean("revoked", true).build())
                    .ignoreNulls(true)
                    .conditionExpression(Expression.builder().expression("attribute_exists(pk) AND revoked = :f")
                            .putExpressionValue(":f", AttributeValue.fromBool(false)).build())
                    .build());
            return true;
        } catch (ConditionalCheckFailedException none) {
            return false;
        }
    }

    // ---------------------------------------------------------------- idempotency

}
