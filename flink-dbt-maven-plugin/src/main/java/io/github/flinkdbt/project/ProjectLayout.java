package io.github.flinkdbt.project;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.github.flinkdbt.common.Problems;
import io.github.flinkdbt.common.SourcePosition;
import io.github.flinkdbt.common.Suggestions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where a project keeps its files. Either a Maven project ({@code src/main/sql},
 * {@code src/main/sql/macros}, {@code src/main/seeds}, {@code src/test/sql}) or a dbt project
 * directory, laid out by its {@code dbt_project.yml}. A {@code dbt_project.yml} in a Maven project
 * directory applies too (for its folder configs and vars) and may move the paths.
 *
 * @param root the project directory; all paths below are relative to it
 * @param displayBase the directory messages show paths relative to (the Maven basedir)
 * @param modelsConfig the {@code models:} tree of dbt_project.yml, or null; read while loading only,
 *     so not carried to another JVM with a compiled project
 * @param sourcesConfig the {@code sources:} tree of dbt_project.yml, or null; the same
 * @param snapshotsConfig the {@code snapshots:} tree of dbt_project.yml, or null; the same
 * @param onRunStart dbt_project.yml's {@code on-run-start} statements, as written
 * @param onRunEnd its {@code on-run-end} statements, as written
 * @param vars the {@code vars:} of dbt_project.yml
 */
