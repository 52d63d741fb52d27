package io.github.flinkdbt.graph;

import io.github.flinkdbt.api.Hints;
import io.github.flinkdbt.api.Option;
import io.github.flinkdbt.common.FlinkDbtException;
import io.github.flinkdbt.common.Suggestions;
import io.github.flinkdbt.project.Model;
import io.github.flinkdbt.project.UnitTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * dbt's node selection: {@code select="orders+ tag:nightly"} and {@code exclude=...}. Space separates a union, comma an intersection. Each term:
 * {@code [@][N]+}name or method:value{@code +[N]}; methods {@code tag:}, {@code path:},
 * {@code config.<key>:}, {@code source:}; {@code *} globs. Names and tags also select unit tests.
 */
public final class Selector {

    /** How a unit test is told from a model among the nodes a term matched. */
    private static final String UNIT_TEST = "unit_test:";

    private static final Pattern TERM = Pattern.compile("^(@)?(?:(\\d*)\\+)?([^+]+?)(?:\\+(\\d*))?$");

    private Selector() {}

    /**
     * Applies select (empty = everything) minus exclude. A unit test runs when its model is selected
     * or a term names or tags it, unless an exclude term names or tags it.
     */
    public static Selection select(ModelGraph graph, String select, String exclude, Hints hints) {
        return select(graph, select, exclude, () -> null, hints);
    }

    /**
     * @param baseline the state checksum of each model in the baseline ({@code state:new},
     *     {@code state:modified}); asked for only when a term uses them, null when there is none
     */
    public static Selection select(
            ModelGraph graph, String select, String exclude, Supplier<Map<String, String>> baseline, Hints hints) {
        AtomicReference<Map<String, String>> nodes = new AtomicReference<>();
        Supplier<Map<String, String>> once = () -> {
            if (nodes.get() == null) {
                nodes.set(baseline.get());
                if (nodes.get() == null) {
                    throw new FlinkDbtException("state: selection compares with a baseline, and there is none.\n"
                            + "Give an earlier compile output or a released bundle: "
                            + hints.set(Option.BASELINE, "<dir of an earlier target/flink-dbt>") + " or "
                            + hints.set(Option.BASELINE, "<groupId>:<artifactId>:<version>")
                            + ", or run the models into the home first.");
                }
            }
            return nodes.get();
        };
        return select(graph, select, exclude, hints, once);
    }

    private static Selection select(
            ModelGraph graph, String select, String exclude, Hints hints, Supplier<Map<String, String>> baseline) {
        List<String> warnings = new ArrayList<>();
        boolean everything = select == null || select.isBlank();
        Set<String> chosen = everything
                ? new TreeSet<>(graph.project().models().keySet())
                : union(graph, select, new Named(hints, Option.SELECT, baseline), warnings);
        Set<String> excluded = new TreeSet<>();
        if (exclude != null && !exclude.isBlank()) {
            excluded = union(graph, exclude, new Named(hints, Option.EXCLUDE, baseline), warnings);
            chosen.removeAll(excluded);
            everything = false;
        }
        Set<String> models = new TreeSet<>();
        chosen.stream().filter(id -> !id.startsWith(UNIT_TEST)).forEach(models::add);
        Set<String> unitTests = new TreeSet<>();
        for (UnitTest test : graph.project().unitTests()) {
            String id = UNIT_TEST + test.name();
            if (chosen.contains(id) || (models.contains(test.model()) && !excluded.contains(id))) {
                unitTests.add(test.name());
            }
        }
        return new Selection(Set.copyOf(models), Set.copyOf(unitTests), List.copyOf(warnings), everything);
    }

    private static Set<String> union(ModelGraph graph, String expression, Named option, List<String> warnings) {
        Set<String> result = new TreeSet<>();
        for (String term : expression.trim().split("\\s+")) {
            Set<String> intersection = null;
            for (String atom : term.split(",")) {
                if (atom.isBlank()) {
                    continue;
                }
                Set<String> matched = atom(graph, atom.trim(), option, warnings);
                if (intersection == null) {
                    intersection = matched;
                } else {
                    intersection.retainAll(matched);
                }
            }
            if (intersection != null) {
                result.addAll(intersection);
            }
        }
        return result;
    }

