package io.github.flinkdbt.cluster;

import io.github.flinkdbt.common.FlinkDbtException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipFile;

/**
 * Which jars are Flink itself and which travel with a job, told apart by their place in a Maven
 * repository ({@code <group path>/<artifactId>/<version>/<artifactId>-<version>.jar}).
 *
 * <p>A standalone cluster's processes get what a Flink distribution's {@code lib/} has: the runtime
 * closure of {@code flink-runtime-web}, {@code flink-clients} and {@code flink-table-runtime} (as the
 * plugin resolved them, so the same versions as its planner), the file system connector, CSV, JSON
 * and log4j; and the table layer (Iceberg, Hadoop's client). No other connector and no project
 * class: a job carries those, and on any cluster whatever of the plugin's connectors the cluster
 * lacks, never Flink's own jars.
 */
public final class ClusterClasspath {

    /** The runtime closure of flink-runtime-web, flink-clients and flink-table-runtime. */
    private static final Set<String> FLINK_RUNTIME = Set.of(
            "at.yawk.lz4:lz4-java",
            "com.esotericsoftware:kryo",
            "com.esotericsoftware:minlog",
            "com.esotericsoftware:reflectasm",
            "com.google.code.findbugs:jsr305",
            "com.ibm.icu:icu4j",
            "commons-cli:commons-cli",
            "commons-collections:commons-collections",
            "commons-io:commons-io",
            "org.apache.commons:commons-compress",
            "org.apache.commons:commons-lang3",
            "org.apache.commons:commons-math3",
            "org.apache.commons:commons-text",
            "org.apache.flink:flink-annotations",
            "org.apache.flink:flink-cep",
            "org.apache.flink:flink-clients",
            "org.apache.flink:flink-connector-datagen",
            "org.apache.flink:flink-core-api",
            "org.apache.flink:flink-core",
            "org.apache.flink:flink-datastream-api",
            "org.apache.flink:flink-datastream",
            "org.apache.flink:flink-file-sink-common",
            "org.apache.flink:flink-hadoop-fs",
            "org.apache.flink:flink-metrics-core",
            "org.apache.flink:flink-queryable-state-client-java",
            "org.apache.flink:flink-rpc-akka-loader",
            "org.apache.flink:flink-rpc-core",
            "org.apache.flink:flink-runtime-web",
            "org.apache.flink:flink-runtime",
            "org.apache.flink:flink-shaded-asm-9",
            "org.apache.flink:flink-shaded-guava",
            "org.apache.flink:flink-shaded-jackson",
            "org.apache.flink:flink-shaded-netty",
            "org.apache.flink:flink-shaded-zookeeper-3",
            "org.apache.flink:flink-streaming-java",
            "org.apache.flink:flink-table-api-bridge-base",
            "org.apache.flink:flink-table-api-java-bridge",
            "org.apache.flink:flink-table-api-java",
            "org.apache.flink:flink-table-common",
            "org.apache.flink:flink-table-runtime",
            "org.javassist:javassist",
            "org.objenesis:objenesis",
            "org.slf4j:slf4j-api",
            "org.snakeyaml:snakeyaml-engine",
            "org.xerial.snappy:snappy-java",
            "tools.profiler:async-profiler");

    /**
     * What a Flink distribution has in its {@code lib/} beyond the runtime: the file system
     * connector and the CSV and JSON formats.
     */
    private static final Set<String> DISTRIBUTION_CONNECTORS = Set.of(
            "org.apache.flink:flink-connector-base",
            "org.apache.flink:flink-connector-files",
            "org.apache.flink:flink-json",
            "org.apache.flink:flink-csv");

