package io.github.flinkdbt.build;

import io.github.flinkdbt.api.Invocation;
import io.github.flinkdbt.api.Settings;
import io.github.flinkdbt.common.AtomicFiles;
import io.github.flinkdbt.common.Json;
import io.github.flinkdbt.plan.ProjectPlan;
import io.github.flinkdbt.planner.CompiledProject;
import io.github.flinkdbt.planner.PlannedModel;
import io.github.flinkdbt.planner.PlanningResult;
import io.github.flinkdbt.project.Project;
import io.github.flinkdbt.project.Secrets;
import io.github.flinkdbt.report.OutputDirectory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
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

    /** In the cache directory: the last compile's stamp on the first line, then its project. */
    private static final String FILE = "compiled-project.json";

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

    /**
     * Keeps what a compile compiled on disk as well, for a later build that finds it up to date
     * (e.g. {@code docs} after {@code mvn compile}): it takes it instead of loading the project
     * again. Written by the JVM that compiled, only with the plan cache on, and never for a project
     * that read secrets.
     */
    static void persist(Settings settings, Build.Compiled compiled) {
        Settings.Compile compile = settings.compile();
        Path file = compile.cacheDirectory().resolve(FILE);
        try {
            if (!compile.useCache()
                    || compiled.project() == null
                    || compiled.stamp() == null
                    || holdsSecrets(compiled)) {
                Files.deleteIfExists(file);
                return;
            }
            AtomicFiles.write(file, compiled.stamp() + "\n" + Json.line(withPlansInOutput(compiled.project())));
        } catch (IOException | RuntimeException e) {
            // only a shortcut: without it the next build loads the project
        }
    }

    /** The project the last compile of these settings compiled, if nothing changed since. */
    static Optional<CompiledProject> reuse(Settings settings, Invocation invocation) {
        Path output = settings.compile().outputDirectory();
        Kept inMemory = KEPT.get(output);
        Kept kept = inMemory != null ? inMemory : fromDisk(settings.compile(), null);
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

    /** A project that read a secret is never written to disk (it holds the values). */
    private static boolean holdsSecrets(Build.Compiled compiled) {
        Project project = compiled.project().project();
        return !Secrets.values(project).isEmpty()
                || project.environmentRead().stream().anyMatch(Secrets::isSecretKey);
    }

    /**
     * The project the compile with this build record's stamp compiled, for a caller that has just
     * found that record standing: in memory, or as the compile left it on disk.
     */
    static Optional<CompiledProject> reuse(Settings settings, String standingStamp) {
        Kept inMemory = KEPT.get(settings.compile().outputDirectory());
        Kept kept = inMemory != null && inMemory.stamp().equals(standingStamp)
                ? inMemory
                : fromDisk(settings.compile(), standingStamp);
        return kept != null && kept.stamp().equals(standingStamp) ? Optional.of(kept.compiled()) : Optional.empty();
    }

    /**
     * The project without the JSON of the plans the compile wrote to its output (nine tenths of its
     * size): they are read back from there, which the build record's stamp vouches for.
     */
    private static CompiledProject withPlansInOutput(CompiledProject compiled) {
        if (compiled.result() == null) {
            return compiled;
        }
        Map<String, PlannedModel> models = new TreeMap<>(compiled.result().models());
        models.replaceAll((name, model) ->
                model.plan() != null && compiled.selection().models().contains(name)
                        ? model.withPlan(new ProjectPlan(
                                model.plan().model(), null, model.plan().operators()))
                        : model);
        return withModels(compiled, models);
    }

    /** The kept project with its plans' JSON read back from the compile output; null if one is missing. */
    private static CompiledProject withPlansFrom(Path output, CompiledProject kept) throws IOException {
        if (kept.result() == null) {
            return kept;
        }
        Map<String, PlannedModel> models = new TreeMap<>(kept.result().models());
        for (Map.Entry<String, PlannedModel> entry : models.entrySet()) {
            ProjectPlan plan = entry.getValue().plan();
            if (plan != null && plan.json() == null) {
                Path file = output.resolve(OutputDirectory.plan(entry.getKey()));
                if (!Files.isRegularFile(file)) {
                    return null;
                }
                String json = Files.readString(file, StandardCharsets.UTF_8);
                entry.setValue(entry.getValue().withPlan(new ProjectPlan(plan.model(), json, plan.operators())));
            }
        }
        return withModels(kept, models);
    }

    private static CompiledProject withModels(CompiledProject compiled, Map<String, PlannedModel> models) {
        PlanningResult result = compiled.result();
        return new CompiledProject(
                compiled.project(),
                compiled.graph(),
                compiled.selection(),
                new PlanningResult(models, result.planned(), result.reused(), result.skipped()));
    }

    /** @param stamp the stamp it must have; null for any (checked by the caller) */
    private static Kept fromDisk(Settings.Compile compile, String stamp) {
        Path file = compile.cacheDirectory().resolve(FILE);
        if (!compile.useCache() || !Files.isRegularFile(file)) {
            return null;
        }
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            int newline = text.indexOf('\n');
            if (stamp != null && !stamp.equals(text.substring(0, newline))) {
                return null;
            }
            CompiledProject kept = withPlansFrom(
                    compile.outputDirectory(), Json.fromLine(text.substring(newline + 1), CompiledProject.class));
            return kept == null ? null : new Kept(text.substring(0, newline), kept);
        } catch (IOException | RuntimeException e) {
            return null; // damaged or of another plugin version: the project is loaded again
        }
    }
}
