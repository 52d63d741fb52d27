package io.github.flinkdbt.project;

import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.InterpretException;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import com.hubspot.jinjava.lib.fn.MacroFunction;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.AbstractMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What dbt's Jinja has beyond Jinja, on Jinjava: {@code adapter.dispatch('name')(args)} (a
 * project's {@code flink__name}, else {@code default__name}), {@code return(value)} (also as
 * {@code {% do return(value) %}}), dbt's cross-database macros ({@code dbt-macros.sql}) unprefixed
 * and in the {@code dbt} namespace, {@code none}, {@code invocation_id}, {@code run_started_at} and
 * {@code modules.datetime}, {@code adapter.quote}.
 */
final class DbtJinja {

    /** dbt's built-in macros: loaded before the project's, which win by name. */
    static final String BUILT_IN_MACROS = "dbt-macros.sql";

    private static final String DISPATCH = "__flink_dbt_dispatch__";
    private static final Pattern DISPATCH_CALL =
            Pattern.compile("adapter\\.dispatch\\(\\s*(['\"])(\\w+)\\1\\s*(?:,[^()]*)?\\)\\s*\\(");
    private static final Pattern EQUAL_NONE = Pattern.compile("\\s*==\\s*(?:none|None)\\b");
    private static final Pattern NOT_EQUAL_NONE = Pattern.compile("\\s*!=\\s*(?:none|None)\\b");
    private static final Pattern DO_RETURN = Pattern.compile("\\{%(-?)\\s*do\\s+return\\((.*?)\\)\\s*(-?)%}");

    private DbtJinja() {}

    /** Registers {@code return()} and the dispatcher in Jinjava's global context. */
    static void register(Context global) {
        global.registerFunction(new ELFunctionDefinition("", "return", DbtJinja.class, "returnValue", Object.class));
        global.put(DISPATCH, new Dispatch());
        global.put("adapter", new Adapter());
        global.put("none", JinjaNone.NONE);
        global.put("None", JinjaNone.NONE);
        global.registerExpTest(new JinjaNone.IsNone());
        Instant started = Instant.now();
        global.put("invocation_id", UUID.randomUUID().toString());
        global.put("run_started_at", new DbtDateTime(started.atZone(ZoneOffset.UTC), true));
        global.put("modules", Map.of("datetime", new DbtDateTime.Module(Clock.systemDefaultZone())));
    }

    /** Puts the macros defined so far (the built-in ones) in the {@code dbt} namespace: {@code dbt.concat(...)}. */
    static void namespace(Context global, Map<String, MacroFunction> builtIns) {
        global.put("dbt", new TreeMap<>(builtIns));
    }

    /**
     * Rewrites what Jinjava cannot parse into what it can, on the same lines: {@code
     * adapter.dispatch('x', ...)(} into a call of the dispatcher's {@code x}, {@code {% do
     * return(v) %}} into {@code {{ return(v) }}}.
     */
    static String rewrite(String template) {
        if (!template.contains("adapter.dispatch")
                && !template.contains("return(")
                && !template.contains("= no")
                && !template.contains("= No")) {
            return template;
        }
        String dispatched = DISPATCH_CALL
                .matcher(template)
                .replaceAll(m -> Matcher.quoteReplacement(DISPATCH + "." + m.group(2) + "("));
        // a null value (an unset config, a missing key) is not equal to the none object: compare as 'is none'
        String compared = NOT_EQUAL_NONE
                .matcher(EQUAL_NONE.matcher(dispatched).replaceAll(" is none"))
                .replaceAll(" is not none");
        return DO_RETURN.matcher(compared).replaceAll("{{$1 return($2) $3}}");
    }

    /** {@code return(value)}: the macro's output is the value (Jinjava macros render, they cannot return). */
    public static Object returnValue(Object value) {
        return value;
    }

    /** The text of the built-in macros. */
    static SourceText builtIns() {
        try (InputStream in = DbtJinja.class.getResourceAsStream(BUILT_IN_MACROS)) {
            if (in == null) {
                throw new IllegalStateException(BUILT_IN_MACROS + " is missing from the plugin");
            }
            return SourceText.of(
                    "(flink-dbt) " + BUILT_IN_MACROS, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** dbt's {@code adapter} object, as far as models use it: {@code adapter.quote('select')} quotes for Flink SQL. */
    public static final class Adapter {
        public String quote(Object identifier) {
            return "`" + String.valueOf(identifier).replace("`", "``") + "`";
        }
    }

    /** The implementation {@code adapter.dispatch} picks, looked up when it is called. */
    private static final class Dispatch extends AbstractMap<String, Object> {

        @Override
        public Set<Entry<String, Object>> entrySet() {
            return Set.of();
        }

        @Override
        public boolean containsKey(Object name) {
            return true;
        }

        @Override
        public Object get(Object name) {
            Context context = JinjavaInterpreter.getCurrent().getContext();
            MacroFunction macro = context.getGlobalMacro("flink__" + name);
            if (macro == null) {
                macro = context.getGlobalMacro("default__" + name);
            }
            if (macro == null) {
                throw new InterpretException("adapter.dispatch('" + name + "') found no implementation for flink."
                        + " Define a macro flink__" + name + " or default__" + name + ".");
            }
            return macro;
        }
    }
}
