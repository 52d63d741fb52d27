package io.github.flinkdbt.report;

import io.github.flinkdbt.api.Command;
import io.github.flinkdbt.api.Hints;
import io.github.flinkdbt.common.FlinkDbtException;
import io.github.flinkdbt.planner.CompiledProject;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * The project's deployable artifact: {@code flink-dbt/} (compiled SQL, plans, manifest) plus the
 * project's classes (its UDFs), in one jar. Entries are sorted and timestamped with the build's
 * output timestamp, so the same output gives the same bytes.
 */
public final class Bundle {

    /** Where the compile output lives inside the bundle. */
    public static final String PREFIX = "flink-dbt/";

    private Bundle() {}

    /**
     * @param compiled the compiled project behind {@code compileOutput}, which a deploy of the bundle
     *     runs; null for a bundle that can only be a baseline
     */
    public static void write(
            Path compileOutput,
            CompiledProject compiled,
            Path classes,
            Path jar,
            LocalDateTime timestamp,
            String flinkVersion,
            Hints hints) {
        if (!Files.isRegularFile(compileOutput.resolve("manifest.json"))) {
            throw new FlinkDbtException("No compiled models in " + compileOutput + " to bundle.\n"
                    + "Run the build up to package (" + hints.command(Command.PACKAGE)
                    + "), which compiles the models first.");
        }
        // before anything is written: a project that cannot be bundled leaves no file behind
        byte[] bundledProject = compiled == null ? null : BundledProject.write(compiled);
        Map<String, Path> entries = new TreeMap<>();
        collect(compileOutput, PREFIX, entries);
        entries.keySet()
                .removeIf(name ->
                        name.startsWith(PREFIX) && !OutputDirectory.isCompileOutput(name.substring(PREFIX.length())));
        if (classes != null && Files.isDirectory(classes)) {
            collect(classes, "", entries);
        }
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Created-By", "flink-dbt-maven-plugin");
        manifest.getMainAttributes().putValue("Flink-Version", flinkVersion);
        try {
            Files.createDirectories(jar.toAbsolutePath().getParent());
            Path temp = Files.createTempFile(
                    jar.toAbsolutePath().getParent(), jar.getFileName().toString(), ".tmp");
            try (OutputStream file = Files.newOutputStream(temp);
                    JarOutputStream out = new JarOutputStream(file)) {
                JarEntry manifestEntry = new JarEntry("META-INF/MANIFEST.MF");
                manifestEntry.setTimeLocal(timestamp);
                out.putNextEntry(manifestEntry);
                manifest.write(out);
                out.closeEntry();
                Set<String> directories = new TreeSet<>();
                for (Map.Entry<String, Path> entry : entries.entrySet()) {
                    String name = entry.getKey();
                    for (int slash = name.indexOf('/'); slash > 0; slash = name.indexOf('/', slash + 1)) {
                        String directory = name.substring(0, slash + 1);
                        if (directories.add(directory) && !directory.equals("META-INF/")) {
                            JarEntry dir = new JarEntry(directory);
                            dir.setTimeLocal(timestamp);
                            out.putNextEntry(dir);
                            out.closeEntry();
                        }
                    }
                    if (name.equals("META-INF/MANIFEST.MF") || name.equals(BundledProject.ENTRY)) {
                        continue;
                    }
                    JarEntry jarEntry = new JarEntry(name);
                    jarEntry.setTimeLocal(timestamp);
                    out.putNextEntry(jarEntry);
                    Files.copy(entry.getValue(), out);
                    out.closeEntry();
                }
                if (bundledProject != null) {
                    if (directories.add("META-INF/flink-dbt/")) {
                        JarEntry dir = new JarEntry("META-INF/flink-dbt/");
                        dir.setTimeLocal(timestamp);
                        out.putNextEntry(dir);
                        out.closeEntry();
                    }
                    JarEntry project = new JarEntry(BundledProject.ENTRY);
                    project.setTimeLocal(timestamp);
                    out.putNextEntry(project);
                    out.write(bundledProject);
                    out.closeEntry();
                }
            }
            Files.move(temp, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new FlinkDbtException("Cannot write the bundle " + jar + ": " + e.getMessage(), e);
        }
    }

    private static void collect(Path root, String prefix, Map<String, Path> entries) {
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(Files::isRegularFile)
                    .forEach(file -> entries.put(
                            prefix + root.relativize(file).toString().replace('\\', '/'), file));
        } catch (IOException e) {
            throw new FlinkDbtException("Cannot read " + root + ": " + e.getMessage(), e);
        }
    }
}