    private static Set<String> atom(ModelGraph graph, String atom, Named option, List<String> warnings) {
        Matcher m = TERM.matcher(atom);
        if (!m.matches()) {
            throw new FlinkDbtException(option.name() + ": cannot read '" + atom + "'.\n"
                    + "Use model names, tag:x, path:dir, config.materialized:x, source:name, with + for "
                    + "ancestors/descendants, e.g. " + option.set("\"+orders tag:nightly\""));
        }
        boolean at = m.group(1) != null;
        Integer up = m.group(2) == null ? null : depth(m.group(2));
        String body = m.group(3);
        Integer down = m.group(4) == null ? null : depth(m.group(4));
        Set<String> base = base(graph, body, option, warnings);
        Set<String> result = new TreeSet<>(base);
        for (String model : base) {
            if (model.startsWith(UNIT_TEST)) {
                continue; // graph operators reach models
            }
            if (up != null) {
                result.addAll(graph.ancestors(model, up));
            }
            if (down != null || at) {
                Set<String> below = graph.descendants(model, at ? -1 : down);
                result.addAll(below);
                if (at) {
                    for (String descendant : below) {
                        result.addAll(graph.ancestors(descendant, -1));
                    }
                    result.addAll(graph.ancestors(model, -1));
                }
            }
        }
        return result;
    }

    private static int depth(String digits) {
        return digits.isEmpty() ? -1 : Integer.parseInt(digits);
    }

    private static Set<String> base(ModelGraph graph, String body, Named option, List<String> warnings) {
        Map<String, Model> models = graph.project().models();
        Set<String> out = new TreeSet<>();
        int colon = body.indexOf(':');
        List<UnitTest> unitTests = graph.project().unitTests();
        if (colon < 0 || body.startsWith("*")) {
            Pattern glob = glob(body);
            models.keySet().stream().filter(n -> glob.matcher(n).matches()).forEach(out::add);
            unitTests.stream()
                    .filter(test -> glob.matcher(test.name()).matches())
                    .forEach(test -> out.add(UNIT_TEST + test.name()));
            if (out.isEmpty()) {
                Set<String> names = new TreeSet<>(models.keySet());
                unitTests.forEach(test -> names.add(test.name()));
                throw new FlinkDbtException(option.name() + ": '" + body + "' names no model or unit test."
                        + Suggestions.didYouMean(body, names));
            }
            return out;
        }
        String method = body.substring(0, colon);
        String value = body.substring(colon + 1);
        Pattern glob = glob(value);
        for (Model model : models.values()) {
            boolean match;
            if (method.equals("tag")) {
                match = model.config().tags().stream()
                        .anyMatch(t -> glob.matcher(t).matches());
            } else if (method.equals("path")) {
                String path = model.path();
                String wanted = value.endsWith("/") ? value : value + "/";
                match = path.equals(value)
                        || path.startsWith(wanted)
                        || glob.matcher(path).matches()
                        || path.contains("/" + wanted)
                        || path.endsWith("/" + value);
            } else if (method.startsWith("config.")) {
                Object configured = model.config().values().get(method.substring("config.".length()));
                match = configured != null
                        && glob.matcher(String.valueOf(configured)).matches();
            } else if (method.equals("source")) {
                match = model.sources().stream()
                        .anyMatch(s -> glob.matcher(s).matches()
                                || glob.matcher(s.substring(0, s.indexOf('.'))).matches());
            } else if (method.equals("fqn") || method.equals("name")) {
                match = glob.matcher(model.name()).matches();
            } else if (method.equals("state")) {
                if (!value.equals("new") && !value.equals("modified")) {
                    throw new FlinkDbtException(option.name() + ": state:" + value + " is not a state selector."
                            + Suggestions.didYouMean(value, List.of("new", "modified"))
                            + "\nUse state:new (models the baseline does not have) or state:modified (new ones and"
                            + " those whose file, compiled SQL or config changed).");
                }
                String known = option.baseline().get().get(model.name());
                match = known == null || (value.equals("modified") && !known.equals(model.stateChecksum()));
            } else {
                throw new FlinkDbtException(option.name() + ": unknown selector method '" + method + "'."
                        + Suggestions.didYouMean(
                                method, List.of("tag", "path", "config.materialized", "source", "name", "state"))
                        + "\nMethods: tag:, path:, config.<key>:, source:, name:, state:");
            }
            if (match) {
                out.add(model.name());
            }
        }
        for (UnitTest test : unitTests) {
            if (method.equals("tag")
                            && test.tags().stream()
                                    .anyMatch(t -> glob.matcher(t).matches())
                    || (method.equals("fqn") || method.equals("name"))
                            && glob.matcher(test.name()).matches()) {
                out.add(UNIT_TEST + test.name());
            }
        }
        if (out.isEmpty()) {
            warnings.add(option.name() + ": '" + body + "' matches no model.");
        }
        return out;
    }

    /** The option a selection came from, as messages name it, and the baseline its state: terms compare with. */
    private record Named(Hints hints, Option option, Supplier<Map<String, String>> baseline) {
        String name() {
            return hints.name(option);
        }

        String set(String value) {
            return hints.set(option, value);
        }
    }

    private static Pattern glob(String text) {
        StringBuilder regex = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (c == '*') {
                regex.append(".*");
            } else if (c == '?') {
                regex.append('.');
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }
}
