package io.ebm.core.slo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationShorthandTest {

    @ParameterizedTest
    @CsvSource({"5m,5", "1h,60", "28d,40320", "30d,43200", "4w,40320", "3d,4320"})
    void fixedUnitsConvertToMinutes(String text, long minutes) {
        assertThat(DurationShorthand.parse(text).toMinutes()).isEqualTo(minutes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1M", "2M", "1Q", "1Y"})
    void monthsQuartersAndYearsAreCalendarUnits(String text) {
        DurationShorthand d = DurationShorthand.parse(text);
        assertThat(d.isCalendar()).isTrue();
        assertThatThrownBy(d::toMinutes).isInstanceOf(IllegalStateException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0d", "-1d", "1.5h", "30", "30D", "1 d", "d", "1mo", "1s"})
    void rejectsWhatIsNotAShorthand(String text) {
        assertThat(DurationShorthand.parseOrNull(text)).isNull();
    }

    @org.junit.jupiter.api.Test
    void lowerCaseMIsMinutesAndUpperCaseMIsMonths() {
        assertThat(DurationShorthand.parse("1m").unit()).isEqualTo(DurationShorthand.Unit.MINUTE);
        assertThat(DurationShorthand.parse("1M").unit()).isEqualTo(DurationShorthand.Unit.MONTH);
        assertThat(DurationShorthand.parse("1M").toString()).isEqualTo("1M");
    }

    @ParameterizedTest
    @CsvSource({"4320,3d", "1440,1d", "360,6h", "60,1h", "5,5m", "90,90m"})
    void wholeMinutesPrintAsTheCoarsestExactShorthand(long minutes, String text) {
        assertThat(DurationShorthand.ofMinutes(minutes)).isEqualTo(text);
        assertThat(DurationShorthand.parse(text).toMinutes()).isEqualTo(minutes);
    }

    @ParameterizedTest
    @CsvSource({"PT50H,2 days 2 hours", "PT2H5M,2 hours 5 minutes", "PT7M30S,7 minutes", "PT720H,30 days",
        "PT1623H26M34S,67 days", "PT1H,1 hour", "PT1M,1 minute", "PT0S,0 minutes", "PT20S,less than a minute",
        "PT48H,2 days", "PT239H,9 days 23 hours"})
    void durationsPrintForPeopleToTheMinute(String duration, String text) {
        assertThat(io.ebm.core.Human.duration(java.time.Duration.parse(duration))).isEqualTo(text);
    }
}
