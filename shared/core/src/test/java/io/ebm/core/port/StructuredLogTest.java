package io.ebm.core.port;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StructuredLogTest {

    @Test
    void aLogWritesEveryLevelAndMetricsAsJsonLines() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StructuredLog log = StructuredLog.to(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertThat(log.writes()).isTrue();
        log.info("run", Map.of("budgets", 3));
        log.metrics("ErrorBudgetManager", Map.of("Function", "f"), Map.of("Errors", 0), Instant.ofEpochSecond(60));
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines).hasSize(2);
        assertThat(lines[0]).isEqualTo("{\"level\":\"INFO\",\"message\":\"run\",\"budgets\":3}");
        assertThat(lines[1]).contains("\"Timestamp\":60000").contains("\"Errors\":0").contains("\"Function\":\"f\"");
    }

    @Test
    void aLogThatWritesNothingIsNotHandedLinesToDrop() {
        assertThat(StructuredLog.QUIET.writes()).isFalse();
        List<Map<String, Object>> handed = new ArrayList<>();
        StructuredLog muted = new StructuredLog() {
            @Override
            public void write(Map<String, Object> line) {
                handed.add(line);
            }

            @Override
            public boolean writes() {
                return false;
            }
        };
        muted.info("i", Map.of());
        muted.warn("w", Map.of());
        muted.error("e", Map.of());
        muted.metrics("n", Map.of(), Map.of("x", 1), Instant.EPOCH);
        assertThat(handed).isEmpty();
        StructuredLog kept = handed::add;
        kept.warn("w", Map.of("k", "v"));
        assertThat(handed).containsExactly(Map.of("level", "WARN", "message", "w", "k", "v"));
    }
}
