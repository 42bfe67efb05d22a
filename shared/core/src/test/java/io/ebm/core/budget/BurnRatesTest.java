package io.ebm.core.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

/** The burn-rate map reads as the ordered map it replaced: every key present, null where a window had no data. */
class BurnRatesTest {

    private static final String[] KEYS = {"5m", "1h", "6h", "window"};

    private static BurnRates rates() {
        // 1h had no data: its bit is clear, and the 99.0 beside it must never be read
        return new BurnRates(KEYS, new double[] {14.5, 99.0, 0.25, 1.0}, 0b1101);
    }

    @Test
    void readsEachWindowAndNullWhereItHadNoData() {
        BurnRates rates = rates();
        assertThat(rates.get("5m")).isEqualTo(14.5);
        assertThat(rates.get("1h")).isNull();
        assertThat(rates.containsKey("1h")).isTrue();
        assertThat(rates.get("6h")).isEqualTo(0.25);
        assertThat(rates.get("window")).isEqualTo(1.0);
        assertThat(rates.get("3d")).isNull();
        assertThat(rates.containsKey("3d")).isFalse();
        assertThat(rates.size()).isEqualTo(4);
    }

    @Test
    void iteratesInWindowOrderAndEqualsTheLinkedMap() {
        Map<String, Double> expected = new LinkedHashMap<>();
        expected.put("5m", 14.5);
        expected.put("1h", null);
        expected.put("6h", 0.25);
        expected.put("window", 1.0);
        BurnRates rates = rates();
        assertThat(new ArrayList<>(rates.keySet())).containsExactly(KEYS);
        List<Double> values = new ArrayList<>(rates.values());
        assertThat(values).containsExactly(14.5, null, 0.25, 1.0);
        assertThat(rates).isEqualTo(expected);
        assertThat(expected).isEqualTo(rates);
        assertThat(rates.hashCode()).isEqualTo(expected.hashCode());
        assertThat(rates.toString()).isEqualTo(expected.toString());
        var iterator = rates.entrySet().iterator();
        for (int i = 0; i < KEYS.length; i++) {
            iterator.next();
        }
        assertThat(iterator.hasNext()).isFalse();
        assertThatThrownBy(iterator::next).isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void isImmutableAndRefusesMismatchedArrays() {
        // read-only, as the snapshot that holds it: a write is refused and changes nothing
        BurnRates rates = rates();
        assertThatThrownBy(() -> rates.put("5m", 1.0)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> rates.entrySet().iterator().next().setValue(2.0))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(rates.get("5m")).isEqualTo(14.5);
        assertThat(rates).isEqualTo(rates());
        assertThatThrownBy(() -> new BurnRates(KEYS, new double[3], 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("4 windows, 3 burn rates");
    }
}
