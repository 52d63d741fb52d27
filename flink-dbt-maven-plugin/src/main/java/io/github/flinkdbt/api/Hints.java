package io.github.flinkdbt.api;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * How the tool that drives flink-dbt writes its options and commands, so that every message can
 * end with the exact thing to type. The core asks; the tool (the Maven goals) answers once, as
 * data, which also crosses into forked JVMs.
 *
 * @param options how each option is set, without a value (e.g. {@code -Dflink-dbt.home})
 * @param commands each command in full (e.g. {@code mvn compile})
 */
public record Hints(Map<Option, String> options, Map<Command, String> commands) {

    public Hints {
        options = Map.copyOf(options);
        commands = Map.copyOf(commands);
        for (Option option : Option.values()) {
            if (!options.containsKey(option)) {
                throw new IllegalArgumentException("No syntax for option " + option);
            }
        }
        for (Command command : Command.values()) {
            if (!commands.containsKey(command)) {
                throw new IllegalArgumentException("No syntax for command " + command);
            }
        }
    }

    /** {@code option} set to {@code value}, e.g. {@code -Dflink-dbt.home=<dir>}. */
    public String set(Option option, String value) {
        return options.get(option) + "=" + value;
    }

    /** The option alone: a switch turned on, or the option a message is about (e.g. {@code -Dflink-dbt.select}). */
    public String name(Option option) {
        return options.get(option);
    }

    public String command(Command command) {
        return commands.get(command);
    }

    /** Hints that name every option and command by its enum name: for code that drives the core itself. */
    public static Hints plain() {
        Map<Option, String> options = new EnumMap<>(Option.class);
        for (Option option : Option.values()) {
            options.put(option, option.name().toLowerCase(Locale.ROOT));
        }
        Map<Command, String> commands = new EnumMap<>(Command.class);
        for (Command command : Command.values()) {
            commands.put(command, command.name().toLowerCase(Locale.ROOT));
        }
        return new Hints(options, commands);
    }
}
