package io.github.flinkdbt.graph;

import io.github.flinkdbt.api.Hints;
import io.github.flinkdbt.api.Option;
import io.github.flinkdbt.common.FlinkDbtException;
import io.github.flinkdbt.common.Suggestions;
import io.github.flinkdbt.project.Model;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * dbt's node selection: {@code select="orders+ tag:nightly"} and {@code exclude=...}. Space separates a union, comma an intersection. Each term:
 * {@code [@][N]+}name or method:value{@code +[N]}; methods {@code tag:}, {@code path:},
 * {@code config.<key>:}, {@code source:}; {@code *} globs.
 */
public final class Selector {

    private static final Pattern TERM = Pattern.compile("^(@)?(?:(\\d*)\\+)?([^+]+?)(?:\\+(\\d*))?$");

    private Selector() {}

    /** Applies select (empty = everything) minus exclude. */
    public static Selection select(ModelGraph graph, String select, String exclude, Hints hints) {
        List<String> warnings = new ArrayList<>();
        boolean everything = select == null || select.isBlank();
        Set<String> chosen = everything
                ? new TreeSet<>(graph.project().models().keySet())
                : union(graph, select, new Named(hints, Option.SELECT), warnings);
        if (exclude != null && !exclude.isBlank()) {
            chosen.removeAll(union(graph, exclude, new Named(hints, Option.EXCLUDE), warnings));
            everything = false;
        }
        return new Selection(Set.copyOf(chosen), List.copyOf(warnings), everything);
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
        if (colon < 0 || body.startsWith("*")) {
            Pattern glob = glob(body);
            models.keySet().stream().filter(n -> glob.matcher(n).matches()).forEach(out::add);
            if (out.isEmpty()) {
                throw new FlinkDbtException(option.name() + ": '" + body + "' names no model."
                        + Suggestions.didYouMean(body, models.keySet()));
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
            } else {
                throw new FlinkDbtException(option.name() + ": unknown selector method '" + method + "'."
                        + Suggestions.didYouMean(
                                method, List.of("tag", "path", "config.materialized", "source", "name"))
                        + "\nMethods: tag:, path:, config.<key>:, source:, name:");
            }
            if (match) {
                out.add(model.name());
            }
        }
        if (out.isEmpty()) {
            warnings.add(option.name() + ": '" + body + "' matches no model.");
        }
        return out;
    }

    /** The option a selection came from, as messages name it. */
    private record Named(Hints hints, Option option) {
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
