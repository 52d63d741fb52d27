package io.github.flinkdbt.home;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.flinkdbt.api.IcebergCatalog;
import io.github.flinkdbt.common.FlinkDbtException;
import io.github.flinkdbt.mojo.MavenHints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.flink.table.catalog.FileCatalogStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the Iceberg catalog's properties may say, and what the home remembers of them. */
class IcebergCatalogsTest {

    @TempDir
    Path dir;

    @Test
    void aSecretInThePomIsRefusedWithWhereItBelongs() {
        IcebergCatalog catalog = new IcebergCatalog(
                Map.of("catalog-type", "rest", "uri", "https://polaris/api/catalog", "credential", "id:secret"),
                Map.of());
        assertThatThrownBy(() -> IcebergCatalogs.check(catalog, MavenHints.get()))
                .isInstanceOf(FlinkDbtException.class)
                .hasMessageContaining("'credential' is set in <icebergCatalog> in the plugin's <configuration>")
                .hasMessageContaining("<server> of ~/.m2/settings.xml (<configuration><credential>…</credential>")
                .hasMessageContaining("-Dflink-dbt.catalogServerId=<server id>")
                .hasMessageNotContaining("id:secret");
    }

    @Test
    void anUnknownTypeOrAMissingUriIsOneClearError() {
        assertThatThrownBy(() -> IcebergCatalogs.check(
                        new IcebergCatalog(Map.of("catalog-type", "hive"), Map.of()), MavenHints.get()))
                .hasMessageContaining("catalog-type 'hive' in <icebergCatalog>")
                .hasMessageContaining("Use one of hadoop, rest, jdbc, or name the catalog's class with 'catalog-impl'");
        assertThatThrownBy(() -> IcebergCatalogs.check(
                        new IcebergCatalog(Map.of("catalog-type", "rest"), Map.of()), MavenHints.get()))
                .hasMessageContaining("a rest catalog needs its 'uri' in <icebergCatalog>");
        IcebergCatalogs.check(IcebergCatalog.IN_HOME, MavenHints.get());
        IcebergCatalogs.check(
                new IcebergCatalog(Map.of("catalog-impl", "org.apache.iceberg.nessie.NessieCatalog"), Map.of()),
                MavenHints.get());
    }

    @Test
    void messagesNameTheCatalogButNotTheOptionsOfAJdbcUrl() {
        FlinkDbtHome home = new FlinkDbtHome(dir.toUri());
        assertThat(IcebergCatalogs.describe(
                        new IcebergCatalog(
                                Map.of("catalog-type", "jdbc", "uri", "jdbc:postgresql://db/ice?password=x"), Map.of()),
                        home))
                .isEqualTo("jdbc catalog at jdbc:postgresql://db/ice");
        assertThat(IcebergCatalogs.describe(IcebergCatalog.IN_HOME, home)).startsWith("hadoop catalog in ");
    }

    /** A later JVM (or a SQL client) finds the catalog in the home's store: its properties, never its secrets. */
    @Test
    void theHomeRemembersTheCatalogWithoutItsSecretsAndFollowsAChange() throws Exception {
        FlinkDbtHome home = new FlinkDbtHome(dir.toUri());
        Files.createDirectories(dir.resolve("catalog-store"));
        PersistentCatalogFactory.remember(home, "flink_dbt", IcebergCatalog.IN_HOME);
        assertThat(stored())
                .isEqualTo(Map.of("type", "flink-dbt", "home", dir.toUri().toString()));

        PersistentCatalogFactory.remember(
                home,
                "flink_dbt",
                new IcebergCatalog(
                        Map.of("catalog-type", "rest", "uri", "http://catalog:8181"), Map.of("token", "t0k3n")));
        assertThat(stored())
                .isEqualTo(Map.of(
                        "type", "flink-dbt",
                        "home", dir.toUri().toString(),
                        "iceberg.catalog-type", "rest",
                        "iceberg.uri", "http://catalog:8181"));
        try (var files = Files.list(dir.resolve("catalog-store"))) {
            for (Path file : files.toList()) {
                assertThat(Files.readString(file)).doesNotContain("t0k3n");
            }
        }
    }

    private Map<String, String> stored() {
        FileCatalogStore store =
                new FileCatalogStore(dir.resolve("catalog-store").toUri().toString());
        store.open();
        try {
            return store.getCatalog("flink_dbt")
                    .orElseThrow()
                    .getConfiguration()
                    .toMap();
        } finally {
            store.close();
        }
    }
}
