package io.github.flinkdbt.cluster.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.flinkdbt.FlinkDbt;
import io.github.flinkdbt.TestProjects;
import io.github.flinkdbt.api.IcebergCatalog;
import io.github.flinkdbt.api.Settings;
import io.github.flinkdbt.common.FlinkDbtException;
import io.github.flinkdbt.home.PlainIcebergReader;
import io.github.flinkdbt.home.RestCatalogServer;
import io.github.flinkdbt.run.RunOutcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.h2.tools.Server;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The models' tables in catalogs beyond one machine, written by jobs on the standalone cluster
 * (whose TaskManagers open the catalog themselves to commit): Iceberg's REST catalog server and a
 * JDBC catalog in an H2 database server, both processes of their own that outlive the run. A
 * fresh JVM sees the tables, and so does Iceberg's plain Java reader, with no Flink at all.
 */
@ExtendWith(SharedCluster.Resolver.class)
class SharedCatalogsTest {

    private static final String TOKEN = "t0ken-never-printed";
    private static final String DB_PASSWORD = "pa55-never-printed";
    private static final List<String> TABLES =
            List.of("shop.clicks_per_user:clicks", "shop.revenue_per_user:revenue", "shop.views_per_minute:view_count");

    @TempDir
    static Path dir;

    private static SharedCluster cluster;

    @BeforeAll
    static void cluster(SharedCluster shared) {
        cluster = shared;
    }

    @Test
    void aRestCatalogHoldsTheTablesForAFreshJvmAndAReaderWithoutFlink() throws Exception {
        try (RestCatalogServer server = RestCatalogServer.start(dir.resolve("rest-server"))) {
            Path project = TestProjects.shop(dir.resolve("rest"));
            IcebergCatalog catalog = new IcebergCatalog(
                    Map.of("catalog-type", "rest", "uri", server.uri().toString()), Map.of("token", TOKEN));
            List<String> log = Collections.synchronizedList(new ArrayList<>());
            RunOutcome outcome = run(project, catalog, log);
            assertThat(outcome.models()).allMatch(m -> m.status().equals("success"), "every model succeeded");

            // nothing of the home holds a table: they are the REST catalog's
            assertThat(project.resolve(".flink-dbt/warehouse")).isEmptyDirectory();
            Map<String, String> read = PlainIcebergReader.read(
                    "flink_dbt", Map.of("type", "rest", "uri", server.uri().toString()), TABLES);
            assertThat(read)
                    .containsEntry("shop.clicks_per_user", "rows=" + rows(project, "clicks_per_user") + " sum=100");
            assertThat(read.get("shop.revenue_per_user")).startsWith("rows=" + rows(project, "revenue_per_user") + " ");
            assertThat(read.get("shop.views_per_minute")).endsWith(" sum=100");
            assertNoSecretIn(project, log, TOKEN);
        }
    }

    @Test
    void aJdbcCatalogInADatabaseServerWithItsPasswordFromSettings() throws Exception {
        Path data = Files.createDirectories(dir.resolve("h2"));
        Server database = Server.createTcpServer(
                        "-tcpPort", String.valueOf(freePort()), "-ifNotExists", "-baseDir", data.toString())
                .start();
        try {
            String url = "jdbc:h2:tcp://localhost:" + database.getPort() + "/iceberg";
            try (var connection = DriverManager.getConnection(url, "flink", DB_PASSWORD)) {
                // the database's owner and password: the catalog must give them to get in
            }
            Path project = TestProjects.shop(dir.resolve("jdbc"));
            IcebergCatalog catalog = new IcebergCatalog(
                    Map.of(
                            "catalog-type",
                            "jdbc",
                            "uri",
                            url,
                            "warehouse",
                            dir.resolve("jdbc-warehouse").toUri().toString()),
                    Map.of("jdbc.user", "flink", "jdbc.password", DB_PASSWORD));
            List<String> log = Collections.synchronizedList(new ArrayList<>());
            RunOutcome outcome = run(project, catalog, log);
            assertThat(outcome.models()).allMatch(m -> m.status().equals("success"), "every model succeeded");

            Map<String, String> read = PlainIcebergReader.read(
                    "flink_dbt",
                    Map.of(
                            "warehouse",
                            dir.resolve("jdbc-warehouse").toUri().toString(),
                            "catalog-impl",
                            "org.apache.iceberg.jdbc.JdbcCatalog",
                            "uri",
                            url,
                            "jdbc.user",
                            "flink",
                            "jdbc.password",
                            DB_PASSWORD),
                    TABLES);
            assertThat(read.get("shop.revenue_per_user")).doesNotStartWith("rows=0 ");
            assertThat(read.get("shop.clicks_per_user")).endsWith(" sum=100");
            assertThat(read.get("shop.views_per_minute")).endsWith(" sum=100");
            assertNoSecretIn(project, log, DB_PASSWORD);

            // a wrong password: one message naming the catalog, not the password, and nothing run
            IcebergCatalog wrong = new IcebergCatalog(
                    catalog.properties(), Map.of("jdbc.user", "flink", "jdbc.password", "wrong-one"));
            List<String> failedLog = Collections.synchronizedList(new ArrayList<>());
            assertThatThrownBy(() -> run(project, wrong, failedLog))
                    .isInstanceOf(FlinkDbtException.class)
                    .hasMessageContaining("Cannot open the Iceberg jdbc catalog at " + url)
                    .hasMessageContaining("Wrong user name or password")
                    .hasMessageNotContaining("wrong-one");
        } finally {
            database.stop();
        }
    }

    private static RunOutcome run(Path project, IcebergCatalog catalog, List<String> log) {
        Settings settings = TestProjects.settings(project)
                .defaultName("shop")
                .database("shop")
                .icebergCatalog(catalog)
                .cluster(cluster.restUrl())
                .build();
        return FlinkDbt.run(
                settings,
                TestProjects.invocation(TestProjects.capturing(log))
                        .pluginClasspath(TestProjects.testClasspath())
                        .build());
    }

    private static long rows(Path project, String table) throws IOException {
        return TestProjects.query(project.resolve(".flink-dbt"), "SELECT * FROM flink_dbt.shop." + table)
                .size();
    }

    /** Neither the log, nor the home (catalog store included), nor the compiled output holds the secret. */
    private static void assertNoSecretIn(Path project, List<String> log, String secret) throws IOException {
        assertThat(String.join("\n", log)).doesNotContain(secret);
        for (Path root : List.of(project.resolve(".flink-dbt"), project.resolve("target"))) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1))
                            .as(file.toString())
                            .doesNotContain(secret);
                }
            }
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
