package io.github.flinkdbt.build;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.flinkdbt.api.Settings;
import io.github.flinkdbt.common.AtomicFiles;
import io.github.flinkdbt.common.BuildLog;
import io.github.flinkdbt.common.Json;
import io.github.flinkdbt.common.Problems;
import io.github.flinkdbt.common.RecordText;
import io.github.flinkdbt.project.ProjectLayout;
import io.github.flinkdbt.report.OutputDirectory;
import io.github.flinkdbt.state.Baseline;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * What the last successful run of a goal saw: a fingerprint of every input (every compile setting,
 * project files, project classes, the environment variables models read), the
 * baseline plans it continued, and, for compile, every output file. When nothing changed the goal
 * is done before it renders a single template.
 *
 * <p>A baseline plan that changed since is no change when it is now exactly the plan this compile
 * wrote: the home runs what was compiled (a {@code run} just started it), and continuing the UIDs
 * of a plan against itself gives that plan again.
 */
final class BuildRecord {

    private static final int FORMAT = 2;

    private BuildRecord() {}

    /**
     * The last successful run, as far as a later run needs to know it.
     *
     * @param stamp a hash of the whole record: equal stamps, equal inputs, baseline and outputs
     */
    record Last(String project, int models, List<String> dag, String stamp) {}

