package io.ebm.core.budget;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The burn rates an evaluation reports, by window name: the reported windows in order, then {@code window} (the
 * SLO window). Every key is always there; a value is null when its window had no data. Immutable, and filled
 * without hashing, a node per entry or a boxed value: every budget makes one at every evaluation, and most are
 * never read (a value is boxed when it is).
 */
final class BurnRates extends AbstractMap<String, Double> {

    private final String[] keys;
    private final double[] values;
    /** Bit i set: window i had data, and {@code values[i]} is its burn rate. */
    private final long present;

    /**
     * {@code values} in the order of {@code keys}, those whose bit in {@code present} is clear standing for no
     * data; both arrays are kept as given, and neither is changed after.
     */
    BurnRates(String[] keys, double[] values, long present) {
        if (keys.length != values.length || keys.length > Long.SIZE) {
            throw new IllegalArgumentException(keys.length + " windows, " + values.length + " burn rates");
        }
        this.keys = keys;
        this.values = values;
        this.present = present;
    }

    private Double value(int i) {
        return (present >>> i & 1) == 0 ? null : values[i];
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
        return i < 0 ? null : value(i);
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
                        return new SimpleImmutableEntry<>(keys[i], value(i));
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
