package io.github.flinkdbt.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flinkdbt.common.BuildLog;
import io.github.flinkdbt.common.Json;
import io.github.flinkdbt.mojo.MavenHints;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Settings travel whole: through JSON into a forked JVM, and through their builder when a goal changes one. */
class SettingsTest {

    /** Every field set, none to its default: built with the canonical constructors, so no field is left out. */
    static Settings everyFieldSet() {
        Path base = Path.of("/work/project").toAbsolutePath();
        return new Settings(
                new Settings.Compile(
                        base,
                        base.resolve("dbt"),
                        "shop",
                        base.resolve("out"),
                        base.resolve("cache"),
                        "cat",
                        "db",
                        Map.of(
                                "n",
                                5,
                                "big",
                                12345678901L,
                                "x",
                                2.5,
                                "on",
                                true,
                                "s",
                                "text",
                                "list",
                                List.of("a", 1),
                                "map",
                                Map.of("k", "v")),
                        "prod",
                        "orders+",
                        "tag:x",
                        Map.of("table.exec.state.ttl", "1 h"),
                        List.of(base.resolve("classes"), base.resolve("a.jar")),
                        false,
                        "1.2.3",
                        "deployed"),
                URI.create("file:///var/flink-dbt/home/"),
                URI.create("http://localhost:8081"),
                new RemoteAccess(Map.of("Authorization", "Bearer t0k3n"), base.resolve("trust.p12"), "changeit"),
                new IcebergCatalog(
                        Map.of("catalog-type", "rest", "uri", "http://catalog:8181"), Map.of("token", "s3cr3t")),
                new Settings.Run(8081, true, true, true, List.of("a", "b")),
                new Settings.Test(true, "2026-11-24T10:15:00Z", base.resolve("reports")),
                new Settings.Check("m=/savepoints/sp-1"),
                new Settings.Standalone(18081, 3, 4, 12),
                new Settings.Deploy("s3://bucket/ledger", 7, 8, 9, 10));
    }

    @Test
    void settingsRoundTripThroughJsonAndTheirBuilder() throws Exception {
        Settings settings = everyFieldSet();
        assertThat(Json.fromLine(Json.line(settings), Settings.class)).isEqualTo(settings);
        assertThat(settings.toBuilder().build()).isEqualTo(settings);
    }

    /** Settings reach logs and error messages; secrets must not. */
    @Test
    void printedSettingsNameTheirSecretsButNotTheirValues() {
        String printed = everyFieldSet().toString();
        assertThat(printed).doesNotContain("s3cr3t", "t0k3n", "changeit").contains("secrets=[token]");
    }

    @Test
    void theJsonOfTheSameSettingsIsTheSameWhateverTheOrderTheyWereGivenIn() {
        Settings a = Settings.builder(Path.of("/p"))
                .vars(Map.of("a", 1, "b", 2))
                .flinkConfiguration(Map.of("x", "1", "y", "2"))
                .build();
        Settings b = Settings.builder(Path.of("/p"))
                .vars(Map.of("b", 2, "a", 1))
                .flinkConfiguration(Map.of("y", "2", "x", "1"))
                .build();
        assertThat(Json.write(b.compile())).isEqualTo(Json.write(a.compile()));
    }

    @Test
    void invocationsKeepEveryFieldThroughTheirBuilder() {
        Invocation invocation = new Invocation(
                BuildLog.silent(),
                MavenHints.get(),
                Map.of("K", "V"),
                true,
                List.of(Path.of("/a.jar")),
                List.of("-Xmx1g"),
                List.of("-Xmx2g"),
                List.of("-Xmx3g"),
                3,
                true,
                true,
                new RunControl());
        assertThat(invocation.toBuilder().build()).isEqualTo(invocation);
    }

    @Test
    void hintsRoundTripThroughJson() throws Exception {
        Hints hints = MavenHints.get();
        assertThat(Json.fromLine(Json.line(hints), Hints.class)).isEqualTo(hints);
    }
}
