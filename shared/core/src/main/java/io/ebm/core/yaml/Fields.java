package io.ebm.core.yaml;

import com.fasterxml.jackson.databind.JsonNode;
import io.ebm.core.slo.DurationShorthand;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Typed reads of one document's tree. A read that fails records a problem naming the field path and what was
 * expected, and returns null, so that one pass reports every problem of a document.
 */
public final class Fields {

    private final String file;
    private String document;
    private final List<Problem> problems;

    public Fields(String file, String document, List<Problem> problems) {
        this.file = file;
        this.document = document;
        this.problems = problems;
    }

    public void setDocument(String document) {
        this.document = document;
    }

    public String file() {
        return file;
    }

    public String document() {
        return document;
    }

    public void problem(String path, String message) {
        problems.add(new Problem(file, document, path, message));
    }

    public static String path(String parent, String key) {
        return parent == null || parent.isEmpty() ? key : parent + "." + key;
    }

    public static String index(String parent, int i) {
        return parent + "[" + i + "]";
    }

    private JsonNode present(JsonNode parent, String parentPath, String key, boolean required) {
        JsonNode n = parent == null ? null : parent.get(key);
        if (n == null || n.isNull()) {
            if (required) {
                problem(path(parentPath, key), "required field is missing");
            }
            return null;
        }
        return n;
    }

    public JsonNode object(JsonNode parent, String parentPath, String key, boolean required) {
        JsonNode n = present(parent, parentPath, key, required);
        if (n != null && !n.isObject()) {
            problem(path(parentPath, key), "expected a mapping, got " + describe(n));
            return null;
        }
        return n;
    }

    public JsonNode array(JsonNode parent, String parentPath, String key, boolean required) {
        JsonNode n = present(parent, parentPath, key, required);
        if (n != null && !n.isArray()) {
            problem(path(parentPath, key), "expected a list, got " + describe(n));
            return null;
        }
        return n;
    }

    public String text(JsonNode parent, String parentPath, String key, boolean required) {
        JsonNode n = present(parent, parentPath, key, required);
        if (n == null) {
            return null;
        }
        if (!n.isValueNode() || n.isBoolean()) {
            problem(path(parentPath, key), "expected a string, got " + describe(n));
            return null;
        }
        String s = n.asText();
        if (s.isBlank()) {
            problem(path(parentPath, key), "expected a non-empty string");
            return null;
        }
        return s;
    }

    public BigDecimal decimal(JsonNode parent, String parentPath, String key, boolean required) {
        JsonNode n = present(parent, parentPath, key, required);
        if (n == null) {
            return null;
        }
        if (n.isNumber()) {
            return n.decimalValue();
        }
        problem(path(parentPath, key), "expected a number, got " + describe(n));
        return null;
    }

    public Boolean bool(JsonNode parent, String parentPath, String key, boolean required) {
        JsonNode n = present(parent, parentPath, key, required);
        if (n == null) {
            return null;
        }
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        problem(path(parentPath, key), "expected true or false, got " + describe(n));
        return null;
    }

    /** A duration-shorthand; {@code bareNumberIsMinutes} follows OpenSLO's timeSliceWindow. */
    public DurationShorthand duration(JsonNode parent, String parentPath, String key, boolean required,
                                      boolean bareNumberIsMinutes) {
        JsonNode n = present(parent, parentPath, key, required);
        if (n == null) {
            return null;
        }
        if (bareNumberIsMinutes && n.isIntegralNumber() && n.asLong() > 0) {
            return DurationShorthand.minutes(n.asLong());
        }
        DurationShorthand d = n.isTextual() ? DurationShorthand.parseOrNull(n.asText()) : null;
        if (d == null) {
            problem(path(parentPath, key), "expected a duration such as 5m, 1h, 28d, 4w, 1M, 1Q or 1Y "
                    + "(a positive whole number and one of m h d w M Q Y), got " + describe(n));
        }
        return d;
    }

    /**
     * A duration of fixed length (m, h, d or w); months, quarters and years are reported as problems. Returns
     * null both when absent and when wrong: callers that must tell the two apart check {@code has(key)}.
     */
    public java.time.Duration fixedDuration(JsonNode parent, String parentPath, String key, boolean required) {
        DurationShorthand d = duration(parent, parentPath, key, required, false);
        if (d != null && d.isCalendar()) {
            problem(path(parentPath, key), "expected a fixed length in m, h, d or w, got " + d);
            return null;
        }
        return d == null ? null : d.toDuration();
    }

    /**
     * {@link #fixedDuration}, also accepting zero ({@code 0m}, {@code 0h}, {@code 0d}, {@code 0w} or {@code 0}),
     * which the positive-only shorthand cannot hold: holds and waits that may be switched off.
     */
    public java.time.Duration fixedDurationOrZero(JsonNode parent, String parentPath, String key, boolean required) {
        JsonNode n = parent == null ? null : parent.get(key);
        if (n != null && n.isTextual() && n.asText().matches("0[mhdw]?")) {
            return java.time.Duration.ZERO;
        }
        return fixedDuration(parent, parentPath, key, required);
    }

    /** Reports every key of {@code obj} not in {@code allowed} (typos must not pass silently); false if any. */
    public boolean onlyKnown(JsonNode obj, String parentPath, Set<String> allowed) {
        boolean ok = true;
        if (obj == null || !obj.isObject()) {
            return ok;
        }
        for (Iterator<String> it = obj.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!allowed.contains(k)) {
                problem(path(parentPath, k), "unknown field; expected one of " + new TreeSet<>(allowed));
                ok = false;
            }
        }
        return ok;
    }

    public List<JsonNode> elements(JsonNode array) {
        List<JsonNode> list = new ArrayList<>();
        if (array != null) {
            array.forEach(list::add);
        }
        return list;
    }

    public static String describe(JsonNode n) {
        if (n.isObject()) {
            return "a mapping";
        }
        if (n.isArray()) {
            return "a list";
        }
        if (n.isTextual()) {
            return "'" + n.asText() + "'";
        }
        return n.asText();
    }
}
