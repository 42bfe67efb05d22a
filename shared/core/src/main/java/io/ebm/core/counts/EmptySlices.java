package io.ebm.core.counts;

/** What a time slice without any event counts as. The default leaves it out of both sides of the ratio. */
public enum EmptySlices {
    EXCLUDE, GOOD, BAD
}
