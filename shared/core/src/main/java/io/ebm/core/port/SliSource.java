package io.ebm.core.port;

import io.ebm.core.counts.MinuteCounts;
import io.ebm.core.slo.Slo;
import java.time.Instant;
import java.util.List;
import java.util.NavigableMap;

/**
 * Where SLI counts are read from: CloudWatch in AWS, the generated month in the demo. A source reads every
 * series of the SLOs it is given (an SLO, or one component of a composite) and hands each to the sink as soon as
 * it is read, so that a long range never sits in memory whole.
 */
public interface SliSource {

    /** Receives what a read found, series by series. */
    interface Sink {

        /**
         * One series' minutes in [from, to), by epoch minute; empty when the source had no datapoint.
         * {@code incomplete} names the source's queries that returned only part of the range.
         */
        void counts(String slo, String series, NavigableMap<Long, MinuteCounts> minutes, List<String> incomplete);

        /** A series that could not be read this time, with the reason in words. */
        void failed(String slo, String series, String reason);
    }

    /** What a read cost: the series attempted, the source's queries and calls, and the datapoints received. */
    record Reading(int series, int queries, int calls, long datapoints) {
    }

    /** Reads [from, to) at {@code periodSeconds}; a datapoint's counts go to the minute it starts. */
    Reading read(List<Slo> slos, Instant from, Instant to, int periodSeconds, Sink sink);
}
