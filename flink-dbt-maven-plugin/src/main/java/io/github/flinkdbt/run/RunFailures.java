package io.github.flinkdbt.run;

import io.github.flinkdbt.project.Model;

/**
 * Turns a model's runtime failure into one line: what failed, why (the root cause), what to do.
 * Flink's messages can quote table options: every secret value of the project is scrubbed.
 */
final class RunFailures {

    private final java.util.Set<String> secrets;

    RunFailures(java.util.Set<String> secrets) {
        this.secrets = secrets;
    }

    String describe(Model model, Throwable failure) {
        String cause = rootMessage(failure);
        String hint = hint(cause);
        return cause + (hint == null ? "" : " — " + hint) + " (" + model.displayPath() + ")";
    }

    /** The whole failure, for -X. */
    void debug(io.github.flinkdbt.BuildLog log, Throwable failure) {
        if (log.isDebugEnabled()) {
            java.io.StringWriter trace = new java.io.StringWriter();
            failure.printStackTrace(new java.io.PrintWriter(trace));
            log.debug(io.github.flinkdbt.project.Secrets.scrub(trace.toString(), secrets));
        }
    }

    String rootMessage(Throwable failure) {
        return io.github.flinkdbt.project.Secrets.scrub(io.github.flinkdbt.FlinkDbtException.rootCause(failure), secrets);
    }

    private static String hint(String cause) {
        if (cause.contains("-Dflink-dbt.")) {
            return null; // says what to do already
        }
        if (cause.contains("Cannot map checkpoint/savepoint state")) {
            return "the model changed so that its saved state no longer fits; revert the change, or start it "
                    + "without state (its state is lost): -Dflink-dbt.fullRefresh -Dflink-dbt.select=<model>";
        }
        if (cause.contains("NumberFormatException") || cause.contains("Cast") || cause.contains("cast")) {
            return "a value does not convert; use TRY_CAST(... AS ...) to turn bad values into NULL";
        }
        if (cause.contains("ArithmeticException")) {
            return "guard the division, e.g. CASE WHEN d = 0 THEN NULL ELSE n / d END";
        }
        if (cause.contains("ClassNotFoundException") || cause.contains("NoClassDefFoundError")) {
            return "a class is missing at run time; add its dependency to the project's pom.xml";
        }
        if (cause.contains("AccessDeniedException") || cause.contains("Permission denied")) {
            return "make the flink-dbt home writable, or set -Dflink-dbt.home";
        }
        return "see the job's exceptions in the web UI or the log above";
    }
}
