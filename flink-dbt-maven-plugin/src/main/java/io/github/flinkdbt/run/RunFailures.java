package io.github.flinkdbt.run;

import io.github.flinkdbt.api.Hints;
import io.github.flinkdbt.api.Option;
import io.github.flinkdbt.common.BuildLog;
import io.github.flinkdbt.common.FlinkDbtException;
import io.github.flinkdbt.project.Model;
import io.github.flinkdbt.project.Secrets;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Set;

/**
 * Turns a model's runtime failure into one line: what failed, why (the root cause), what to do.
 * Flink's messages can quote table options: every secret value of the project is scrubbed.
 */
final class RunFailures {

    private final Set<String> secrets;
    private final Hints hints;

    RunFailures(Set<String> secrets, Hints hints) {
        this.secrets = secrets;
        this.hints = hints;
    }

    String describe(Model model, Throwable failure) {
        String cause = rootMessage(failure);
        String hint = hint(cause);
        return cause + (hint == null ? "" : " — " + hint) + " (" + model.displayPath() + ")";
    }

    /** The whole failure, for -X. */
    void debug(BuildLog log, Throwable failure) {
        if (log.isDebugEnabled()) {
            StringWriter trace = new StringWriter();
            failure.printStackTrace(new PrintWriter(trace));
            log.debug(Secrets.scrub(trace.toString(), secrets));
        }
    }

    String rootMessage(Throwable failure) {
        return Secrets.scrub(FlinkDbtException.rootCause(failure), secrets);
    }

    private String hint(String cause) {
        if (hints.options().values().stream().anyMatch(cause::contains)) {
            return null; // says what to do already
        }
        if (cause.contains("Cannot map checkpoint/savepoint state")) {
            return "the model changed so that its saved state no longer fits; revert the change, or start it "
                    + "without state (its state is lost): " + hints.name(Option.FULL_REFRESH) + " "
                    + hints.set(Option.SELECT, "<model>");
        }
        if (cause.contains("NumberFormatException") || cause.contains("Cast") || cause.contains("cast")) {
            return "a value does not convert; use TRY_CAST(... AS ...) to turn bad values into NULL";
        }
        if (cause.contains("ArithmeticException")) {
            return "guard the division, e.g. CASE WHEN d = 0 THEN NULL ELSE n / d END";
        }
        if (cause.contains("ClassNotFoundException") || cause.contains("NoClassDefFoundError")) {
            return cause.endsWith("(on the cluster)")
                    ? "the cluster cannot load a class of the job; add its dependency to the project's pom.xml "
                            + "(jobs carry the project's dependencies), or put its jar in the cluster's lib/"
                    : "a class is missing at run time; add its dependency to the project's pom.xml";
        }
        if (cause.contains("AccessDeniedException") || cause.contains("Permission denied")) {
            return "make the flink-dbt home writable, or set " + hints.name(Option.HOME);
        }
        return "see the job's exceptions in the web UI or the log above";
    }
}
