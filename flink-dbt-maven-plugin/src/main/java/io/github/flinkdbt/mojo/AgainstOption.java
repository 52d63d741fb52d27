package io.github.flinkdbt.mojo;

import io.github.flinkdbt.common.FlinkDbtException;
import java.util.Locale;

/** {@code flink-dbt.against}: fixtures or deployed. */
final class AgainstOption {

    private AgainstOption() {}

    static boolean deployed(String value) {
        String against = value == null ? "fixtures" : value.trim().toLowerCase(Locale.ROOT);
        return switch (against) {
            case "fixtures", "" -> false;
            case "deployed", "run" -> true;
            default ->
                throw new FlinkDbtException("-D" + PropertyNames.AGAINST + "=" + value + " is not known.\n"
                        + "Use -D" + PropertyNames.AGAINST + "=fixtures (the default) or -D" + PropertyNames.AGAINST
                        + "=deployed.");
        };
    }
}
