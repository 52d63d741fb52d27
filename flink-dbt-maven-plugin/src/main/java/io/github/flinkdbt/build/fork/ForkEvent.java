package io.github.flinkdbt.build.fork;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.github.flinkdbt.api.BuildSummary;
import io.github.flinkdbt.common.Problem;
import io.github.flinkdbt.deploy.DeployOutcome;
import io.github.flinkdbt.planner.CompiledProject;
import io.github.flinkdbt.run.RunOutcome;
import io.github.flinkdbt.testing.TestOutcome;
import java.util.List;

/** What a forked JVM reports, one JSON line each on its stdout: log lines, then one result. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "event")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ForkEvent.Log.class, name = "log"),
    @JsonSubTypes.Type(value = ForkEvent.Built.class, name = "built"),
    @JsonSubTypes.Type(value = ForkEvent.Ran.class, name = "ran"),
    @JsonSubTypes.Type(value = ForkEvent.Tested.class, name = "tested"),
    @JsonSubTypes.Type(value = ForkEvent.Deployed.class, name = "deployed"),
    @JsonSubTypes.Type(value = ForkEvent.Invalid.class, name = "invalid"),
    @JsonSubTypes.Type(value = ForkEvent.Failed.class, name = "failed")
})
public sealed interface ForkEvent {

    /** A line for the parent's log. */
    record Log(Level level, String message) implements ForkEvent {}

    /** The levels of {@link Log}. */
    enum Level {
        DEBUG,
        INFO,
        WARN,
        ERROR
    }

    /**
     * A validate or compile finished.
     *
     * @param compiled what a compile compiled, for the goals of the same build that run it; null
     *     after a validate
     * @param stamp the stamp of the build record the compile left; null when it left none
     */
    record Built(BuildSummary summary, CompiledProject compiled, String stamp) implements ForkEvent {}

    /** A run finished (also when models failed). */
    record Ran(RunOutcome outcome) implements ForkEvent {}

    /** A deployment (or its plan) ended. */
    record Deployed(DeployOutcome outcome) implements ForkEvent {}

    /** Tests ran (also when tests failed). */
    record Tested(TestOutcome outcome) implements ForkEvent {}

    /** The project has problems, each at its file and line. */
    record Invalid(List<Problem> problems) implements ForkEvent {}

    /** The goal failed with a message for the user. */
    record Failed(String message) implements ForkEvent {}
}
