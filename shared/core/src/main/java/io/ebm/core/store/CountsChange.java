package io.ebm.core.store;

/**
 * One write of counts to a series: the minutes [fromMinute, toMinute) it touched, and the store's revision after
 * it. A reader that remembers the revision it last read through asks for the changes after it, and reads again
 * exactly the minutes they name, however old.
 */
public record CountsChange(long revision, long fromMinute, long toMinute) {

    /**
     * What a store answers when it no longer holds every change after the revision asked for (its notes expired):
     * anything may have changed, so the reader reads everything again.
     */
    public static CountsChange anything(long revision) {
        return new CountsChange(revision, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    public boolean isAnything() {
        return fromMinute == Long.MIN_VALUE;
    }
}
