package io.ebm.core.port;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One JSON object per line: what CloudWatch Logs, Logs Insights and the Embedded Metric Format expect from a
 * Lambda function. No logging framework: a line is a map written with Jackson.
 */
@FunctionalInterface
public interface StructuredLog {

    ObjectMapper JSON = new ObjectMapper();

    /** Drops every line: for a replay of a month of runs, which reports a summary instead. */
    StructuredLog QUIET = new StructuredLog() {
        @Override
        public void write(Map<String, Object> line) {
        }

        @Override
        public boolean writes() {
            return false;
        }
    };

    void write(Map<String, Object> line);

    /** Whether lines are kept at all: a caller may skip building the fields of a line that would be dropped. */
    default boolean writes() {
        return true;
    }

    default void info(String message, Map<String, Object> fields) {
        if (writes()) {
            write(entry("INFO", message, fields));
        }
    }

    default void warn(String message, Map<String, Object> fields) {
        if (writes()) {
            write(entry("WARN", message, fields));
        }
    }

    default void error(String message, Map<String, Object> fields) {
        if (writes()) {
            write(entry("ERROR", message, fields));
        }
    }

    /**
     * Metrics in CloudWatch Embedded Metric Format: CloudWatch turns this log line into metrics, with no
     * PutMetricData call. Values are counts.
     */
    default void metrics(String namespace, Map<String, String> dimensions, Map<String, ? extends Number> values,
                         Instant at) {
        if (!writes()) {
            return;
        }
        Map<String, Object> line = new LinkedHashMap<>();
        List<Map<String, String>> defs = values.keySet().stream().map(k -> Map.of("Name", k, "Unit", "Count")).toList();
        line.put("_aws", Map.of("Timestamp", at.toEpochMilli(), "CloudWatchMetrics",
                List.of(Map.of("Namespace", namespace, "Dimensions", List.of(List.copyOf(dimensions.keySet())),
                        "Metrics", defs))));
        line.putAll(dimensions);
        line.putAll(values);
        write(line);
    }

    private static Map<String, Object> entry(String level, String message, Map<String, Object> fields) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("level", level);
        line.put("message", message);
        line.putAll(fields);
        return line;
    }

    /** Lines to a stream, usually standard output. */
    static StructuredLog to(PrintStream out) {
        return line -> {
            try {
                out.println(JSON.writeValueAsString(line));
            } catch (JsonProcessingException e) {
                out.println("{\"level\":\"ERROR\",\"message\":\"unloggable line\"}");
            }
        };
    }
}
