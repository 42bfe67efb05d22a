package io.ebm.aws.dynamodb;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primarySortKey;

import software.amazon.awssdk.enhanced.dynamodb.extensions.VersionedRecordExtension;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticTableSchema;

/**
 * The latest snapshot of a budget, an alert book, or a policy target: the item kinds written under optimistic
 * locking.
 * The Enhanced client's {@link VersionedRecordExtension} adds the condition on {@code version} and increments
 * it; the schema is declared statically, without reflection, for cold starts.
 */
public final class VersionedItem {

    private String pk;
    private String sk;
    private Long version;
    private String status;
    private Long at;
    private String text;
    private String key;
    private Boolean flag;
    private Long expiresAt;

    static final StaticTableSchema<VersionedItem> SCHEMA = StaticTableSchema.builder(VersionedItem.class)
            .newItemSupplier(VersionedItem::new)
            .addAttribute(String.class, a -> a.name("pk").getter(VersionedItem::pk).setter(VersionedItem::pk)
                    .tags(primaryPartitionKey()))
            .addAttribute(String.class, a -> a.name("sk").getter(VersionedItem::sk).setter(VersionedItem::sk)
                    .tags(primarySortKey()))
            .addAttribute(Long.class, a -> a.name("version").getter(VersionedItem::version)
                    .setter(VersionedItem::version).tags(VersionedRecordExtension.AttributeTags.versionAttribute()))
            .addAttribute(String.class, a -> a.name("status").getter(VersionedItem::status).setter(VersionedItem::status))
            .addAttribute(Long.class, a -> a.name("at").getter(VersionedItem::at).setter(VersionedItem::at))
            .addAttribute(String.class, a -> a.name("text").getter(VersionedItem::text).setter(VersionedItem::text))
            .addAttribute(String.class, a -> a.name("key").getter(VersionedItem::key).setter(VersionedItem::key))
            .addAttribute(Boolean.class, a -> a.name("flag").getter(VersionedItem::flag).setter(VersionedItem::flag))
            .addAttribute(Long.class, a -> a.name(Keys.TTL).getter(VersionedItem::expiresAt)
                    .setter(VersionedItem::expiresAt))
            .build();

    /** Epoch seconds after which DynamoDB's TTL may delete the item; null: kept. */
    public Long expiresAt() {
        return expiresAt;
    }

    public void expiresAt(Long v) {
        expiresAt = v;
    }

    public String pk() {
        return pk;
    }

    public void pk(String v) {
        pk = v;
    }

    public String sk() {
        return sk;
    }

    public void sk(String v) {
        sk = v;
    }

    public Long version() {
        return version;
    }

    public void version(Long v) {
        version = v;
    }

    /** Snapshot status, or alert phase. */
    public String status() {
        return status;
    }

    public void status(String v) {
        status = v;
    }

    /** Epoch milliseconds: evaluatedAt, or the alert phase's start. */
    public Long at() {
        return at;
    }

    public void at(Long v) {
        at = v;
    }

    /** The snapshot's JSON payload. */
    public String text() {
        return text;
    }

    public void text(String v) {
        text = v;
    }

    /** The alert's deduplication key. */
    public String key() {
        return key;
    }

    public void key(String v) {
        key = v;
    }

    /** Whether the alert's last transition was announced. */
    public Boolean flag() {
        return flag;
    }

    public void flag(Boolean v) {
        flag = v;
    }
}
