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
        long m = d.toMinutes();
        if (m >= 1440) {
            return String.format("%dd%02dh", m / 1440, (m % 1440) / 60);
        }
        if (m >= 60) {
            return String.format("%dh%02dm", m / 60, m % 60);
        }
        return m + "m";
    }

    static String percent(Double fraction) {
        return fraction == null ? "-" : String.format("%.2f%%", fraction * 100);
    }

    static String rate(Double r) {
        return r == null ? "-" : String.format("%.2f", r);
    }
}
