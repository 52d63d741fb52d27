package io.github.flinkdbt.mojo;

import io.github.flinkdbt.FlinkDbtException;

/** {@code flink-dbt.against}: fixtures or deployed. */
final class AgainstOption {

    private AgainstOption() {}

    static boolean deployed(String value) {
        String against = value == null ? "fixtures" : value.trim().toLowerCase(java.util.Locale.ROOT);
        return switch (against) {
            case "fixtures", "" -> false;
            case "deployed", "run" -> true;
            default -> throw new FlinkDbtException("-Dflink-dbt.against=" + value + " is not known.\n"
                    + "Use -Dflink-dbt.against=fixtures (the default) or -Dflink-dbt.against=deployed.");
        };
    }
}
