package io.github.flinkdbt.project;

import com.hubspot.jinjava.el.ext.NamedParameter;
import io.github.flinkdbt.api.Hints;
import io.github.flinkdbt.api.Option;
import io.github.flinkdbt.common.Suggestions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * dbt's Jinja functions as Jinjava sees them (static methods registered by {@link JinjaEnvironment}).
 * Each finds the render in progress through {@link RenderState#current()}; mistakes become
 * problems at the calling tag, and rendering carries on so that every mistake is reported.
 */
public final class DbtFunctions {

    private DbtFunctions() {}

    /** What {@code ref()} and {@code this} return: a placeholder resolved once all configs are known. */
    public static final class RelationPlaceholder {
        private final int index;
        private final String name;

        RelationPlaceholder(int index, String name) {
            this.index = index;
            this.name = name;
        }

        public String getName() {
            return name;
        }

        public String getIdentifier() {
            return name;
        }

        @Override
        public String toString() {
            return TemplateInstrumenter.PLACEHOLDER_OPEN
                    + String.format(Locale.ROOT, "%0" + TemplateInstrumenter.DIGITS + "d", index)
                    + TemplateInstrumenter.PLACEHOLDER_CLOSE;
        }
    }

    /** {@code this}: the model's own relation. */
    public static final class ThisRelation {
        private final String model;

        ThisRelation(String model) {
            this.model = model;
        }

        private Relation relation() {
            return RenderState.current().thisRelation();
        }

        public String getDatabase() {
            return relation().catalog();
        }

        public String getSchema() {
            return relation().database();
        }

        public String getIdentifier() {
            return relation().name();
        }

        public String getName() {
            return relation().name();
        }

        @Override
        public String toString() {
            RenderState state = RenderState.current();
            int index = state.addPlaceholder(new RenderState.RefCall(model, state.currentPosition()));
            return new RelationPlaceholder(index, model).toString();
        }
    }

    public static Object ref(Object... args) {
        RenderState state = RenderState.current();
        List<Object> positional = positional(args);
        for (Object arg : args) {
            if (arg instanceof NamedParameter named
                    && (named.getName().equals("v") || named.getName().equals("version"))) {
                state.problem(
                        "Model versions (ref(..., v=...)) are not supported.", "Reference the model by its name.");
            }
        }
        if (positional.isEmpty() || positional.size() > 2) {
            state.problem("ref() takes a model name, e.g. {{ ref('orders') }}", null);
            return "";
        }
        String name = String.valueOf(positional.get(positional.size() - 1));
        ProjectSymbols symbols = state.symbols();
        if (positional.size() == 2) {
            String project = String.valueOf(positional.get(0));
            if (!project.equals(symbols.projectName()) && !symbols.packages().contains(project)) {
                state.problem(
                        "ref('" + project + "', '" + name + "'): package '" + project
                                + "' is not available; this project ('" + symbols.projectName()
                                + "') and its local packages are.",
                        "Use {{ ref('" + name + "') }} for a model of this project, or list the package in"
                                + " packages.yml: - local: <its directory>");
            }
        }
        if (!symbols.modelNames().contains(name)) {
            state.problem(
                    "ref('" + name + "') names no model." + Suggestions.didYouMean(name, symbols.modelNames()),
                    "A model's name is its file name without .sql.");
        } else {
            state.refs().add(name);
        }
        int index = state.addPlaceholder(new RenderState.RefCall(name, state.currentPosition()));
        return new RelationPlaceholder(index, name);
    }

    public static String source(Object... args) {
        RenderState state = RenderState.current();
        List<Object> positional = positional(args);
        if (positional.size() != 2) {
            state.problem("source() takes a source name and a table name, e.g. {{ source('shop', 'orders') }}", null);
            return "";
        }
        String sourceName = String.valueOf(positional.get(0));
        String tableName = String.valueOf(positional.get(1));
        Map<String, SourceTable> sources = state.symbols().sources();
        SourceTable table = sources.get(sourceName + "." + tableName);
        if (table == null) {
            Collection<String> sourceNames = new TreeSet<>();
            sources.values().forEach(t -> sourceNames.add(t.sourceName()));
            String call = "source('" + sourceName + "', '" + tableName + "')";
            if (!sourceNames.contains(sourceName)) {
                state.problem(
                        call + ": no source is named '" + sourceName + "'."
                                + Suggestions.didYouMean(sourceName, sourceNames),
                        "Declare it in a schema file under 'sources:'.");
            } else {
                List<String> tables = sources.values().stream()
                        .filter(t -> t.sourceName().equals(sourceName))
                        .map(SourceTable::name)
                        .sorted()
                        .toList();
                state.problem(
                        call + ": source '" + sourceName + "' has no table '" + tableName + "'."
                                + Suggestions.didYouMean(tableName, tables),
                        "Its tables: " + String.join(", ", tables));
            }
            return "";
        }
        state.sources().add(table.uniqueName());
        return table.relation().quoted();
    }

    public static String config(Object... args) {
        RenderState state = RenderState.current();
        Map<String, Object> values = new LinkedHashMap<>();
        for (Object arg : args) {
            if (arg instanceof NamedParameter named) {
                values.put(named.getName(), plain(named.getValue()));
            } else if (arg instanceof Map<?, ?> map) {
                map.forEach((k, v) -> values.put(String.valueOf(k), plain(v)));
            } else if (arg != null) {
                state.problem("config() takes key=value pairs, e.g. {{ config(materialized='table') }}", null);
            }
        }
        state.config(values);
        return "";
    }

    public static Object var(Object... args) {
        RenderState state = RenderState.current();
        List<Object> positional = positional(args);
        if (positional.isEmpty()) {
            state.problem("var() takes a variable name, e.g. {{ var('start_date') }}", null);
            return "";
        }
        String name = String.valueOf(positional.get(0));
        Map<String, Object> vars = state.symbols().vars();
        if (vars.containsKey(name)) {
            return vars.get(name);
        }
        if (positional.size() > 1) {
            return positional.get(1);
        }
        state.problem(
                "Required var '" + name + "' is not set." + Suggestions.didYouMean(name, vars.keySet()),
                "Set it with " + state.symbols().hints().set(Option.VARS, "'{" + name + ": ...}'")
                        + ", in the build's vars, or under vars: in dbt_project.yml; or give a default: {{ var('"
                        + name + "', ...) }}");
        return "";
    }

    public static String env_var(Object... args) {
        RenderState state = RenderState.current();
        List<Object> positional = positional(args);
        if (positional.isEmpty()) {
            state.problem("env_var() takes a variable name, e.g. {{ env_var('KAFKA_BROKERS') }}", null);
            return "";
        }
        String name = String.valueOf(positional.get(0));
        if (ProjectSymbols.isSecretEnvVar(name) && state.allowsSecrets()) {
            state.markSecretUsed();
        } else if (ProjectSymbols.isSecretEnvVar(name)) {
            state.problem(
                    "env_var('" + name + "') would write a secret into compiled SQL.",
                    "Secrets belong in connector properties of a schema file (they are redacted from every "
                            + "output), or in settings.xml <server> entries.");
            return "";
        }
        String value = state.symbols().environment().get(name);
        if (value != null) {
            return value;
        }
        if (positional.size() > 1) {
            return String.valueOf(positional.get(1));
        }
        state.problem(
                "Environment variable '" + name + "' is not set.",
                "Export it before running Maven, or give a default: {{ env_var('" + name + "', '...') }}");
        return "";
    }

    /** {@code run_query(sql)}: refused, with what to do instead. */
    public static String run_query(Object... args) {
        return refuseQuery("run_query()");
    }

    /**
     * {@code {% call statement('name', fetch_result=True) %}}: renders nothing; the call is refused at
     * its line by {@link JinjaEnvironment} (a call block has no position of its own while it runs).
     */
    public static String statement(Object... args) {
        return "";
    }

    /** {@code load_result('name')}: refused with {@code statement}. */
    public static String load_result(Object... args) {
        return refuseQuery("load_result()");
    }

    private static String refuseQuery(String what) {
        RenderState state = RenderState.current();
        state.problem(queryRefused(what), queryRefusedHint(state.symbols().hints()));
        return "";
    }

    static String queryRefused(String what) {
        return what + " runs a query while the project is rendered; flink-dbt renders and plans models without a"
                + " cluster, so no query result exists at compile time.";
    }

    static String queryRefusedHint(Hints hints) {
        return "Compute the value in the model's SQL (a join or a subquery), or pass it in as a var: "
                + hints.set(Option.VARS, "'{name: value}'");
    }

    public static boolean is_incremental() {
        return RenderState.current().incremental();
    }

    private static List<Object> positional(Object[] args) {
        List<Object> positional = new ArrayList<>();
        for (Object arg : args) {
            if (!(arg instanceof NamedParameter)) {
                positional.add(arg);
            }
        }
        return positional;
    }

    /** Jinjava's PyList/PyMap and friends as plain Java collections. */
    static Object plain(Object value) {
        if (value == JinjaNone.NONE) {
            return null;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), plain(v)));
            return copy;
        }
        if (value instanceof Collection<?> list) {
            List<Object> copy = new ArrayList<>();
            list.forEach(v -> copy.add(plain(v)));
            return copy;
        }
        return value;
    }
}
