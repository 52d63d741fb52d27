package io.github.flinkdbt.project;

import io.github.flinkdbt.common.Problems;
import io.github.flinkdbt.common.SourcePosition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * dbt's {@code packages.yml} (or {@code dependencies.yml}): {@code local:} packages, other dbt
 * projects in this repository whose macros, models and tests become part of this project. The
 * project's own macros win over a package's of the same name, as in dbt; a package's macros are
 * also reachable as {@code <package>.<macro>}. Hub, git and tarball packages are refused: a build
 * does not download them.
 */
final class LocalPackages {

    static final List<String> FILES = List.of("packages.yml", "dependencies.yml");
    private static final Set<String> REMOTE = Set.of("package", "git", "tarball", "private");

    /** A local package: its directory read as a dbt project. */
    record Package(String name, ProjectLayout layout) {}

    private final List<Package> packages;
    private final Map<Path, Package> modelDirs = new LinkedHashMap<>();
    private final Map<String, FolderConfigs> folderConfigs = new HashMap<>();

    private LocalPackages(List<Package> packages) {
        this.packages = packages;
        for (Package local : packages) {
            ProjectFiles.dirs(local.layout(), local.layout().modelPaths()).forEach(dir -> modelDirs.put(dir, local));
        }
    }

    /** The local packages {@code project} lists; problems at the lines of its packages file. */
    static LocalPackages of(ProjectLayout project, Problems problems) {
        return new LocalPackages(read(project, problems));
    }

    Set<String> names() {
        Set<String> names = new TreeSet<>();
        packages.forEach(local -> names.add(local.name()));
        return names;
    }

    /**
     * Defines the packages' macros, before the project's (which then win by name, as in dbt); returns
     * the packages' macro directories, whose files are no models.
     */
    List<Path> loadMacros(JinjaEnvironment jinja, ProjectLayout project, Problems problems) {
        List<Path> macroDirs = new ArrayList<>();
        for (Package local : packages) {
            List<Path> dirs = ProjectFiles.dirs(local.layout(), local.layout().macroPaths());
            macroDirs.addAll(dirs);
            jinja.loadPackage(
                    local.name(),
                    ProjectFiles.files(dirs, ".sql", List.of()).stream()
                            .map(file -> ProjectFiles.read(problems, project, file))
                            .toList(),
                    problems);
        }
        return macroDirs;
    }

    /** The packages' model directories, whose models (and schema files) join the project's. */
    List<Path> modelDirs() {
        return List.copyOf(modelDirs.keySet());
    }

    /** The packages' test directories, whose singular tests join the project's. */
    List<Path> testDirs() {
        List<Path> dirs = new ArrayList<>();
        packages.forEach(local ->
                dirs.addAll(ProjectFiles.dirs(local.layout(), local.layout().testPaths())));
        return dirs;
    }

    /** Reads each package's own {@code models:} folder configs ({@code paths}: every model's folders). */
    void readFolderConfigs(List<List<String>> paths, YamlValues values, Problems problems) {
        for (Package local : packages) {
            folderConfigs.put(
                    local.name(),
                    FolderConfigs.read(local.layout().modelsConfig(), local.name(), "models", paths, values, problems));
        }
    }

    /**
     * The dbt_project.yml configs of the model in {@code file}: its folders' in the project, or for a
     * package's model its folders' in the package, under what the project sets for the package.
     */
    Map<String, ConfigValue> folderConfig(Path file, List<String> segments, FolderConfigs projectFolders) {
        for (Map.Entry<Path, Package> dir : modelDirs.entrySet()) {
            if (file.startsWith(dir.getKey())) {
                String name = dir.getValue().name();
                return ConfigRules.merge(
                        folderConfigs.get(name).forPath(segments), projectFolders.forPackage(name, segments));
            }
        }
        return projectFolders.forPath(segments);
    }

    private static List<Package> read(ProjectLayout project, Problems problems) {
        List<Package> packages = new ArrayList<>();
        Set<String> names = new TreeSet<>();
        for (String fileName : FILES) {
            Path file = project.root().resolve(fileName);
            if (!Files.isRegularFile(file)) {
                continue;
            }
            String display = project.display(file);
            YamlNode yaml = YamlReader.read(file, display, problems).orElse(null);
            YamlNode list = yaml == null || !yaml.isMap() ? null : yaml.get("packages");
            if (list == null || list.isNull()) {
                continue;
            }
            if (!list.isList()) {
                problems.add(
                        list.position(),
                        "packages: in " + fileName + " must be a list.",
                        "packages:\n  - local: ../shared");
                continue;
            }
            for (YamlNode entry : list.items()) {
                Package read = entry(project, fileName, entry, problems);
                if (read != null && !names.add(read.name())) {
                    problems.add(
                            entry.position(), "Package '" + read.name() + "' is listed twice.", "Remove one entry.");
                } else if (read != null && read.name().equals(project.name())) {
                    problems.add(
                            entry.position(),
                            "Package '" + read.name() + "' has this project's own name.",
                            "Rename one of them (name: in its dbt_project.yml).");
                } else if (read != null) {
                    packages.add(read);
                }
            }
        }
        return packages;
    }

    private static Package entry(ProjectLayout project, String fileName, YamlNode entry, Problems problems) {
        if (!entry.isMap()) {
            problems.add(entry.position(), "A package entry is a mapping, e.g. - local: ../shared", null);
            return null;
        }
        for (String key : entry.keys()) {
            if (REMOTE.contains(key)) {
                String what = entry.get(key).text();
                problems.add(
                        entry.keyPosition(key),
                        (key.equals("package") ? "hub" : key) + " package '" + what
                                + "' cannot be installed by a build: flink-dbt does not download"
                                + " packages (no dbt Hub or git access).",
                        "Vendor it into this repository and list it as a local package: run dbt deps once (or copy"
                                + " the package's dbt_project.yml, macros/ and models/), commit dbt_packages/<name>,"
                                + " and write\n  - local: dbt_packages/<name>");
                return null;
            }
        }
        YamlNode local = entry.get("local");
        if (local == null) {
            problems.add(
                    entry.position(), "A package entry needs local: <directory>.", "packages:\n  - local: ../shared");
            return null;
        }
        Path dir = project.root().resolve(local.text()).normalize();
        SourcePosition at = local.position();
        if (!Files.isDirectory(dir)) {
            problems.add(
                    at,
                    "local package '" + local.text() + "' does not exist (" + dir + ").",
                    "Give its directory relative to " + fileName + ", e.g. local: ../shared");
            return null;
        }
        if (!Files.isRegularFile(dir.resolve(ProjectLayout.DBT_PROJECT_FILE))) {
            problems.add(
                    at,
                    "local package '" + local.text() + "' has no " + ProjectLayout.DBT_PROJECT_FILE + ".",
                    "A package is a dbt project: give it a dbt_project.yml with its name.");
            return null;
        }
        ProjectLayout layout =
                ProjectLayout.load(dir, project.displayBase(), dir.getFileName().toString(), problems);
        return new Package(layout.name(), layout);
    }
}
