package io.ebm.core.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AlertTransitionTest {

    private static final Instant T = Instant.parse("2026-11-12T14:05:00Z");

    @Test
    void firesOnceThenStaysQuietThenResolvesWithTheSameKey() {
        AlertState s = AlertState.inactive("api", "page-1h");
        AlertTransition fired = AlertTransition.next(s, true, T, Duration.ZERO);
        assertThat(fired.change()).isEqualTo(AlertTransition.Change.FIRED);
        assertThat(fired.next().phase()).isEqualTo(AlertState.Phase.FIRING);
        assertThat(fired.next().dedupKey()).isEqualTo("api/page-1h/" + T.getEpochSecond() / 60);

        AlertTransition again = AlertTransition.next(fired.next(), true, T.plusSeconds(60), Duration.ZERO);
        assertThat(again.change()).isEqualTo(AlertTransition.Change.NONE);
        assertThat(again.next()).isEqualTo(fired.next());

        AlertTransition resolved = AlertTransition.next(again.next(), false, T.plusSeconds(600), Duration.ZERO);
        assertThat(resolved.change()).isEqualTo(AlertTransition.Change.RESOLVED);
        assertThat(resolved.next().phase()).isEqualTo(AlertState.Phase.RESOLVED);
        assertThat(resolved.next().dedupKey()).isEqualTo(fired.next().dedupKey());
        assertThat(resolved.next().since()).isEqualTo(T.plusSeconds(600));

        AlertTransition quiet = AlertTransition.next(resolved.next(), false, T.plusSeconds(660), Duration.ZERO);
        assertThat(quiet.change()).isEqualTo(AlertTransition.Change.NONE);

        AlertTransition refired = AlertTransition.next(quiet.next(), true, T.plusSeconds(3600), Duration.ZERO);
        assertThat(refired.change()).isEqualTo(AlertTransition.Change.FIRED);
        assertThat(refired.next().dedupKey()).isNotEqualTo(fired.next().dedupKey());
    }

    @Test
    void theSameInputTwiceGivesTheSameTransition() {
        AlertState s = AlertState.inactive("api", "page-1h");
        assertThat(AlertTransition.next(s, true, T, Duration.ZERO))
                .isEqualTo(AlertTransition.next(s, true, T, Duration.ZERO));
    }

    @Test
    void alertAfterHoldsTheAlertPendingUntilTheConditionHasLasted() {
        Duration hold = Duration.ofMinutes(5);
        AlertTransition p = AlertTransition.next(AlertState.inactive("api", "t"), true, T, hold);
        assertThat(p.change()).isEqualTo(AlertTransition.Change.NONE);
        assertThat(p.next().phase()).isEqualTo(AlertState.Phase.PENDING);
        AlertTransition still = AlertTransition.next(p.next(), true, T.plusSeconds(240), hold);
        assertThat(still.next().phase()).isEqualTo(AlertState.Phase.PENDING);
        AlertTransition fired = AlertTransition.next(still.next(), true, T.plusSeconds(300), hold);
        assertThat(fired.change()).isEqualTo(AlertTransition.Change.FIRED);

        AlertTransition dropped = AlertTransition.next(p.next(), false, T.plusSeconds(120), hold);
        assertThat(dropped.change()).isEqualTo(AlertTransition.Change.NONE);
        assertThat(dropped.next().phase()).isEqualTo(AlertState.Phase.INACTIVE);
    }
}
