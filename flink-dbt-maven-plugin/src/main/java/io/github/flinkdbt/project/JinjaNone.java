package io.github.flinkdbt.project;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.exptest.ExpTest;
import com.hubspot.jinjava.util.HasObjectTruthValue;

/**
 * Python's {@code None} as Jinja templates see it ({@code none}, {@code None}): renders as
 * {@code None}, is false in a condition and passes {@code is none}. Jinjava has no value for it:
 * with unknown names reported (as this project does), any expression that comes out null is
 * reported as unknown, so {@code {{ none }}} or a macro parameter defaulting to {@code none} would
 * fail. Functions that receive it see null ({@link DbtFunctions#plain}).
 */
public final class JinjaNone implements HasObjectTruthValue {

    public static final JinjaNone NONE = new JinjaNone();

    private JinjaNone() {}

    @Override
    public boolean getObjectTruthValue() {
        return false;
    }

    @Override
    public String toString() {
        return "None";
    }

    /** {@code x is none}: true for null and for {@link #NONE}. */
    static final class IsNone implements ExpTest {

        @Override
        public String getName() {
            return "none";
        }

        @Override
        public boolean evaluate(Object value, JinjavaInterpreter interpreter, Object... args) {
            return value == null || value == NONE;
        }
    }
}
