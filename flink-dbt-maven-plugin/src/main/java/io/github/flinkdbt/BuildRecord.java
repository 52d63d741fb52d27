package io.github.flinkdbt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.flinkdbt.project.Problems;
import io.github.flinkdbt.project.ProjectLayout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * What the last successful run of a goal saw: a fingerprint of every input (project files, build
 * parameters, project classes, the environment variables models read) and, for compile, of every
 * output file. When nothing changed the goal is done before it renders a single template.
 */
final class BuildRecord {

    private static final int FORMAT = 1;

    private BuildRecord() {}

    /** The last successful run, as far as a later run needs to know it. */
    record Last(String project, int models, java.util.List<String> dag) {}

    /** The last successful run of {@code goal}, if it saw exactly these inputs (and left these outputs). */
    static java.util.Optional<Last> upToDate(BuildRequest request, String goal) {
        return check(request, goal) ? read(request, goal) : java.util.Optional.empty();
    }

    private static java.util.Optional<Last> read(BuildRequest request, String goal) {
        try {
            JsonNode record = Json.read(Files.readString(file(request, goal), StandardCharsets.UTF_8));
            java.util.List<String> dag = new java.util.ArrayList<>();
            record.path("dag").forEach(n -> dag.add(n.asText()));
            return java.util.Optional.of(new Last(record.path("project").asText(), record.path("models").asInt(),
                    java.util.List.copyOf(dag)));
        } catch (IOException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    private static boolean check(BuildRequest request, String goal) {
        if (!request.useCache()) {
            return false;
        }
        Path file = file(request, goal);
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try {
            JsonNode record = Json.read(Files.readString(file, StandardCharsets.UTF_8));
            if (record.path("format").asInt() != FORMAT) {
                return false;
            }
            Set<String> env = new TreeSet<>();
            record.path("environment").forEach(n -> env.add(n.asText()));
            if (!record.path("fingerprint").asText().equals(fingerprint(request, goal, env))) {
                return false;
            }
            JsonNode outputs = record.get("outputs");
            if (outputs == null) {
                return true;
            }
            Map<String, String> expected = new TreeMap<>();
            outputs.fields().forEachRemaining(e -> expected.put(e.getKey(), e.getValue().asText()));
            return expected.equals(hashes(request.outputDirectory()));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Records a successful run; {@code outputs} is null for goals that write none. */
    static void write(BuildRequest request, String goal, Set<String> environmentRead, Map<String, byte[]> outputs,
            String project, int models, java.util.List<String> dag) {
        if (!request.useCache()) {
            return;
        }
        ObjectNode record = Json.MAPPER.createObjectNode();
        record.put("format", FORMAT);
        record.put("project", project);
        record.put("models", models);
        record.putPOJO("dag", dag);
        record.put("fingerprint", fingerprint(request, goal, environmentRead));
        record.putPOJO("environment", new TreeSet<>(environmentRead));
        if (outputs != null) {
            Map<String, String> hashes = new TreeMap<>();
            outputs.forEach((path, bytes) -> hashes.put(path, sha256(bytes)));
            record.putPOJO("outputs", hashes);
        }
        Path file = file(request, goal);
        try {
            AtomicFiles.write(file, Json.write(record));
        } catch (IOException e) {
            request.log().debug("Could not record the build in " + file + ": " + e.getMessage());
        }
    }

    /** Forgets the last run (after a failure, the next run must do the work). */
    static void clear(BuildRequest request, String goal) {
        try {
            Files.deleteIfExists(file(request, goal));
        } catch (IOException e) {
            request.log().debug("Could not delete " + file(request, goal) + ": " + e.getMessage());
        }
    }

    private static Path file(BuildRequest request, String goal) {
        return request.cacheDirectory().resolve("last-" + goal + ".json");
    }

    static String fingerprint(BuildRequest request, String goal, Set<String> environmentRead) {
        MessageDigest digest = digest();
        StringBuilder parameters = new StringBuilder()
                .append(goal).append('|').append(request.pluginVersion()).append('|')
                .append(request.projectDir().toAbsolutePath().normalize()).append('|')
                .append(request.outputDirectory().toAbsolutePath().normalize()).append('|')
                .append(request.catalog()).append('|').append(request.database()).append('|')
                .append(new TreeMap<>(request.vars())).append('|').append(request.targetName()).append('|')
                .append(request.select()).append('|').append(request.exclude()).append('|')
                .append(new TreeMap<>(request.flinkConfiguration())).append('|')
                .append(request.printDag()).append('|').append(Baselines.fingerprint(request.baseline()));
        for (String name : new TreeSet<>(environmentRead)) {
            String value = request.environment().get(name);
            parameters.append("|env ").append(name).append('=').append(value == null ? "<unset>" : sha256(
                    value.getBytes(StandardCharsets.UTF_8)));
        }
        digest.update(parameters.toString().getBytes(StandardCharsets.UTF_8));
        Problems ignored = new Problems();
        ProjectLayout layout = ProjectLayout.load(request.projectDir(), request.basedir(), request.defaultName(), ignored);
        digestFile(digest, request.projectDir().resolve(ProjectLayout.DBT_PROJECT_FILE), "dbt_project.yml");
        Set<String> roots = new TreeSet<>();
        roots.addAll(layout.modelPaths());
        roots.addAll(layout.macroPaths());
        roots.addAll(layout.seedPaths());
        roots.addAll(layout.testPaths());
        for (String root : roots) {
            digestTree(digest, request.projectDir().resolve(root), root);
        }
        for (Path entry : request.classpath()) {
            if (Files.isDirectory(entry)) {
                digestTree(digest, entry, entry.toString());
            } else {
                try {
                    digest.update((entry + " " + Files.size(entry) + " " + Files.getLastModifiedTime(entry).toMillis())
                            .getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    digest.update(("missing " + entry).getBytes(StandardCharsets.UTF_8));
                }
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void digestTree(MessageDigest digest, Path root, String label) {
        if (!Files.isDirectory(root)) {
            digest.update(("no " + label).getBytes(StandardCharsets.UTF_8));
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path file : (Iterable<Path>) walk.filter(Files::isRegularFile).sorted()::iterator) {
                digestFile(digest, file, label + "/" + root.relativize(file).toString().replace('\\', '/'));
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

    private static Map<String, String> hashes(Path directory) throws IOException {
        Map<String, String> hashes = new TreeMap<>();
        if (!Files.isDirectory(directory)) {
            return hashes;
        }
        try (Stream<Path> walk = Files.walk(directory)) {
            for (Path file : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
                String path = directory.relativize(file).toString().replace('\\', '/');
                if (io.github.flinkdbt.report.OutputDirectory.isCompileOutput(path)) {
                    hashes.put(path, sha256(Files.readAllBytes(file)));
                }
            }
        }
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
