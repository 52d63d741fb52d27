package io.github.flinkdbt.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flinkdbt.FlinkDbt;
import io.github.flinkdbt.TestProjects;
import io.github.flinkdbt.api.Invocation;
import io.github.flinkdbt.api.Settings;
import io.github.flinkdbt.build.fork.ForkCommand;
import io.github.flinkdbt.build.fork.ForkEvent;
import io.github.flinkdbt.common.Json;
import io.github.flinkdbt.common.Problems;
import io.github.flinkdbt.graph.ModelGraph;
import io.github.flinkdbt.graph.Selection;
import io.github.flinkdbt.mojo.MavenHints;
import io.github.flinkdbt.planner.CompiledProject;
import io.github.flinkdbt.project.Model;
import io.github.flinkdbt.project.Project;
import io.github.flinkdbt.project.ProjectLoader;
import io.github.flinkdbt.run.ModelRun;
import io.github.flinkdbt.run.RunOutcome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One compile per build: a run (and snapshot-test) takes the project the compile of the same build
 * compiled, across the pipe to its forked JVM, instead of loading and planning it again; and does
 * not take it once anything the compile saw changed.
 */
class CompileOnceTest {

    private static final String TAKEN = "flink-dbt: taking the project compile-models compiled in this build";
    private static final String NOT_TAKEN = "flink-dbt: no compile of this build to take over: compiling first";

    @TempDir
    Path dir;

    private final List<String> log = new CopyOnWriteArrayList<>();
    private Path project;
    private Settings settings;

    @BeforeEach
    void shop() throws Exception {
        project = TestProjects.shop(dir.resolve("shop"));
        settings = TestProjects.settings(project).home(dir.resolve("home")).build();
    }

    @Test
    void aRunTakesTheCompileOfItsBuildUntilAFileChanges() throws Exception {
        Invocation invocation =
                TestProjects.invocation(TestProjects.capturing(log, true)).build();

        FlinkDbt.compile(settings, invocation);
        CompiledProject compiled = LastCompile.reuse(settings, invocation).orElseThrow();
        assertCrossesWhole(new ForkEvent.Built(null, compiled, "stamp"));
        assertCrossesWhole(new ForkCommand.Run(settings, null, compiled));

        log.clear();
        RunOutcome first = FlinkDbt.run(settings, invocation);
        assertThat(first.failures()).isEmpty();
        assertThat(log).contains(TAKEN).doesNotContain(NOT_TAKEN);
        assertThat(log).noneMatch(line -> line.startsWith("flink-dbt: loading the project"));

        // a change after the compile: the run compiles what is there now, not what was compiled
        Files.writeString(
                project.resolve("src/main/sql/marts/revenue_per_user.sql"),
                "\n-- changed after the compile\n",
                StandardOpenOption.APPEND);
        log.clear();
        RunOutcome second = FlinkDbt.run(settings, invocation);
        assertThat(log).contains(NOT_TAKEN).doesNotContain(TAKEN);
        assertThat(log)
                .filteredOn(line -> line.startsWith("flink-dbt: loading the project"))
                .as("loaded once")
                .hasSize(1);
        assertThat(second.models()).extracting(ModelRun::status).containsOnly(ModelRun.SUCCESS);
    }

