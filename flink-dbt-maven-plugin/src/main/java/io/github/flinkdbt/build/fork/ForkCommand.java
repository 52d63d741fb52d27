package io.github.flinkdbt.build.fork;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.github.flinkdbt.api.DeployMode;
import io.github.flinkdbt.api.Hints;
import io.github.flinkdbt.api.Settings;
import io.github.flinkdbt.planner.CompiledProject;
import java.nio.file.Path;
import java.util.List;

/**
 * What a forked JVM is asked to do: a goal with its settings, serialized whole on the child's
 * stdin. The child answers with {@link ForkEvent}s.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "goal")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ForkCommand.Validate.class, name = "validate"),
    @JsonSubTypes.Type(value = ForkCommand.Compile.class, name = "compile"),
    @JsonSubTypes.Type(value = ForkCommand.Run.class, name = "run"),
    @JsonSubTypes.Type(value = ForkCommand.Test.class, name = "test"),
    @JsonSubTypes.Type(value = ForkCommand.Deploy.class, name = "deploy")
})
public sealed interface ForkCommand {

    Settings settings();

    Context context();

    /** Which JVM runs the command, for messages and its size. */
    ForkedJvm.Kind kind();

    /**
     * The parts of the invocation a child needs; the rest is its own (it logs through events,
     * reads its environment, never forks again).
     *
     * @param debug whether debug lines are wanted
     * @param threads planner threads
     * @param printDag print the model DAG after compiling
     */
    record Context(Hints hints, boolean debug, int threads, boolean printDag, List<Path> pluginClasspath) {}

    /** Plan every selected model; write nothing. */
    record Validate(Settings settings, Context context) implements ForkCommand {
        @Override
        public ForkedJvm.Kind kind() {
            return ForkedJvm.Kind.PLANNER;
        }
    }

    /**
     * Plan, then write the compile output.
     *
     * @param handOver send the compiled project back, for a later goal of the build to run
     */
    record Compile(Settings settings, Context context, boolean handOver) implements ForkCommand {
        @Override
        public ForkedJvm.Kind kind() {
            return ForkedJvm.Kind.PLANNER;
        }
    }

    /**
     * Run the project; stopped by signals or when the parent goes away.
     *
     * @param compiled what the compile of this build compiled; null to compile (or reuse the plan
     *     cache) first
     */
    record Run(Settings settings, Context context, CompiledProject compiled) implements ForkCommand {
        @Override
        public ForkedJvm.Kind kind() {
            return ForkedJvm.Kind.RUN;
        }
    }

    /**
     * Run the tests.
     *
     * @param compiled what the compile of this build compiled; null to compile first
     */
    record Test(Settings settings, Context context, CompiledProject compiled) implements ForkCommand {
        @Override
        public ForkedJvm.Kind kind() {
            return ForkedJvm.Kind.TEST;
        }
    }

    /**
     * Deploy the streaming models, plan it, or roll the last deployment back; ended by the parent's
     * end at any step, which the next deploy finishes from the ledger.
     */
    record Deploy(Settings settings, Context context, DeployMode mode) implements ForkCommand {
        @Override
        public ForkedJvm.Kind kind() {
            return ForkedJvm.Kind.RUN;
        }
    }
}
