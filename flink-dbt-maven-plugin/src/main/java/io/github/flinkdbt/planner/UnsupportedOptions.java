package io.github.flinkdbt.planner;

import io.github.flinkdbt.common.Problem;
import io.github.flinkdbt.common.SourcePosition;
import io.github.flinkdbt.common.Suggestions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A connector that rejected options it does not know. Flink says which in a cause deep in the
 * chain, after a first line that quotes every option with its value ("Unable to create a source
 * ... Table options are: ..."); this finds the options named and reports each at the line that set
 * it, with the connector's closest option. Values are never repeated: they may be secrets.
 *
 * @param connector the factory's identifier, e.g. {@code datagen}
 * @param unsupported the options it rejected
 * @param supported every option it takes
 */
record UnsupportedOptions(String connector, List<String> unsupported, List<String> supported) {

    private static final Pattern MESSAGE = Pattern.compile(
            "(?s)Unsupported options found for '([^']+)'\\.\\s*Unsupported options:\\s*(.*?)\\s*Supported options:\\s*(.*)");

    /** The rejected options named anywhere in {@code error}'s causes, if any. */
    static Optional<UnsupportedOptions> in(Throwable error) {
        for (Throwable t = error; t != null && t.getCause() != t; t = t.getCause()) {
            Matcher matcher = MESSAGE.matcher(String.valueOf(t.getMessage()));
            if (matcher.find()) {
                return Optional.of(
                        new UnsupportedOptions(matcher.group(1), lines(matcher.group(2)), lines(matcher.group(3))));
            }
        }
        return Optional.empty();
    }

    /**
     * One problem per rejected option.
     *
     * @param owner how the messages name what has the options, e.g. {@code Source 'shop.page_views'}
     * @param positionOf where each option was written
     */
    List<Problem> problems(String owner, Function<String, SourcePosition> positionOf) {
        List<Problem> problems = new ArrayList<>();
        for (String option : unsupported) {
            String closest = Suggestions.closest(option, supported).orElse(null);
            problems.add(Problem.at(
                    positionOf.apply(option),
                    owner + ": the " + connector + " connector has no option '" + option + "'."
                            + (closest == null ? "" : " Did you mean '" + closest + "'?"),
                    closest != null ? null : "Its options: " + String.join(", ", related(option))));
        }
        return problems;
    }

    /** The supported options that share the rejected one's prefix, or all of them. */
    private List<String> related(String option) {
        int dot = option.lastIndexOf('.');
        if (dot > 0) {
            String prefix = option.substring(0, dot + 1);
            List<String> siblings =
                    supported.stream().filter(s -> s.startsWith(prefix)).toList();
            if (!siblings.isEmpty()) {
                return siblings;
            }
        }
        return supported;
    }

    private static List<String> lines(String text) {
        return text.lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
    }
}
