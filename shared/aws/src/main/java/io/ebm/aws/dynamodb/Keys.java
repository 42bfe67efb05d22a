package io.ebm.aws.dynamodb;

/**
 * The single-table key design (docs/dynamodb-table.md). Numbers in sort keys are zero-padded so that string
 * order is time order.
 */
final class Keys {

    private Keys() {
    }

    static final String PK = "pk";
    static final String SK = "sk";
    static final String TTL = "expiresAt";

    static String definition(String name) {
        return "DEF#" + name;
    }

    static final String DEFINITIONS = "DEFS";

    static String definitionVersion(long version) {
        return "V#" + pad(version, 10);
    }

    static String counts(String series) {
        return "CNT#" + series;
    }

    static String hour(long epochHour) {
        return "H#" + pad(epochHour, 8);
    }

    /** Notes of the writes to one series' counts, by the writer's time: what a warm calculator reads again. */
    static String countsChanges(String series) {
        return "CHG#" + series;
    }

    /**
     * The sort key of an item filed by time (a counts change note, an incident, an audit entry): the epoch
     * milliseconds, 15 digits so that keys sort as times, then an id that keeps items of one millisecond apart.
     */
    static String timed(long epochMillis, String id) {
        return pad(epochMillis, 15) + "#" + id;
    }

    /** A sort-key bound at a time, for range queries over {@link #timed} keys. */
    static String timedBound(long epochMillis) {
        return pad(Math.max(0, epochMillis), 15);
    }

    static String snapshot(String budget) {
        return "SNAP#" + budget;
    }

    /** The budget a snapshot item's partition key names. */
    static String budgetOfSnapshot(String pk) {
        return pk.substring("SNAP#".length());
    }

    static final String LATEST = "LATEST";

    static String history(long epochMillis, long version) {
        return "H#" + pad(epochMillis, 15) + "#" + pad(version, 10);
    }

    static String historyBound(long epochMillis) {
        return "H#" + pad(epochMillis, 15);
    }

    static String alert(String budget) {
        return "ALERT#" + budget;
    }

    /** The sort key of a budget's alert book under {@link #alert}. */
    static final String BOOK = "BOOK";

    static String incidents(String budget) {
        return "INC#" + budget;
    }

    static String deployments(String service) {
        return "DEPLOY#" + service;
    }

    static String audit(String service) {
        return "AUDIT#" + service;
    }

    static final String OVERRIDES = "OVR";

    /** The undelivered outbox: one partition, read once a run (usually empty). */
    static final String OUTBOX = "OUTBOX";

    static final String MARKS = "MARK";

    /** Confirmations of latest snapshots: a few items, each with one attribute per budget. */
    static final String CONFIRMATIONS = "CONFIRM";
    static final int CONFIRMATION_PARTS = 16;
    static final String CONFIRMATION_PREFIX = "c:";

    static String confirmationPart(String budget) {
        return String.format(java.util.Locale.ROOT, "%02d", Math.floorMod(budget.hashCode(), CONFIRMATION_PARTS));
    }

    static String confirmation(String budget) {
        return CONFIRMATION_PREFIX + budget;
    }

    /** Targets are kept by kind ({@code rule#…}, {@code stage#…}): one partition, one Query for a kind. */
    static String targets(String key) {
        int hash = key.indexOf('#');
        return "TARGET#" + (hash < 0 ? key : key.substring(0, hash));
    }

    static final String ONLY = "-";

    /** Minute attribute of an hour item: m00 … m59. */
    static String minute(long epochMinute) {
        long m = Math.floorMod(epochMinute, 60);
        return m < 10 ? "m0" + m : "m" + m;
    }

    private static String pad(long n, int width) {
        String s = Long.toString(n);
        return "0".repeat(Math.max(0, width - s.length())) + s;
    }
}