    /**
     * The table layer every model writes through: Iceberg's Flink runtime and Hadoop's client, in the
     * cluster's {@code lib/} as Iceberg documents for any Flink cluster. Shipped with every job
     * instead, each job's class loader loads them anew and never lets go of them (their static
     * thread pools and shutdown hooks hold it): measured, the TaskManagers died of a metaspace
     * OutOfMemoryError after about 20 jobs of the sample project.
     */
    private static final Set<String> TABLE_LAYER = Set.of(
            "org.apache.iceberg:iceberg-flink-runtime-2.1",
            "org.apache.hadoop:hadoop-client-api",
            "org.apache.hadoop:hadoop-client-runtime",
            "commons-logging:commons-logging");

    /** The cluster processes' logging (Flink's binding), which no other JVM of the plugin gets. */
    private static final Set<String> LOGGING = Set.of(
            "org.apache.logging.log4j:log4j-slf4j-impl",
            "org.apache.logging.log4j:log4j-core",
            "org.apache.logging.log4j:log4j-api");

    /** Flink's own jars a cluster has (or must not get twice: the planners cannot co-exist). */
    private static final Set<String> FLINK_DISTRIBUTION = Set.of(
            "org.apache.flink:flink-dist",
            "org.apache.flink:flink-table-planner_2.12",
            "org.apache.flink:flink-table-planner-loader",
            "org.apache.flink:flink-table-api-java-uber",
            "org.apache.flink:flink-table-api-scala_2.12",
            "org.apache.flink:flink-table-api-scala-bridge_2.12",
            "org.apache.flink:flink-test-utils",
            "org.apache.flink:flink-test-utils-junit");

    /** The plugin's jars that jobs run with (its other jars serve the planner and the build). */
    private static final Set<String> PLUGIN_CONNECTORS = union(DISTRIBUTION_CONNECTORS, TABLE_LAYER);

    /** What the standalone cluster's processes run with. */
    private static final Set<String> CLUSTER = union(FLINK_RUNTIME, LOGGING, DISTRIBUTION_CONNECTORS, TABLE_LAYER);

    /** Every artifact this class knows. */
    private static final Set<String> KNOWN = union(CLUSTER, FLINK_DISTRIBUTION);

    private static final Pattern FULL_VERSION = Pattern.compile("-\\d+\\.\\d+\\.\\d+");
    private static final Pattern ANY_VERSION = Pattern.compile("-\\d");

    private static final Pattern SLF4J_API = Pattern.compile("slf4j-api(-1\\.7\\.[0-9]+)?\\.jar");

    private ClusterClasspath() {}

    /**
     * The classpath of a standalone cluster's processes, picked from the plugin's; fails naming what
     * is missing, since a cluster without it would fail in ways far from the cause.
     */
    public static List<Path> forCluster(List<Path> pluginClasspath) {
        List<Path> picked = new ArrayList<>();
        Set<String> missing = new TreeSet<>(CLUSTER);
        for (Path jar : pluginClasspath) {
            String artifact = artifact(jar);
            if (artifact != null && CLUSTER.contains(artifact)) {
                picked.add(jar);
                missing.remove(artifact);
            } else if (isJdbcDriver(jar)) {
                picked.add(jar);
            }
        }
        if (!missing.isEmpty()) {
            throw new FlinkDbtException("The plugin's classpath lacks jars a Flink cluster needs: " + missing
                    + ". The plugin's dependencies were not all resolved; run Maven without -o once.");
        }
        return picked;
    }

    /** The plugin's classpath without what only the cluster's processes need (their logging). */
    public static List<Path> withoutClusterLogging(List<Path> pluginClasspath) {
        return pluginClasspath.stream().filter(jar -> !in(LOGGING, jar)).toList();
    }

    /**
     * The plugin's jars a job needs on a cluster that has only Flink: its connectors, Iceberg,
     * Hadoop, and the JDBC drivers a JDBC catalog opens its database with.
     */
    public static List<Path> pluginConnectors(List<Path> pluginClasspath) {
        return pluginClasspath.stream()
                .filter(jar -> in(PLUGIN_CONNECTORS, jar) || isJdbcDriver(jar))
                .toList();
    }