    /** The last successful run of {@code goal}, if it saw exactly these inputs (and left these outputs). */
    static Optional<Last> upToDate(
            Settings settings, Map<String, String> environment, String goal, Supplier<Baseline> baseline) {
        Settings.Compile compile = settings.compile();
        if (!compile.useCache() || !Files.isRegularFile(file(compile, goal))) {
            return Optional.empty();
        }
        try {
            String text = Files.readString(file(compile, goal), StandardCharsets.UTF_8);
            JsonNode record = Json.read(text);
            if (record.path("format").asInt() != FORMAT) {
                return Optional.empty();
            }
            Set<String> env = new TreeSet<>();
            record.path("environment").forEach(n -> env.add(n.asText()));
            if (!record.path("fingerprint").asText().equals(fingerprint(settings, goal, env, environment))) {
                return Optional.empty();
            }
            Map<String, String> outputs = strings(record.get("outputs"));
            if (record.has("outputs") && !outputs.equals(hashes(compile.outputDirectory()))) {
                return Optional.empty();
            }
            if (!sameBaseline(strings(record.get("baseline")), planHashes(baseline.get()), outputs)) {
                return Optional.empty();
            }
            List<String> dag = new ArrayList<>();
            record.path("dag").forEach(n -> dag.add(n.asText()));
            return Optional.of(new Last(
                    record.path("project").asText(),
                    record.path("models").asInt(),
                    List.copyOf(dag),
                    sha256(text.getBytes(StandardCharsets.UTF_8))));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Each model's baseline plan is the one recorded, or the plan this compile wrote. */
    private static boolean sameBaseline(
            Map<String, String> recorded, Map<String, String> now, Map<String, String> outputs) {
        Set<String> models = new TreeSet<>(recorded.keySet());
        models.addAll(now.keySet());
        for (String model : models) {
            String plan = now.get(model);
            if (plan != null && plan.equals(recorded.get(model))) {
                continue;
            }
            if (plan == null || !plan.equals(outputs.get(OutputDirectory.plan(model)))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Records a successful run; {@code outputs} is null for goals that write none.
     *
     * @return the record's {@link Last#stamp()}; null when nothing was recorded
     */
    static String write(
            Settings settings,
            Map<String, String> environment,
            String goal,
            Set<String> environmentRead,
            Baseline baseline,
            Map<String, byte[]> outputs,
            String project,
            int models,
            List<String> dag,
            BuildLog log) {
        Settings.Compile compile = settings.compile();
        if (!compile.useCache()) {
            return null;
        }
        ObjectNode record = Json.MAPPER.createObjectNode();
        record.put("format", FORMAT);
        record.put("project", project);
        record.put("models", models);
        record.putPOJO("dag", dag);
        record.put("fingerprint", fingerprint(settings, goal, environmentRead, environment));
        record.putPOJO("environment", new TreeSet<>(environmentRead));
        record.putPOJO("baseline", planHashes(baseline));
        if (outputs != null) {
            Map<String, String> hashes = new TreeMap<>();
            outputs.forEach((path, bytes) -> hashes.put(path, sha256(bytes)));
            record.putPOJO("outputs", hashes);
        }
        Path file = file(compile, goal);
        String text = Json.write(record);
        try {
            AtomicFiles.write(file, text);
            return sha256(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            log.debug("Could not record the build in " + file + ": " + e.getMessage());
            return null;
        }
    }

    /** Forgets the last run (after a failure, the next run must do the work). */
    static void clear(Settings settings, String goal, BuildLog log) {
        Path file = file(settings.compile(), goal);
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.debug("Could not delete " + file + ": " + e.getMessage());
        }
    }

    private static Path file(Settings.Compile compile, String goal) {
        return compile.cacheDirectory().resolve("last-" + goal + ".json");
    }

    /** Every compile setting, the files they point to, and the environment variables read. */
    static String fingerprint(Settings settings, String goal, Set<String> environmentRead, Map<String, String> env) {
        Settings.Compile compile = settings.compile();
        MessageDigest digest = digest();
        digest.update((goal + "\n" + RecordText.of(compile) + "\n").getBytes(StandardCharsets.UTF_8));
        for (String name : new TreeSet<>(environmentRead)) {
            String value = env.get(name);
            digest.update(("env " + name + "="
                            + (value == null ? "<unset>" : sha256(value.getBytes(StandardCharsets.UTF_8))) + "\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        ProjectLayout layout =
                ProjectLayout.load(compile.projectDir(), compile.basedir(), compile.defaultName(), new Problems());
        digestFile(digest, compile.projectDir().resolve(ProjectLayout.DBT_PROJECT_FILE), "dbt_project.yml");
        Set<String> roots = new TreeSet<>();
        roots.addAll(layout.modelPaths());
        roots.addAll(layout.macroPaths());
        roots.addAll(layout.seedPaths());
        roots.addAll(layout.testPaths());
        for (String root : roots) {
            digestTree(digest, compile.projectDir().resolve(root), root);
        }
        for (Path entry : compile.classpath()) {
            if (Files.isDirectory(entry)) {
                digestTree(digest, entry, entry.toString());
            } else {
                try {
                    digest.update((entry + " " + Files.size(entry) + " "
                                    + Files.getLastModifiedTime(entry).toMillis())
                            .getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    digest.update(("missing " + entry).getBytes(StandardCharsets.UTF_8));
                }
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static Map<String, String> planHashes(Baseline baseline) {
        Map<String, String> hashes = new TreeMap<>();
        baseline.plans().forEach((model, plan) -> hashes.put(model, sha256(plan.getBytes(StandardCharsets.UTF_8))));
        return hashes;
    }

    private static Map<String, String> strings(JsonNode node) {
        Map<String, String> values = new TreeMap<>();
        if (node != null) {
            node.fields()
                    .forEachRemaining(e -> values.put(e.getKey(), e.getValue().asText()));
        }
        return values;
    }

    private static void digestTree(MessageDigest digest, Path root, String label) {
        if (!Files.isDirectory(root)) {
            digest.update(("no " + label).getBytes(StandardCharsets.UTF_8));
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path file : (Iterable<Path>) walk.filter(Files::isRegularFile).sorted()::iterator) {
                digestFile(
                        digest,
                        file,
                        label + "/" + root.relativize(file).toString().replace('\\', '/'));
            }
        } catch (IOException e) {
            digest.update(("unreadable " + label).getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void digestFile(MessageDigest digest, Path file, String label) {
        digest.update(label.getBytes(StandardCharsets.UTF_8));
        try {
            if (Files.isRegularFile(file)) {
                digest.update(Files.readAllBytes(file));
            }
        } catch (IOException e) {
            digest.update("unreadable".getBytes(StandardCharsets.UTF_8));
        }
    }

    private static Map<String, String> hashes(Path directory) {
        Map<String, String> hashes = new TreeMap<>();
        OutputDirectory.read(directory).forEach((path, bytes) -> hashes.put(path, sha256(bytes)));
        return hashes;
    }

    private static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(digest().digest(bytes));
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
