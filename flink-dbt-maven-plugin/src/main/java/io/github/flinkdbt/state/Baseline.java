package io.github.flinkdbt.state;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.flinkdbt.api.Hints;
import io.github.flinkdbt.api.Option;
import io.github.flinkdbt.common.FlinkDbtException;
import io.github.flinkdbt.common.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The compiled plans the new compile is compared with: an earlier {@code target/flink-dbt}
 * directory, a released bundle (its {@code flink-dbt/} entries), or what a home last ran.
 *
 * @param description how messages name it, e.g. {@code target/flink-dbt-baseline}
 * @param plans model name → compiled plan JSON, for its streaming models
 * @param savepoints model name → the location (URI) of the savepoint or retained checkpoint its state
 *     is in, when the baseline knows one
 * @param nodes model name → its state checksum ({@code Model.stateChecksum()}), for {@code state:}
 *     selection: from the baseline's manifest, or what a home last ran
 */
public record Baseline(
        String description, Map<String, String> plans, Map<String, String> savepoints, Map<String, String> nodes) {

    private static final String BUNDLE_PLANS = "flink-dbt/plans/";

    public static Baseline none() {
        return new Baseline("", Map.of(), Map.of(), Map.of());
    }

    public boolean isNone() {
        return description.isEmpty();
    }

    /** A compile output directory (with {@code plans/}) or a bundle jar. */
    public static Baseline load(Path path, Hints hints) {
        if (Files.isRegularFile(path) && path.getFileName().toString().endsWith(".jar")) {
            return fromBundle(path);
        }
        if (Files.isDirectory(path)
                && (Files.isDirectory(path.resolve("plans")) || Files.isRegularFile(path.resolve("manifest.json")))) {
            return fromDirectory(path);
        }
        throw new FlinkDbtException("The baseline " + path + " is neither a compile output directory (with "
                + "manifest.json and plans/) nor a flink-dbt bundle (.jar).\nGive one of: "
                + hints.set(Option.BASELINE, "<dir of an earlier target/flink-dbt>") + ", "
                + hints.set(Option.BASELINE, "<groupId>:<artifactId>:<version>") + ", "
                + hints.set(Option.BASELINE, "deployed"));
    }

    private static Baseline fromDirectory(Path directory) {
        Map<String, String> plans = new TreeMap<>();
        Path dir = directory.resolve("plans");
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json"))
                        .toList()) {
                    String name = file.getFileName().toString();
                    plans.put(
                            name.substring(0, name.length() - ".json".length()),
                            Files.readString(file, StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                throw new FlinkDbtException("Cannot read the baseline's plans in " + dir + ": " + e.getMessage(), e);
            }
        }
        Path manifest = directory.resolve("manifest.json");
        try {
            Map<String, String> nodes = Files.isRegularFile(manifest)
                    ? nodes(Files.readString(manifest, StandardCharsets.UTF_8))
                    : Map.of();
            return new Baseline(directory.toString(), plans, Map.of(), nodes);
        } catch (IOException e) {
            throw new FlinkDbtException("Cannot read the baseline's manifest " + manifest + ": " + e.getMessage(), e);
        }
    }

    private static Baseline fromBundle(Path jar) {
        Map<String, String> plans = new TreeMap<>();
        Map<String, String> nodes;
        try (JarFile file = new JarFile(jar.toFile())) {
            JarEntry manifest = file.getJarEntry("flink-dbt/manifest.json");
            if (manifest == null) {
                throw new FlinkDbtException("The baseline " + jar + " is not a flink-dbt bundle: it has no "
                        + "flink-dbt/manifest.json. Give the bundle a flink-dbt project's package phase wrote.");
            }
            try (InputStream in = file.getInputStream(manifest)) {
                nodes = nodes(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            for (Enumeration<JarEntry> entries = file.entries(); entries.hasMoreElements(); ) {
                JarEntry entry = entries.nextElement();
                String name = entry.getName();
                if (name.startsWith(BUNDLE_PLANS) && name.endsWith(".json")) {
                    try (InputStream in = file.getInputStream(entry)) {
                        plans.put(
                                name.substring(BUNDLE_PLANS.length(), name.length() - ".json".length()),
                                new String(in.readAllBytes(), StandardCharsets.UTF_8));
                    }
                }
            }
        } catch (IOException e) {
            throw new FlinkDbtException("Cannot read the baseline bundle " + jar + ": " + e.getMessage(), e);
        }
        return new Baseline(jar.toString(), plans, Map.of(), nodes);
    }

    /** The state checksum of every model, seed and snapshot a manifest describes, by name. */
    private static Map<String, String> nodes(String manifestJson) {
        Map<String, String> nodes = new TreeMap<>();
        Json.read(manifestJson).path("nodes").forEach(node -> {
            // under meta.flink_dbt since the manifest follows dbt's schema; at the top before (older bundles)
            JsonNode checksum = node.path("meta").path("flink_dbt").path("state_checksum");
            if (!checksum.isTextual()) {
                checksum = node.path("state_checksum");
            }
            if (checksum.isTextual()) {
                nodes.put(node.path("name").asText(), checksum.asText());
            }
        });
        return nodes;
    }

    /** A hash of the plans, so a compile against another baseline is not taken for up to date. */
    public String fingerprint() {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            plans.forEach((model, json) -> {
                digest.update(model.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
                digest.update(json.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
            });
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
