package io.ebm.core.port;

import static org.assertj.core.api.Assertions.assertThat;

import io.ebm.core.alert.AlertRules;
import io.ebm.core.alert.AlertTier;
import io.ebm.core.budget.BudgetStatus;
import io.ebm.core.budget.Snapshot;
import io.ebm.core.incident.AlertBook;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What people read in a notice: times and durations in words, never ISO-8601 or shorthand. */
class AlertNoticeTest {

    static final Pattern MACHINE_TIME = Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}|\\bPT\\d|\\b\\d+h\\d{2}m\\b|\\b\\d+d\\d{2}h\\b");
    static final Instant T = Instant.parse("2026-11-12T14:15:00Z");

    static Snapshot snapshot(Instant at, boolean firing, BudgetStatus status, String reason) {
        AlertTier page = AlertTier.WORKBOOK_DEFAULTS.get(0);
        Snapshot.TierResult t = new Snapshot.TierResult(page, 14.4, firing ? 61.95 : 1.0, firing ? 256.4 : 0.5, firing);
        return new Snapshot("api-availability", "checkout-api", new BigDecimal("0.999"), "Occurrences", "30d rolling",
                at, at.minus(Duration.ofDays(30)), at, 43_200, 1_000_000, 1_010_000, 0.99, "events",
                new BigDecimal("43200"), new BigDecimal("16200"), Map.of(), List.of(t), Duration.ofMinutes(1623 * 60 + 26),
                status, reason, status == BudgetStatus.NO_DATA, at);
    }

    @Test
    void everyTimeAndDurationOfEveryKindOfNoticeIsWrittenForPeople() {
        AlertBook book = AlertBook.empty("api-availability");
        AlertBook.Step opened = book.step(snapshot(T, true, BudgetStatus.HEALTHY, "remaining budget 62.5%"),
                AlertRules.DEFAULTS);
        AlertBook.Step cleared = opened.next().step(snapshot(T.plusSeconds(600), false, BudgetStatus.HEALTHY, "ok"),
                AlertRules.DEFAULTS);
        Snapshot resolvedAt = snapshot(T.plusSeconds(1200), false, BudgetStatus.HEALTHY, "ok");
        AlertBook.Step resolved = cleared.next().step(resolvedAt, AlertRules.DEFAULTS);
        AlertNotice open = AlertNotice.of(snapshot(T, true, BudgetStatus.HEALTHY, "remaining budget 62.5%")
                .withAlerts(opened.held()), opened.notifications().get(0), "https://ebm.example.com", null, null);
        AlertNotice close = AlertNotice.of(resolvedAt.withAlerts(resolved.held()), resolved.notifications().get(0),
                "https://ebm.example.com", null, null);
        assertThat(open.body()).contains("opened 12 Nov 14:15 UTC").contains("Budget exhausted in: 67 days");
        assertThat(close.subject()).isEqualTo("[PAGE] RESOLVED api-availability after 20 minutes (peak 61.95x)");
        assertThat(close.body()).contains("resolved 12 Nov 14:35 UTC after 20 minutes");
        for (AlertNotice n : List.of(open, close)) {
            assertThat(MACHINE_TIME.matcher(n.subject() + "\n" + n.body()).find()).as(n.body()).isFalse();
        }
    }
}