    /**
     * Whether a jar is a JDBC driver (it registers one as a service). A JDBC catalog's drivers go
     * where Iceberg is: {@link java.sql.DriverManager} hands a connection only to code that sees the
     * driver's class, so a driver shipped with a job is invisible to Iceberg in the cluster's lib.
     */
    static boolean isJdbcDriver(Path jar) {
        if (!jar.getFileName().toString().endsWith(".jar") || !Files.isRegularFile(jar)) {
            return false;
        }
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            return zip.getEntry("META-INF/services/java.sql.Driver") != null;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The jars of the project's classpath that a job carries: everything but Flink's own jars and
     * directories (which are packaged, see {@link JobClasspath}).
     */
    public static List<Path> projectJars(List<Path> projectClasspath) {
        Predicate<Path> flink = jar -> in(FLINK_RUNTIME, jar) || in(FLINK_DISTRIBUTION, jar) || in(LOGGING, jar);
        return projectClasspath.stream()
                .filter(path -> !Files.isDirectory(path))
                .filter(jar -> jar.getFileName().toString().endsWith(".jar"))
                .filter(jar -> !flink.test(jar))
                .toList();
    }

    /** A jar's artifact id: from its place in a Maven repository, or its file name without the version. */
    public static String artifactId(Path jar) {
        Path versionDir = jar.getParent();
        Path artifactDir = versionDir == null ? null : versionDir.getParent();
        String name = jar.getFileName().toString();
        if (artifactDir != null && name.startsWith(artifactDir.getFileName() + "-" + versionDir.getFileName())) {
            return artifactDir.getFileName().toString();
        }
        return artifactIdOf(name);
    }

    /** The artifact id in a jar's file name ({@code iceberg-flink-runtime-2.1-1.11.0.jar}: {@code iceberg-flink-runtime-2.1}). */
    public static String artifactIdOf(String fileName) {
        String name = fileName.replaceFirst("\\.jar$", "");
        // the version starts at the first "-x.y.z" (an artifact id may end in "-2.1", a version too)
        Matcher full = FULL_VERSION.matcher(name);
        if (full.find()) {
            return name.substring(0, full.start());
        }
        Matcher any = ANY_VERSION.matcher(name);
        int start = -1;
        while (any.find()) {
            start = any.start();
        }
        return start > 0 ? name.substring(0, start) : name;
    }

    @SafeVarargs
    private static Set<String> union(Set<String>... sets) {
        Set<String> all = new TreeSet<>();
        for (Set<String> set : sets) {
            all.addAll(set);
        }
        return Set.copyOf(all);
    }

    private static boolean in(Set<String> artifacts, Path jar) {
        String artifact = artifact(jar);
        return artifact != null && artifacts.contains(artifact);
    }

    /**
     * {@code groupId:artifactId} of a jar in a Maven repository layout; null for a jar elsewhere
     * (a reactor module's {@code target/}) or a directory.
     */
    static String artifact(Path jar) {
        if (jar.getFileName() != null
                && SLF4J_API.matcher(jar.getFileName().toString()).matches()) {
            // Maven gives plugins its own slf4j-api, from its lib/ (slf4j-api.jar on Debian)
            return "org.slf4j:slf4j-api";
        }
        Path versionDir = jar.getParent();
        Path artifactDir = versionDir == null ? null : versionDir.getParent();
        if (artifactDir == null || artifactDir.getParent() == null) {
            return null;
        }
        String artifactId = artifactDir.getFileName().toString();
        String version = versionDir.getFileName().toString();
        if (!jar.getFileName().toString().startsWith(artifactId + "-" + version)) {
            return null;
        }
        Path repository = artifactDir.getParent();
        List<String> groupPath = new ArrayList<>();
        // a group id has at most a handful of parts; try each split against the known artifacts' groups
        for (Path part = repository;
                part != null && part.getFileName() != null && groupPath.size() < 6;
                part = part.getParent()) {
            groupPath.add(0, part.getFileName().toString());
            String candidate = String.join(".", groupPath) + ":" + artifactId;
            if (KNOWN.contains(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
