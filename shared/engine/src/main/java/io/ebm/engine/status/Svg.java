package io.ebm.engine.status;

import java.util.List;
import java.util.Locale;

/** Inline SVG, written by hand: badges and the dashboard's charts. No script, no external resource. */
final class Svg {

    private Svg() {
    }

    static String esc(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** Fill colour of a status; every use also shows the status in words. */
    static String colour(String status) {
        return switch (status) {
            case "HEALTHY" -> "#2e7d32";
            case "WARNING" -> "#b26a00";
            case "EXHAUSTED" -> "#c62828";
            default -> "#616161";
        };
    }

    /** A shields-style badge: {@code error budget | 37.4% HEALTHY}. */
    static String badge(String label, String value, String status) {
        int left = 8 + 7 * label.length();
        int right = 8 + 7 * value.length();
        return String.format(Locale.ROOT, """
                <svg xmlns="http://www.w3.org/2000/svg" width="%d" height="20" role="img" aria-label="%s: %s">\
                <title>%s: %s</title>\
                <rect width="%d" height="20" fill="#555"/><rect x="%d" width="%d" height="20" fill="%s"/>\
                <g fill="#fff" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11">\
                <text x="%d" y="14">%s</text><text x="%d" y="14">%s</text></g></svg>""",
                left + right, esc(label), esc(value), esc(label), esc(value), left, left, right, colour(status),
                4, esc(label), left + 4, esc(value));
    }

    /** A point of a line chart, with what hovering it shows. */
    record Point(double x, double y, String title) {
    }

    /** The most points of one chart that show their time and value on hover. */
    static final int HOVER_POINTS = 120;

    /** A dashed horizontal line across a chart, labelled: a threshold. */
    record Rule(double y, String label) {
    }

    /** A line over [0, 1] × [yMin, yMax] with dashed thresholds, each point's title shown on hover. */
    static String chart(String title, List<Point> points, double yMin, double yMax, String yLabel, List<Rule> rules,
                        String xStart, String xEnd) {
        String svg = line(title, points, yMin, yMax, yLabel, null, null, xStart, xEnd);
        int w = 640;
        int h = 220;
        int left = 50;
        int bottom = 30;
        double range = yMax - yMin == 0 ? 1 : yMax - yMin;
        StringBuilder extra = new StringBuilder();
        double lastLabel = Double.MAX_VALUE;
        List<Rule> byHeight = new java.util.ArrayList<>(rules);
        byHeight.sort(java.util.Comparator.comparingDouble(Rule::y));
        for (Rule r : byHeight) {
            double y = 10 + (1 - (Math.max(yMin, Math.min(yMax, r.y())) - yMin) / range) * (h - bottom - 10);
            // labels of nearby lines are stacked upwards instead of written over each other
            double label = Math.min(y - 3, lastLabel - 11);
            lastLabel = label;
            extra.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" "
                    + "stroke=\"#c62828\" stroke-dasharray=\"6 4\"/><text x=\"%d\" y=\"%.1f\" font-size=\"10\" "
                    + "text-anchor=\"end\">%s</text>", left, w - 10, y, y, w - 12, label, esc(r.label())));
        }
        return svg.substring(0, svg.length() - "</svg>".length()) + extra + "</svg>";
    }

    /**
     * A line over [0, 1] × [yMin, yMax] with labelled axes and an optional dashed horizontal reference line.
     */
    static String line(String title, List<Point> points, double yMin, double yMax, String yLabel, Double reference,
                       String referenceLabel, String xStart, String xEnd) {
        int w = 640;
        int h = 220;
        int left = 50;
        int bottom = 30;
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "role=\"img\" aria-label=\"%s\"><title>%s</title>", w, h, esc(title), esc(title)));
        sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"10\" width=\"%d\" height=\"%d\" fill=\"#fafafa\" "
                + "stroke=\"#999\"/>", left, w - left - 10, h - bottom - 10));
        double range = yMax - yMin == 0 ? 1 : yMax - yMin;
        StringBuilder path = new StringBuilder();
        for (Point p : points) {
            double x = left + p.x() * (w - left - 10);
            double y = 10 + (1 - (Math.max(yMin, Math.min(yMax, p.y())) - yMin) / range) * (h - bottom - 10);
            path.append(path.isEmpty() ? "M" : " L").append(String.format(Locale.ROOT, "%.1f %.1f", x, y));
        }
        if (reference != null) {
            double y = 10 + (1 - (reference - yMin) / range) * (h - bottom - 10);
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#c62828\" "
                    + "stroke-dasharray=\"6 4\"/><text x=\"%d\" y=\"%.1f\" font-size=\"10\">%s</text>", left, w - 10, y, y,
                    left + 4, y - 3, esc(referenceLabel)));
        }
        sb.append("<path d=\"").append(path).append("\" fill=\"none\" stroke=\"#1565c0\" stroke-width=\"2\"/>");
        // hover targets for at most HOVER_POINTS points a chart, the highest always among them: a page of 30 days
        // stays light, and the peak can be read
        int stride = Math.max(1, (points.size() + HOVER_POINTS - 1) / HOVER_POINTS);
        int peak = 0;
        for (int i = 1; i < points.size(); i++) {
            peak = points.get(i).y() > points.get(peak).y() ? i : peak;
        }
        for (int i = 0; i < points.size(); i++) {
            Point p = points.get(i);
            if (p.title() != null && (i % stride == 0 || i == peak)) {
                double x = left + p.x() * (w - left - 10);
                double y = 10 + (1 - (Math.max(yMin, Math.min(yMax, p.y())) - yMin) / range) * (h - bottom - 10);
                sb.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill-opacity=\"0\">"
                        + "<title>%s</title></circle>", x, y, esc(p.title())));
            }
        }
        sb.append(String.format(Locale.ROOT, "<text x=\"4\" y=\"16\" font-size=\"10\">%s</text>"
                        + "<text x=\"4\" y=\"%d\" font-size=\"10\">%s</text>", fmt(yMax), h - bottom, fmt(yMin)));
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"10\">%s</text>"
                + "<text x=\"%d\" y=\"%d\" font-size=\"10\" text-anchor=\"end\">%s</text>"
                + "<text x=\"%d\" y=\"%d\" font-size=\"10\" text-anchor=\"middle\">%s</text>",
                left, h - 8, esc(xStart), w - 10, h - 8, esc(xEnd), w / 2, h - 8, esc(yLabel)));
        return sb.append("</svg>").toString();
    }

    /** Horizontal bars with a threshold mark each, for burn rates against the tiers. */
    record Bar(String label, double value, Double threshold, boolean over) {
    }

    static String bars(String title, List<Bar> bars) {
        int w = 640;
        int row = 26;
        int h = 20 + row * bars.size();
        double max = 1;
        for (Bar b : bars) {
            max = Math.max(max, Math.max(b.value(), b.threshold() == null ? 0 : b.threshold()));
        }
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
                + "width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"%s\"><title>%s</title>", w, h, esc(title), esc(title)));
        int left = 130;
        for (int i = 0; i < bars.size(); i++) {
            Bar b = bars.get(i);
            int y = 10 + i * row;
            double len = b.value() / max * (w - left - 120);
            sb.append(String.format(Locale.ROOT, "<text x=\"4\" y=\"%d\" font-size=\"11\">%s</text>", y + 14, esc(b.label())));
            sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"16\" fill=\"%s\"%s/>",
                    left, y, Math.max(1, len), b.over() ? "#c62828" : "#1565c0",
                    b.over() ? " stroke=\"#000\" stroke-width=\"2\"" : ""));
            if (b.threshold() != null) {
                double tx = left + b.threshold() / max * (w - left - 120);
                sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"#000\" "
                        + "stroke-dasharray=\"3 2\"/>", tx, tx, y - 2, y + 18));
            }
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\">%s%s</text>", w - 110, y + 14,
                    fmt(b.value()), b.threshold() == null ? "" : (b.over() ? " > " : " ≤ ") + fmt(b.threshold())
                            + (b.over() ? " FIRING" : "")));
        }
        return sb.append("</svg>").toString();
    }

    /** One span on a time axis, from {@code x0} to {@code x1} in [0, 1]; {@code title} shows on hover. */
    record Span(double x0, double x1, String label, String title, boolean urgent) {
    }

    /** One instant on a time axis (a deployment landing), at {@code x} in [0, 1]; {@code title} shows on hover. */
    record Mark(double x, String title) {
    }

    /**
     * Spans on one time axis (incidents over a window) and marks (deployments), each with its own hover title,
     * labelled at both ends.
     */
    static String timeline(String title, List<Span> spans, List<Mark> marks, String xStart, String xEnd) {
        int w = 640;
        int left = 50;
        int h = 64;
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
                + "width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"%s\"><title>%s</title>", w, h, esc(title),
                esc(title)));
        sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"10\" width=\"%d\" height=\"26\" fill=\"#fafafa\" "
                + "stroke=\"#999\"/>", left, w - left - 10));
        for (Span span : spans) {
            double x0 = left + Math.max(0, Math.min(1, span.x0())) * (w - left - 10);
            double x1 = left + Math.max(0, Math.min(1, span.x1())) * (w - left - 10);
            sb.append(String.format(Locale.ROOT, "<g class=\"incident\"><title>%s</title><rect x=\"%.1f\" y=\"12\" "
                    + "width=\"%.1f\" height=\"22\" fill=\"%s\"/><text x=\"%.1f\" y=\"48\" font-size=\"9\">%s</text></g>",
                    esc(span.title()), x0, Math.max(2, x1 - x0), span.urgent() ? "#c62828" : "#b26a00", x0,
                    esc(span.label())));
        }
        for (Mark mark : marks) {
            double x = left + Math.max(0, Math.min(1, mark.x())) * (w - left - 10);
            sb.append(String.format(Locale.ROOT, "<g class=\"deployment\"><title>%s</title><line x1=\"%.1f\" x2=\"%.1f\" "
                    + "y1=\"6\" y2=\"40\" stroke=\"#1565c0\" stroke-width=\"2\"/><path d=\"M%.1f 6 l-4 -5 h8 z\" "
                    + "fill=\"#1565c0\"/></g>", esc(mark.title()), x, x, x));
        }
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"10\">%s</text>"
                + "<text x=\"%d\" y=\"%d\" font-size=\"10\" text-anchor=\"end\">%s</text>", left, h - 2,
                esc(xStart), w - 10, h - 2, esc(xEnd)));
        return sb.append("</svg>").toString();
    }

    static String fmt(double v) {
        return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }
}
