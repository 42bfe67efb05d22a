package io.ebm.core.budget;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The burn rates an evaluation reports, by window name: the reported windows in order, then {@code window} (the
 * SLO window). Every key is always there; a value is null when its window had no data. Immutable, and filled
 * without hashing or a node per entry: every budget makes one at every evaluation.
 */
final class BurnRates extends AbstractMap<String, Double> {

    private final String[] keys;
    private final Double[] values;

    /** {@code values} in the order of {@code keys}; both are kept as given, and neither is changed after. */
    BurnRates(String[] keys, Double[] values) {
        if (keys.length != values.length) {
            throw new IllegalArgumentException(keys.length + " windows, " + values.length + " burn rates");
        }
        this.keys = keys;
        this.values = values;
    }

    private int indexOf(Object key) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i].equals(key)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public Double get(Object key) {
        int i = indexOf(key);
        return i < 0 ? null : values[i];
    }

    @Override
    public boolean containsKey(Object key) {
        return indexOf(key) >= 0;
    }

    @Override
    public int size() {
        return keys.length;
    }

    @Override
    public Set<Entry<String, Double>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, Double>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < keys.length;
                    }

                    @Override
                    public Entry<String, Double> next() {
                        if (next >= keys.length) {
                            throw new NoSuchElementException();
                        }
                        int i = next++;
                        return new SimpleImmutableEntry<>(keys[i], values[i]);
                    }
                };
            }

            @Override
            public int size() {
                return keys.length;
            }
        };
    }
}
