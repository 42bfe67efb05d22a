package io.ebm.core.store;

import java.time.Instant;

/** One stored version of a definition document. */
public record Definition(String name, long version, String document, Instant storedAt) {
}
