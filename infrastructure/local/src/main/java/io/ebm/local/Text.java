package io.ebm.local;

import java.time.Duration;

/** Small formatting helpers shared by the reports. */
final class Text {

    private Text() {
    }

    static String duration(Duration d) {
        if (d == null) {
            return "never";
        }
        if (d.isZero()) {
            return "now";
        }
        return io.ebm.core.Human.duration(d);
    }

    static String percent(Double fraction) {
        return fraction == null ? "-" : String.format("%.2f%%", fraction * 100);
    }

    static String rate(Double r) {
        return r == null ? "-" : String.format("%.2f", r);
    }
}
