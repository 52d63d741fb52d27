package io.github.flinkdbt.cluster;

import io.github.flinkdbt.common.FlinkDbtException;
import io.github.flinkdbt.planner.RuntimeDefinitions;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * What a job's tasks load the project's classes (UDFs) and the connectors from.
 *
 * <p>On the embedded cluster they are in this JVM already: the tasks read the project's classpath
 * in place ({@code pipeline.classpaths}). Any other cluster has nothing but Flink, so every job
 * carries its jars ({@code pipeline.jars}, uploaded with the job): the project's classes packaged
 * as one jar, the project's dependencies and the plugin's connectors (Iceberg, Hadoop's client,
 * the file system connector and formats) — never Flink's own jars.
 *
 * @param jars local jars uploaded with every job
 * @param classpaths URLs every node reads itself (the embedded cluster's only)
 */
public record JobClasspath(List<Path> jars, List<String> classpaths) {

    public JobClasspath {
        jars = List.copyOf(jars);
        classpaths = List.copyOf(classpaths);
    }

    /**
     * What jobs on {@code cluster} load the project's classes and the connectors from: in place on
     * the embedded cluster, shipped to any other (the packaged classes cached in
     * {@code <cacheDirectory>/jars}).
     */
    public static JobClasspath forCluster(
            FlinkCluster cluster, List<Path> projectClasspath, List<Path> pluginClasspath, Path cacheDirectory) {
        return cluster.inThisJvm()
                ? inPlace(projectClasspath)
                : shipped(projectClasspath, pluginClasspath, cacheDirectory.resolve("jars"), cluster.libraries());
    }

    /** The project's classpath read in place by an embedded cluster. */
    public static JobClasspath inPlace(List<Path> projectClasspath) {
        return new JobClasspath(
                List.of(),
                RuntimeDefinitions.urls(projectClasspath).stream()
                        .map(URL::toString)
                        .toList());
    }

    /**
     * Jars shipped with every job to a cluster: what of the project's jars and the plugin's connectors
     * the cluster's own classpath lacks ({@code clusterLibraries}: the artifact ids it has, empty
     * when unknown), and the project's classes, packaged into
     * {@code <jarCache>/project-classes-<content hash>.jar}, built only when their content changed.
     *
     * <p>A jar the cluster has is never shipped again: a job's class loader takes its own copy first,
     * loads the library anew for every job, and a library that keeps threads or hooks (Iceberg,
     * Hadoop) never lets that class loader go.
     */
    public static JobClasspath shipped(
            List<Path> projectClasspath, List<Path> pluginClasspath, Path jarCache, Set<String> clusterLibraries) {
        Set<Path> jars = new LinkedHashSet<>();
        List<Path> directories =
                projectClasspath.stream().filter(Files::isDirectory).toList();
        Path classes = packaged(directories, jarCache);
        if (classes != null) {
            jars.add(classes);
        }
        Set<String> names = new LinkedHashSet<>();
        for (Path jar : concat(
                ClusterClasspath.projectJars(projectClasspath), ClusterClasspath.pluginConnectors(pluginClasspath))) {
            // the same artifact from the project and the plugin goes once
            String artifactId = ClusterClasspath.artifactId(jar);
            if (!clusterLibraries.contains(artifactId) && names.add(artifactId)) {
                jars.add(jar.toAbsolutePath());
            }
        }
        return new JobClasspath(List.copyOf(jars), List.of());
    }

    /** The options that make a TableEnvironment's jobs carry or read these. */
    public Map<String, String> options() {
        Map<String, String> options = new TreeMap<>();
        if (!jars.isEmpty()) {
            options.put(
                    "pipeline.jars",
                    String.join(
                            ";",
                            jars.stream().map(jar -> jar.toUri().toString()).toList()));
        }
        if (!classpaths.isEmpty()) {
            options.put("pipeline.classpaths", String.join(";", classpaths));
        }
        return options;
    }

    /** One jar of the classes in {@code directories}, named by a hash of their content; null when there are none. */
    static Path packaged(List<Path> directories, Path jarCache) {
        Map<String, Path> files = new TreeMap<>();
        try {
            for (Path directory : directories) {
                try (Stream<Path> walk = Files.walk(directory)) {
                    for (Path file : walk.filter(Files::isRegularFile).toList()) {
                        // an earlier directory wins, as on a classpath
                        files.putIfAbsent(directory.relativize(file).toString().replace('\\', '/'), file);
                    }
                }
            }
            if (files.isEmpty()) {
                return null;
            }
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Map.Entry<String, Path> file : files.entrySet()) {
                digest.update(file.getKey().getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
                digest.update(Files.readAllBytes(file.getValue()));
                digest.update((byte) 0);
            }
            String hash = HexFormat.of().formatHex(digest.digest()).substring(0, 16);
            Path jar = jarCache.resolve("project-classes-" + hash + ".jar");
            if (Files.isRegularFile(jar)) {
                return jar.toAbsolutePath();
            }
            Files.createDirectories(jarCache);
            Path partial = Files.createTempFile(jarCache, "project-classes-", ".partial");
            try (OutputStream out = Files.newOutputStream(partial);
                    JarOutputStream stream = new JarOutputStream(out)) {
                for (Map.Entry<String, Path> file : files.entrySet()) {
                    JarEntry entry = new JarEntry(file.getKey());
                    entry.setTime(0);
                    stream.putNextEntry(entry);
                    Files.copy(file.getValue(), stream);
                    stream.closeEntry();
                }
            }
            Files.move(partial, jar, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return jar.toAbsolutePath();
        } catch (IOException e) {
            throw new FlinkDbtException(
                    "Cannot package the project's classes for the cluster into " + jarCache + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Path> concat(List<Path> a, List<Path> b) {
        List<Path> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
