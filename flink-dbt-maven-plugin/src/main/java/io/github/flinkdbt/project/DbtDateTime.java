package io.github.flinkdbt.project;

import com.hubspot.jinjava.objects.date.StrftimeFormatter;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * A Python {@code datetime} as dbt's templates use it ({@code run_started_at},
 * {@code modules.datetime.datetime.now()}): rendered as Python prints it
 * ({@code 2026-12-02 11:46:01.123456+00:00}), with {@code strftime}, {@code isoformat},
 * {@code timestamp()} and its fields.
 */
public final class DbtDateTime {

    private static final DateTimeFormatter PYTHON = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSxxx");
    private static final DateTimeFormatter PYTHON_NAIVE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

    private final ZonedDateTime time;
    private final boolean aware;

    DbtDateTime(ZonedDateTime time, boolean aware) {
        this.time = time.truncatedTo(ChronoUnit.MICROS);
        this.aware = aware;
    }

    public String strftime(String format) {
        return StrftimeFormatter.format(time, format);
    }

    public String isoformat() {
        return toString().replace(' ', 'T');
    }

    public double timestamp() {
        return time.toInstant().toEpochMilli() / 1000.0;
    }

    public int getYear() {
        return time.getYear();
    }

    public int getMonth() {
        return time.getMonthValue();
    }

    public int getDay() {
        return time.getDayOfMonth();
    }

    public int getHour() {
        return time.getHour();
    }

    public int getMinute() {
        return time.getMinute();
    }

    public int getSecond() {
        return time.getSecond();
    }

    public int getMicrosecond() {
        return time.getNano() / 1000;
    }

    /** {@code .date()}: the date part, printed as Python does ({@code 2026-12-02}). */
    public String date() {
        return time.toLocalDate().toString();
    }

    @Override
    public String toString() {
        return (aware ? PYTHON : PYTHON_NAIVE).format(time);
    }

    /** {@code modules.datetime}: the parts of Python's datetime module templates read. */
    public static final class Module {

        private final Clock clock;

        Module(Clock clock) {
            this.clock = clock;
        }

        public Module getDatetime() {
            return this;
        }

        /** {@code datetime.now()}: local time, without zone (as Python's naive datetime). */
        public DbtDateTime now() {
            return new DbtDateTime(ZonedDateTime.now(clock), false);
        }

        /** {@code datetime.utcnow()}: UTC, without zone. */
        public DbtDateTime utcnow() {
            return new DbtDateTime(ZonedDateTime.now(clock.withZone(ZoneOffset.UTC)), false);
        }

        /** {@code date.today()}, printed as Python prints a date. */
        public String today() {
            return LocalDate.now(clock).toString();
        }

        public Module getDate() {
            return this;
        }
    }
}
