package io.github.flinkdbt.project;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.FatalTemplateErrorsException;
import com.hubspot.jinjava.interpret.InterpretException;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import com.hubspot.jinjava.lib.fn.MacroFunction;
import com.hubspot.jinjava.lib.tag.Tag;
import com.hubspot.jinjava.tree.Node;
import com.hubspot.jinjava.tree.TagNode;
import io.github.flinkdbt.common.Problem;
import io.github.flinkdbt.common.Problems;
import io.github.flinkdbt.common.SourcePosition;
import io.github.flinkdbt.common.Suggestions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * dbt's Jinja on Jinjava: the dbt functions, project macros (including {@code {% test %}}
 * blocks), {@code {% docs %}} blocks, and renders of models and YAML values.
 */
public final class JinjaEnvironment {

    private static final Pattern TEST_BLOCK = Pattern.compile("\\{%(-?)(\\s*)test(\\s+)(\\w+)");
    private static final Pattern END_TEST = Pattern.compile("\\{%(-?)(\\s*)endtest\\b");
    private static final Pattern STATEMENT_CALL = Pattern.compile("\\{%-?\\s*call\\s+(statement)\\s*\\(");
    private static final Pattern UNKNOWN_TOKEN = Pattern.compile("Unknown token found: ([\\w.]+)");
    private static final Pattern UNKNOWN_FUNCTION = Pattern.compile("Could not resolve function '([\\w.]+)'");
    private static final Pattern EXCEPTION_PREFIX = Pattern.compile(
            "^(\\w+(Exception|Error)):\\s*(Error resolving expression \\[.*?]: (\\w+(Exception|Error)):\\s*)?");

    private final Jinjava jinjava;
    private final Context macroContext;
    private final Map<String, String> docs = new TreeMap<>();

    public JinjaEnvironment() {
        JinjavaConfig config = JinjavaConfig.newBuilder()
                .withFailOnUnknownTokens(true)
                .withNestedInterpretationEnabled(false)
                .withEnableRecursiveMacroCalls(true)
                .withMaxMacroRecursionDepth(50)
                .withMaxOutputSize(20L * 1024 * 1024)
                .build();
        jinjava = new Jinjava(config);
        Context global = jinjava.getGlobalContext();
        for (String function : List.of(
                "ref",
                "source",
                "config",
                "var",
                "env_var",
                "is_incremental",
                "run_query",
                "statement",
                "load_result")) {
            Class<?>[] parameters =
                    function.equals("is_incremental") ? new Class<?>[0] : new Class<?>[] {Object[].class};
            global.registerFunction(new ELFunctionDefinition("", function, DbtFunctions.class, function, parameters));
        }
        global.registerFunction(new ELFunctionDefinition("", "doc", JinjaEnvironment.class, "doc", Object[].class));
        global.registerTag(new DocsTag());
        global.put("execute", true);
        global.put("exceptions", new CompilerExceptions());
        global.put("__flink_dbt_docs__", docs);
        DbtJinja.register(global);
        macroContext = new Context(global);
        Problems builtIns = new Problems();
        loadMacroFile(DbtJinja.builtIns(), builtIns);
        if (!builtIns.sorted().isEmpty()) {
            throw new IllegalStateException("dbt's built-in macros do not load: " + builtIns.sorted());
        }
        DbtJinja.namespace(global, macroContext.getGlobalMacros());
    }

    /** Defines the macros (and {@code {% test %}}, {@code {% docs %}} blocks) of a file. */
    public void loadMacroFile(SourceText file, Problems problems) {
        String text = DbtJinja.rewrite(
                END_TEST.matcher(TEST_BLOCK.matcher(file.text()).replaceAll("{%$1$2macro$3test_$4"))
                        .replaceAll("{%$1$2endmacro"));
        List<Problem> found = new ArrayList<>();
        renderIn(macroContext, text, (line, column) -> file.position(file.offset(line, column)), found);
        if (file.path().endsWith(".md")) {
            // a doc block that does not render is a description to fix, not a reason to stop the build
            found.forEach(p -> problems.warn(p.position(), "A {% docs %} block did not render: " + p.message()));
        } else {
            problems.addAll(found);
        }
    }

    /**
     * Replaces macros by a fixed output (a unit test's {@code overrides: macros}): {@code name} or
     * {@code namespace.name}; a macro of dbt's also in the {@code dbt} namespace. A name that is no
     * macro is a problem at {@code at}.
     */
    public void overrideMacros(Map<String, Object> outputs, SourcePosition at, Problems problems) {
        @SuppressWarnings("unchecked")
        Map<String, MacroFunction> namespace =
                (Map<String, MacroFunction>) jinjava.getGlobalContext().get("dbt");
        Set<String> known = macroNames();
        for (Map.Entry<String, Object> override : outputs.entrySet()) {
            String name = override.getKey().substring(override.getKey().lastIndexOf('.') + 1);
            if (!known.contains(name)) {
                problems.add(
                        at,
                        "overrides: macros names '" + override.getKey()
                                + "', which is no macro of the project or dbt's." + Suggestions.didYouMean(name, known),
                        "Name a macro the model calls, e.g. current_timestamp or dbt.current_timestamp.");
                continue;
            }
            Object value = override.getValue();
            String output = value == null ? "None" : String.valueOf(value);
            List<Problem> found = new ArrayList<>();
            renderIn(
                    macroContext,
                    "{% macro " + name + "() %}{% raw %}" + output + "{% endraw %}{% endmacro %}",
                    (line, column) -> at,
                    found);
            problems.addAll(found);
            if (namespace.containsKey(name)) {
                namespace.put(name, macroContext.getGlobalMacro(name));
            }
        }
    }