    @Test
    void aLaterBuildTakesTheCompiledProjectFromDiskButNeverOneThatReadSecrets() throws Exception {
        Invocation compileOnly = TestProjects.invocation(TestProjects.capturing(log, true))
                .keepCompiled(false)
                .build();
        FlinkDbt.compile(settings, compileOnly);
        Path kept = project.resolve("target/flink-dbt-cache/compiled-project.json");
        assertThat(kept).isRegularFile();
        // the plans are not in it twice: read back from the compile output, as the compile wrote them
        assertThat(Files.readString(kept)).doesNotContain("\\\"flinkVersion\\\"");
        CompiledProject fromDisk = LastCompile.reuse(settings, compileOnly).orElseThrow();
        assertThat(fromDisk.result().models().values())
                .filteredOn(model -> model.plan() != null)
                .isNotEmpty()
                .allSatisfy(model -> assertThat(model.plan().json())
                        .isEqualTo(
                                Files.readString(project.resolve("target/flink-dbt/plans/" + model.name() + ".json"))));

        // another build (nothing in memory): the compile is up to date, the docs take its project
        log.clear();
        FlinkDbt.docs(settings, compileOnly, project.resolve("target/flink-dbt-docs"));
        assertThat(log).contains(TAKEN).noneMatch(line -> line.startsWith("flink-dbt: loading the project"));

        // a change: not taken
        Files.writeString(
                project.resolve("src/main/sql/marts/revenue_per_user.sql"),
                "\n-- changed\n",
                StandardOpenOption.APPEND);
        assertThat(LastCompile.reuse(settings, compileOnly)).isEmpty();

        // a project that read a secret is not written to disk at all
        Files.writeString(project.resolve("src/main/sql/kafka.yml"), """
                version: 2
                sources:
                  - name: k
                    tables:
                      - name: events
                        config:
                          connector_properties:
                            connector: kafka
                            topic: events
                            format: json
                            properties.bootstrap.servers: localhost:9092
                            scan.startup.mode: earliest-offset
                            properties.sasl.jaas.config: "{{ env_var('JAAS') }}"
                        columns: [{name: a, data_type: BIGINT}]
                """);
        Files.writeString(
                project.resolve("src/main/sql/from_kafka.sql"), "select a from {{ source('k', 'events') }}\n");
        FlinkDbt.compile(
                settings,
                compileOnly.toBuilder()
                        .environment(Map.of("JAAS", "PlainLoginModule required password=\"tok-98765\";"))
                        .build());
        assertThat(kept).doesNotExist();
        try (Stream<Path> files = Files.walk(project.resolve("target"))) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                assertThat(Files.readString(file, StandardCharsets.ISO_8859_1))
                        .as(file.toString())
                        .doesNotContain("tok-98765");
            }
        }
    }

    /** The richest project there is, unit tests, seeds, macros, docs and a UDF included. */
    @Test
    void theSampleProjectCrossesWhole() throws Exception {
        Settings sample = Settings.builder(Path.of("..", "sample-project").toAbsolutePath())
                .defaultName("sample")
                .pluginVersion("test")
                .database("clickstream")
                .vars(Map.of("attribution_window_minutes", 30))
                .build();
        Problems problems = new Problems();
        Project sampleProject =
                ProjectLoader.load(new ProjectLoader.Request(sample.compile(), Map.of(), MavenHints.get()), problems);
        assertThat(problems.sorted()).isEmpty();
        assertThat(sampleProject.unitTests()).isNotEmpty();
        assertThat(sampleProject.dataTests()).isNotEmpty();
        ModelGraph graph = ModelGraph.of(sampleProject, problems);
        CompiledProject loaded = new CompiledProject(
                sampleProject, graph, new Selection(sampleProject.models().keySet(), Set.of(), List.of(), true), null);
        assertCrossesWhole(new ForkCommand.Test(sample, null, loaded));
    }

    /**
     * Read back, the command or event is the same: written again, the same text (values, their
     * order and the order of maps and sets included), the same DAG, the same map from SQL to files.
     */
    private static void assertCrossesWhole(Object message) throws Exception {
        String line = Json.line(message);
        assertThat(line).doesNotContain("\n");
        Class<?> type = message instanceof ForkEvent ? ForkEvent.class : ForkCommand.class;
        Object read = Json.fromLine(line, type);
        assertSameText(Json.line(read), line);
        CompiledProject sent = compiled(message);
        CompiledProject received = compiled(read);
        assertThat(received.project().layout().modelsConfig()).isNull();
        assertThat(received.graph().topologicalOrder()).isEqualTo(sent.graph().topologicalOrder());
        for (String name : sent.graph().topologicalOrder()) {
            assertThat(received.graph().parents(name)).isEqualTo(sent.graph().parents(name));
            Model model = sent.project().model(name);
            int middle = model.sql().text().length() / 2;
            assertThat(received.project().model(name).sql().positionAt(middle))
                    .isEqualTo(model.sql().positionAt(middle));
        }
    }

    /** Where two long texts first differ, not the two whole texts. */
    private static void assertSameText(String actual, String expected) {
        int at = 0;
        while (at < Math.min(actual.length(), expected.length()) && actual.charAt(at) == expected.charAt(at)) {
            at++;
        }
        int from = Math.max(0, at - 200);
        assertThat(actual.substring(from, Math.min(actual.length(), at + 200)))
                .as("the texts differ at %d", at)
                .isEqualTo(expected.substring(from, Math.min(expected.length(), at + 200)));
    }

    private static CompiledProject compiled(Object message) {
        if (message instanceof ForkEvent.Built built) {
            return built.compiled();
        }
        if (message instanceof ForkCommand.Run run) {
            return run.compiled();
        }
        return ((ForkCommand.Test) message).compiled();
    }
}
