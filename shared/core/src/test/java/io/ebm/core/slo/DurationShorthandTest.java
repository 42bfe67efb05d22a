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
}
