package io.github.flinkdbt.build;

import io.github.flinkdbt.api.Invocation;
import io.github.flinkdbt.api.Settings;
import io.github.flinkdbt.planner.CompiledProject;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The project the last compile in this JVM (Maven's) compiled, for the goals of the same build that
 * go on to run it: {@code mvn flink-dbt:run} has the lifecycle compile (validate-models,
 * compile-models) and then runs what that compile left instead of loading and planning the project
 * again; {@code snapshot-test} after {@code compile-models} the same. One per output directory (a
 * reactor builds several modules in one JVM). Reused only while the compile's build record still
 * stands unchanged, i.e. the same settings, files, environment, baseline and outputs — a Maven
 * daemon keeps this JVM from one build to the next, and another build may have compiled since.
 */
final class LastCompile {

    private record Kept(String stamp, CompiledProject compiled) {}

    private static final Map<Path, Kept> KEPT = new ConcurrentHashMap<>();

    private LastCompile() {}

    /** Keeps what a compile compiled, when it left a build record to tell whether it still stands. */
    static void keep(Settings settings, Build.Compiled compiled) {
        if (compiled.project() == null || compiled.stamp() == null) {
            forget(settings);
        } else {
            KEPT.put(settings.compile().outputDirectory(), new Kept(compiled.stamp(), compiled.project()));
        }
    }

    /** Forgets what an earlier compile of these settings compiled: no goal of this build runs it. */
    static void forget(Settings settings) {
        KEPT.remove(settings.compile().outputDirectory());
    }

    /** The project the last compile of these settings compiled, if nothing changed since. */
    static Optional<CompiledProject> reuse(Settings settings, Invocation invocation) {
        Path output = settings.compile().outputDirectory();
        Kept kept = KEPT.get(output);
        if (kept == null) {
            return Optional.empty();
        }
        boolean standing = BuildRecord.upToDate(
                        settings,
                        invocation.environment(),
                        Build.Goal.COMPILE.id,
                        () -> Build.baseline(settings, invocation))
                .filter(last -> last.stamp().equals(kept.stamp()))
                .isPresent();
        if (!standing) {
            KEPT.remove(output, kept);
            return Optional.empty();
        }
        return Optional.of(kept.compiled());
    }
}