    /**
     * Loads a local package's macro files: its macros are defined like the project's (which, loaded
     * later, win by name) and reachable as {@code <package>.<macro>} whatever wins.
     */
    public void loadPackage(String name, List<SourceText> files, Problems problems) {
        Map<String, MacroFunction> before = new HashMap<>(macroContext.getGlobalMacros());
        files.forEach(file -> loadMacroFile(file, problems));
        Map<String, MacroFunction> namespace = new TreeMap<>();
        macroContext.getGlobalMacros().forEach((macro, function) -> {
            if (before.get(macro) != function) {
                namespace.put(macro, function);
            }
        });
        jinjava.getGlobalContext().put(name, namespace);
    }

    /** Names of the macros defined so far. */
    public Set<String> macroNames() {
        return new TreeSet<>(macroContext.getGlobalMacros().keySet());
    }

    /** {@code {% docs name %}} blocks collected so far. */
    public Map<String, String> docs() {
        return docs;
    }

    /** Renders a model (or test) template. */
    RenderedTemplate render(
            SourceText template,
            ProjectSymbols symbols,
            String modelName,
            boolean incremental,
            Function<RenderState, Relation> thisRelation) {
        TemplateInstrumenter.Instrumented instrumented = TemplateInstrumenter.instrument(template);
        RenderState state = new RenderState(instrumented, symbols, incremental, thisRelation);
        Map<String, Object> bindings = new HashMap<>();
        bindings.put(RenderState.CONTEXT_KEY, state);
        bindings.put("this", new DbtFunctions.ThisRelation(modelName));
        bindings.put("target", symbols.target());
        bindings.put("project_name", symbols.projectName());
        // dbt's context: the target's schema and database
        bindings.put("schema", symbols.target().get("schema"));
        bindings.put("database", symbols.target().get("database"));
        bindings.put(
                "model", Map.of("name", modelName, "unique_id", "model." + symbols.projectName() + "." + modelName));
        String output = renderIn(
                new Context(macroContext, bindings),
                DbtJinja.rewrite(instrumented.text()),
                (line, column) -> instrumented.position(line, column),
                state.problems());
        Matcher statement = STATEMENT_CALL.matcher(template.text());
        while (statement.find()) {
            state.problems()
                    .add(Problem.at(
                            template.position(statement.start(1)),
                            DbtFunctions.queryRefused("statement()"),
                            DbtFunctions.queryRefusedHint(symbols.hints())));
        }
        return new RenderedTemplate(output, state, instrumented);
    }

    /**
     * Renders a string from YAML ({@code {{ var() }}}, {@code {{ env_var() }}}, {@code {{ doc() }}}).
     * Plain strings come back unchanged.
     */
    public RenderedValue renderValue(String text, SourcePosition at, ProjectSymbols symbols, Problems problems) {
        if (text == null || (!text.contains("{{") && !text.contains("{%"))) {
            return new RenderedValue(text, false);
        }
        RenderState state = RenderState.forYamlValue(symbols, at);
        Map<String, Object> bindings = new HashMap<>();
        bindings.put(RenderState.CONTEXT_KEY, state);
        bindings.put("target", symbols.target());
        String output = renderIn(
                new Context(macroContext, bindings), DbtJinja.rewrite(text), (line, column) -> at, state.problems());
        problems.addAll(state.problems());
        state.warnings().forEach(w -> problems.warn(w.position(), w.message()));
        return new RenderedValue(output, state.secretUsed());
    }

    /** A rendered YAML value and whether a secret went into it. */
    public record RenderedValue(String value, boolean secret) {}

    private interface PositionMapper {
        SourcePosition map(int line, int column);
    }

    /** Where on {@code line} a name is called, when Jinjava did not say (column 0 or less). */
    private static int column(String text, int line, int column, String message) {
        Matcher name = UNKNOWN_FUNCTION.matcher(message);
        Matcher token = UNKNOWN_TOKEN.matcher(message);
        String wanted = name.find() ? name.group(1) + "(" : token.find() ? token.group(1) : null;
        String[] lines = text.split("\n", -1);
        if (wanted != null && line >= 1 && line <= lines.length) {
            int at = lines[line - 1].indexOf(wanted, Math.max(0, column - 1));
            if (at >= 0) {
                return at + 1;
            }
        }
        return Math.max(1, column);
    }

