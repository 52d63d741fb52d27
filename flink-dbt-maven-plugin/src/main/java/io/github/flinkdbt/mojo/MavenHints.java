package io.github.flinkdbt.mojo;

import io.github.flinkdbt.api.Command;
import io.github.flinkdbt.api.Hints;
import io.github.flinkdbt.api.Option;
import java.util.EnumMap;
import java.util.Map;

/** How messages name options and commands when Maven drives flink-dbt: {@code -Dflink-dbt.home=…}, {@code mvn verify}. */
public final class MavenHints {

    private static final Hints HINTS = create();

    private MavenHints() {}

    public static Hints get() {
        return HINTS;
    }

    private static Hints create() {
        Map<Option, String> options = new EnumMap<>(Option.class);
        for (Option option : Option.values()) {
            options.put(
                    option,
                    option == Option.ICEBERG_CATALOG
                            ? "<" + PropertyNames.ICEBERG_CATALOG + "> in the plugin's <configuration>"
                            : "-D" + PropertyNames.of(option));
        }
        Map<Command, String> commands = new EnumMap<>(Command.class);
        for (Command command : Command.values()) {
            commands.put(
                    command,
                    switch (command) {
                        case COMPILE -> "mvn compile";
                        case PACKAGE -> "mvn package";
                        case VERIFY -> "mvn verify";
                        case RUN -> "mvn flink-dbt:run";
                        case START_CLUSTER -> "mvn flink-dbt:start-cluster";
                        case STOP_CLUSTER -> "mvn flink-dbt:stop-cluster";
                        case DEPLOY -> "mvn flink-dbt:deploy";
                        case PLAN -> "mvn flink-dbt:plan";
                        case FORCE_UNLOCK -> "mvn flink-dbt:force-unlock";
                        case ROLLBACK -> "mvn flink-dbt:rollback";
                    });
        }
        return new Hints(options, commands);
    }
}