public record ProjectLayout(
        Path root,
        Path displayBase,
        String name,
        boolean dbtProject,
        List<String> modelPaths,
        List<String> macroPaths,
        List<String> seedPaths,
        List<String> testPaths,
        List<String> snapshotPaths,
        @JsonIgnore YamlNode modelsConfig,
        @JsonIgnore YamlNode sourcesConfig,
        @JsonIgnore YamlNode snapshotsConfig,
        List<String> onRunStart,
        List<String> onRunEnd,
        Map<String, Object> vars) {

    public static final String DBT_PROJECT_FILE = "dbt_project.yml";

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private static final Set<String> PROJECT_KEYS = Set.of(
            "name",
            "version",
            "config-version",
            "profile",
            "model-paths",
            "source-paths",
            "seed-paths",
            "data-paths",
            "test-paths",
            "analysis-paths",
            "macro-paths",
            "snapshot-paths",
            "docs-paths",
            "asset-paths",
            "function-paths",
            "target-path",
            "log-path",
            "packages-install-path",
            "clean-targets",
            "query-comment",
            "require-dbt-version",
            "vars",
            "models",
            "seeds",
            "snapshots",
            "sources",
            "tests",
            "data_tests",
            "metrics",
            "exposures",
            "semantic-models",
            "saved-queries",
            "unit_tests",
            "analyses",
            "on-run-start",
            "on-run-end",
            "dispatch",
            "flags",
            "quoting",
            "restrict-access",
            "dbt-cloud",
            "functions");

    /**
     * Reads the layout of {@code root}. {@code defaultName} (the Maven artifactId) names a project
     * without dbt_project.yml.
     */
    public static ProjectLayout load(Path root, Path displayBase, String defaultName, Problems problems) {
        Path projectFile = root.resolve(DBT_PROJECT_FILE);
        if (!Files.isRegularFile(projectFile)) {
            return new ProjectLayout(
                    root,
                    displayBase,
                    identifier(defaultName),
                    false,
                    List.of("src/main/sql"),
                    List.of("src/main/sql/macros"),
                    List.of("src/main/seeds"),
                    List.of("src/test/sql"),
                    List.of("src/main/snapshots"),
                    null,
                    null,
                    null,
                    List.of(),
                    List.of(),
                    Map.of());
        }
        String display = display(displayBase, projectFile);
        YamlNode yaml =
                YamlReader.read(projectFile, display, problems).orElse(YamlNode.emptyMap(SourcePosition.of(display)));
        if (!yaml.isMap()) {
            problems.add(yaml.position(), DBT_PROJECT_FILE + " must be a mapping of settings.", null);
            yaml = YamlNode.emptyMap(yaml.position());
        }
        for (String key : yaml.keys()) {
            if (!PROJECT_KEYS.contains(key)) {
                problems.add(
                        yaml.keyPosition(key),
                        "Unknown key '" + key + "' in " + DBT_PROJECT_FILE + "."
                                + Suggestions.didYouMean(key, PROJECT_KEYS),
                        null);
            }
        }
        String name = yaml.get("name") != null ? yaml.get("name").text() : null;
        if (name == null) {
            name = identifier(defaultName);
        } else if (!NAME.matcher(name).matches()) {
            problems.add(
                    yaml.get("name").position(),
                    "Project name '" + name + "' must be a plain identifier.",
                    "Use letters, digits and underscores, e.g. name: " + identifier(name));
        }
        boolean mavenLayout =
                Files.isDirectory(root.resolve("src/main/sql")) && !Files.isDirectory(root.resolve("models"));
        List<String> models =
                paths(yaml, problems, mavenLayout ? "src/main/sql" : "models", "model-paths", "source-paths");
        List<String> macros = paths(yaml, problems, mavenLayout ? "src/main/sql/macros" : "macros", "macro-paths");
        List<String> seeds =
                paths(yaml, problems, mavenLayout ? "src/main/seeds" : "seeds", "seed-paths", "data-paths");
        List<String> tests = paths(yaml, problems, mavenLayout ? "src/test/sql" : "tests", "test-paths");
        List<String> snapshots =
                paths(yaml, problems, mavenLayout ? "src/main/snapshots" : "snapshots", "snapshot-paths");
        Map<String, Object> vars = new LinkedHashMap<>();
        YamlNode varsNode = yaml.get("vars");
        if (varsNode != null && varsNode.isMap()) {
            // vars may be global or scoped under the project's name; scoped ones win
            YamlNode scoped = varsNode.get(name);
            varsNode.entries().forEach((key, value) -> {
                if (value != scoped) {
                    vars.put(key, value.toPlain());
                }
            });
            if (scoped != null && scoped.isMap()) {
                scoped.entries().forEach((k, v) -> vars.put(k, v.toPlain()));
            }
        } else if (varsNode != null && !varsNode.isNull()) {
            problems.add(varsNode.position(), "vars must be a mapping of name: value.", null);
        }
        return new ProjectLayout(
                root,
                displayBase,
                name,
                true,
                models,
                macros,
                seeds,
                tests,
                snapshots,
                yaml.get("models"),
                yaml.get("sources"),
                yaml.get("snapshots"),
                statements(yaml.get("on-run-start"), problems),
                statements(yaml.get("on-run-end"), problems),
                vars);
    }

    /** A hook's statements: one string or a list of them. */
    private static List<String> statements(YamlNode node, Problems problems) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        List<YamlNode> items = node.isList() ? node.items() : List.of(node);
        List<String> statements = new ArrayList<>();
        for (YamlNode item : items) {
            if (item.text() == null) {
                problems.add(item.position(), "A hook is a SQL statement (a string) or a list of them.", null);
            } else if (!item.text().isBlank()) {
                statements.add(item.text());
            }
        }
        return statements;
    }

    /**
     * Where unit-test fixtures ({@code fixture: name} → {@code name.csv}) and source fixtures
     * ({@code sources/<source>/<table>.csv}) live: {@code src/test/fixtures}, or
     * {@code <test-path>/fixtures} in a dbt project.
     */
    public Path fixturesDir() {
        return dbtProject ? root.resolve(testPaths.get(0)).resolve("fixtures") : root.resolve("src/test/fixtures");
    }

    /** A path as messages show it: relative to the Maven basedir when inside it. */
    public String display(Path file) {
        return display(displayBase, file);
    }

    public static String display(Path base, Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        Path baseAbsolute = base.toAbsolutePath().normalize();
        Path shown = absolute.startsWith(baseAbsolute) ? baseAbsolute.relativize(absolute) : absolute;
        return shown.toString().replace('\\', '/');
    }

    /** A path of the project (e.g. a model file) relative to the project root, forward slashes. */
    public String relative(Path file) {
        return root.toAbsolutePath()
                .normalize()
                .relativize(file.toAbsolutePath().normalize())
                .toString()
                .replace('\\', '/');
    }

    private static List<String> paths(YamlNode yaml, Problems problems, String fallback, String... keys) {
        for (String key : keys) {
            YamlNode node = yaml.get(key);
            if (node == null) {
                continue;
            }
            if (node.isList()) {
                List<String> out = new ArrayList<>();
                node.items().forEach(item -> {
                    if (item.text() != null) {
                        out.add(item.text());
                    }
                });
                return out;
            }
            if (node.text() != null) {
                return List.of(node.text());
            }
            problems.add(node.position(), key + " must be a list of directories.", null);
        }
        return List.of(fallback);
    }

    /** A name safe as a Flink identifier: {@code my-app} becomes {@code my_app}. */
    public static String identifier(String name) {
        String cleaned = name.replaceAll("[^A-Za-z0-9_]", "_");
        return cleaned.isEmpty() || Character.isDigit(cleaned.charAt(0)) ? "_" + cleaned : cleaned;
    }
}