    /** Renders; Jinja errors become problems (one per line: a bad tag often raises two errors). */
    private String renderIn(Context context, String text, PositionMapper positions, List<Problem> problems) {
        JinjavaInterpreter interpreter = new JinjavaInterpreter(jinjava, context, jinjava.getGlobalConfig());
        JinjavaInterpreter.pushCurrent(interpreter);
        String output = "";
        List<TemplateError> errors = new ArrayList<>();
        try {
            output = interpreter.render(text);
        } catch (FatalTemplateErrorsException e) {
            e.getErrors().forEach(errors::add);
        } catch (InterpretException e) {
            errors.add(TemplateError.fromException(e, e.getLineNumber(), e.getStartPosition()));
        } finally {
            JinjavaInterpreter.popCurrent();
        }
        errors.addAll(interpreter.getErrors());
        Set<Integer> lines = new HashSet<>();
        for (TemplateError error : errors) {
            if (error.getSeverity() == TemplateError.ErrorType.WARNING || !lines.add(error.getLineno())) {
                continue;
            }
            int column = column(text, error.getLineno(), error.getStartPosition(), String.valueOf(error.getMessage()));
            problems.add(Problem.at(
                    positions.map(error.getLineno(), column), "Jinja error: " + describe(error), hint(error)));
        }
        return output;
    }

    private String describe(TemplateError error) {
        String message = error.getMessage() == null ? String.valueOf(error.getReason()) : error.getMessage();
        Matcher function = UNKNOWN_FUNCTION.matcher(message);
        if (function.find()) {
            String name = function.group(1);
            Set<String> known = new TreeSet<>(macroNames());
            known.addAll(List.of("ref", "source", "config", "var", "env_var", "is_incremental", "doc"));
            return "'" + name + "' is not a function or macro." + Suggestions.didYouMean(name, known);
        }
        Matcher unknown = UNKNOWN_TOKEN.matcher(message);
        if (unknown.find()) {
            String name = unknown.group(1);
            Set<String> known = new TreeSet<>(macroNames());
            known.addAll(List.of("ref", "source", "config", "var", "env_var", "this", "is_incremental", "target"));
            return "'" + name + "' is undefined." + Suggestions.didYouMean(name, known);
        }
        return EXCEPTION_PREFIX.matcher(message).replaceFirst("").strip();
    }

    private static String hint(TemplateError error) {
        String message = String.valueOf(error.getMessage());
        if (UNKNOWN_TOKEN.matcher(message).find()
                || UNKNOWN_FUNCTION.matcher(message).find()) {
            return "Define it with {% set %}, as a macro in the macro path, or read a variable with var('name').";
        }
        return null;
    }

    /** What a description shows in place of a doc block that does not exist. */
    public static String missingDoc(String name) {
        return "(missing doc block '" + name + "')";
    }

    /** {@code doc('name')} in YAML descriptions. */
    public static String doc(Object... args) {
        JinjavaInterpreter interpreter = JinjavaInterpreter.getCurrent();
        Object registry = interpreter.getContext().get("__flink_dbt_docs__");
        String name = args.length == 0 ? "" : String.valueOf(args[args.length - 1]);
        if (registry instanceof Map<?, ?> map && map.containsKey(name)) {
            return String.valueOf(map.get(name));
        }
        Object state = interpreter.getContext().get(RenderState.CONTEXT_KEY);
        if (state instanceof RenderState renderState) {
            Set<String> names = registry instanceof Map<?, ?> map ? new TreeSet<>(castKeys(map)) : Set.of();
            renderState.warn("doc('" + name + "') names no {% docs %} block: the description says so until one is"
                    + " defined in a .md file beside the models ({% docs " + name + " %}...{% enddocs %})."
                    + Suggestions.didYouMean(name, names));
        }
        return missingDoc(name);
    }

    private static Set<String> castKeys(Map<?, ?> map) {
        Set<String> keys = new TreeSet<>();
        map.keySet().forEach(k -> keys.add(String.valueOf(k)));
        return keys;
    }

    /** {@code exceptions.raise_compiler_error(msg)} and {@code exceptions.warn(msg)}. */
    public static final class CompilerExceptions {
        public String raise_compiler_error(Object message) {
            Object state = JinjavaInterpreter.getCurrent().getContext().get(RenderState.CONTEXT_KEY);
            if (state instanceof RenderState renderState) {
                renderState.problem(String.valueOf(message), null);
            }
            return "";
        }

        public String warn(Object message) {
            return "";
        }
    }

    /** {@code {% docs name %}...{% enddocs %}}: records the block, renders nothing. */
    private final class DocsTag implements Tag {
        private static final long serialVersionUID = 1L;

        @Override
        public String getName() {
            return "docs";
        }

        @Override
        public String interpret(TagNode tagNode, JinjavaInterpreter interpreter) {
            StringBuilder content = new StringBuilder();
            for (Node child : tagNode.getChildren()) {
                content.append(child.render(interpreter).getValue());
            }
            docs.put(
                    tagNode.getHelpers().trim(),
                    RenderedTemplate.plain(content.toString()).strip());
            return "";
        }
    }
}
