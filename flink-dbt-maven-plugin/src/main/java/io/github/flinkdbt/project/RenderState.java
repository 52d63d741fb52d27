package io.github.flinkdbt.project;

import com.hubspot.jinjava.interpret.CallStack;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import io.github.flinkdbt.common.Problem;
import io.github.flinkdbt.common.SourcePosition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * What one render of one template collects: the refs and sources it reads, its {@code config()}
 * calls, and its problems. The Jinja functions find it in the interpreter's context.
 */
final class RenderState {

    static final String CONTEXT_KEY = "__flink_dbt_render_state__";

    /** A ref() call, rendered as a placeholder until every model's relation is known. */
    record RefCall(String model, SourcePosition position) {}

    /** A config() call: its keys with the position of the call. */
    record ConfigCall(Map<String, Object> values, SourcePosition position) {}

    private final TemplateInstrumenter.Instrumented template;
    private final ProjectSymbols symbols;
    private final boolean incremental;
    private final Function<RenderState, Relation> thisRelation;
    private final List<RefCall> placeholders = new ArrayList<>();
    private final Set<String> refs = new LinkedHashSet<>();
    private final Set<String> sources = new LinkedHashSet<>();
    private final List<ConfigCall> configCalls = new ArrayList<>();
    private final List<Problem> problems = new ArrayList<>();
    private final List<Problem> warnings = new ArrayList<>();
    private final Map<String, Object> configSoFar = new LinkedHashMap<>();
    private final SourcePosition fixedPosition;
    private boolean secretUsed;

    RenderState(
            TemplateInstrumenter.Instrumented template,
            ProjectSymbols symbols,
            boolean incremental,
            Function<RenderState, Relation> thisRelation) {
        this.template = template;
        this.symbols = symbols;
        this.incremental = incremental;
        this.thisRelation = thisRelation;
        this.fixedPosition = null;
    }

    /** A render of a YAML value: positions are the value's, and secrets may be read. */
    private RenderState(ProjectSymbols symbols, SourcePosition position) {
        this.template = null;
        this.symbols = symbols;
        this.incremental = false;
        this.thisRelation = state -> null;
        this.fixedPosition = position;
    }

    static RenderState forYamlValue(ProjectSymbols symbols, SourcePosition position) {
        return new RenderState(symbols, position);
    }

    /** YAML values (connector properties) may read secret env vars; model SQL may not. */
    boolean allowsSecrets() {
        return fixedPosition != null;
    }

    void markSecretUsed() {
        secretUsed = true;
    }

    boolean secretUsed() {
        return secretUsed;
    }

    static RenderState current() {
        Object state = JinjavaInterpreter.getCurrent().getContext().get(CONTEXT_KEY);
        if (state instanceof RenderState renderState) {
            return renderState;
        }
        throw new IllegalStateException("This function can only be used inside a model or test.");
    }

    /** The position of the Jinja tag being rendered, in the original file. */
    SourcePosition currentPosition() {
        if (fixedPosition != null) {
            return fixedPosition;
        }
        JinjavaInterpreter interpreter = JinjavaInterpreter.getCurrent();
        int line = interpreter.getLineNumber();
        int column = interpreter.getPosition();
        // inside a macro, the interpreter's line is the macro file's: the template's is where the outermost call is
        for (Context context = interpreter.getContext(); context != null; context = context.getParent()) {
            CallStack macros = context.getMacroStack();
            if (macros != null && !macros.isEmpty()) {
                line = macros.getTopLineNumber();
                column = macros.getTopStartPosition();
            }
        }
        return template.position(line, column);
    }

    int addPlaceholder(RefCall call) {
        placeholders.add(call);
        return placeholders.size() - 1;
    }

    void problem(String message, String hint) {
        problems.add(Problem.at(currentPosition(), message, hint));
    }

    /** Something to fix that does not stop the build (e.g. a description's missing doc block). */
    void warn(String message) {
        warnings.add(Problem.at(currentPosition(), message, null));
    }

    List<Problem> warnings() {
        return warnings;
    }

    void config(Map<String, Object> values) {
        configCalls.add(new ConfigCall(values, currentPosition()));
        configSoFar.putAll(values);
    }

    TemplateInstrumenter.Instrumented template() {
        return template;
    }

    ProjectSymbols symbols() {
        return symbols;
    }

    boolean incremental() {
        return incremental;
    }

    Relation thisRelation() {
        return thisRelation.apply(this);
    }

    Map<String, Object> configSoFar() {
        return configSoFar;
    }

    List<RefCall> placeholders() {
        return placeholders;
    }

    Set<String> refs() {
        return refs;
    }

    Set<String> sources() {
        return sources;
    }

    List<ConfigCall> configCalls() {
        return configCalls;
    }

    List<Problem> problems() {
        return problems;
    }
}
