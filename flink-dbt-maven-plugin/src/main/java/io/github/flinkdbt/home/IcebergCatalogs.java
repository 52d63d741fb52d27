package io.github.flinkdbt.home;

import io.github.flinkdbt.api.Hints;
import io.github.flinkdbt.api.IcebergCatalog;
import io.github.flinkdbt.api.Option;
import io.github.flinkdbt.common.FlinkDbtException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.flink.CatalogLoader;

/**
 * Opens the Iceberg catalog a project's tables live in from its {@link IcebergCatalog} properties:
 * Iceberg's own loaders for {@code hadoop} and {@code rest}, its JDBC catalog for {@code jdbc}, and
 * any {@code catalog-impl} on the plugin's classpath. Refuses, before anything runs, what cannot
 * work.
 */
public final class IcebergCatalogs {

    private static final String JDBC_CATALOG = "org.apache.iceberg.jdbc.JdbcCatalog";
    private static final List<String> TYPES = List.of("hadoop", "rest", "jdbc");

    private IcebergCatalogs() {}

    /**
     * Refuses a catalog that cannot work: an unknown type, no {@code uri} where one is needed, a
     * secret written in the POM.
     */
    public static void check(IcebergCatalog catalog, Hints hints) {
        String where = hints.name(Option.ICEBERG_CATALOG);
        for (String key : catalog.properties().keySet()) {
            if (IcebergCatalog.isSecret(key)) {
                throw new FlinkDbtException("Iceberg catalog: '" + key + "' is set in " + where
                        + ", where anyone who reads the POM sees it.\nMove it to a <server> of ~/.m2/settings.xml"
                        + " (<configuration><" + key + ">…</" + key + "></configuration>) and name that server: "
                        + hints.set(Option.CATALOG_SERVER_ID, "<server id>"));
            }
        }
        if (catalog.properties().containsKey(IcebergCatalog.CATALOG_IMPL)) {
            return;
        }
        String type = catalog.type();
        if (!TYPES.contains(type)) {
            throw new FlinkDbtException("Iceberg catalog: catalog-type '" + type + "' in " + where
                    + " is not one flink-dbt opens. Use one of " + String.join(", ", TYPES)
                    + ", or name the catalog's class with 'catalog-impl' and add its jar to the plugin's"
                    + " <dependencies>.");
        }
        if (!type.equals("hadoop") && isBlank(catalog.properties().get("uri"))) {
            throw new FlinkDbtException(
                    "Iceberg catalog: a " + type + " catalog needs its 'uri' in " + where + " (e.g. "
                            + (type.equals("rest")
                                    ? "<uri>https://catalog.example.com/api/catalog</uri>"
                                    : "<uri>jdbc:postgresql://db:5432/iceberg</uri>")
                            + ").");
        }
    }

    /** How to open the catalog, secrets included: serialized into every job that reads or writes its tables. */
    static CatalogLoader loader(String name, FlinkDbtHome home, IcebergCatalog catalog) {
        Map<String, String> properties = new HashMap<>(catalog.withSecrets());
        Configuration hadoop = new Configuration(false);
        String impl = properties.get(IcebergCatalog.CATALOG_IMPL);
        if (impl != null) {
            return CatalogLoader.custom(name, properties, hadoop, impl);
        }
        String type = catalog.type();
        if (!type.equals("rest")) {
            properties.putIfAbsent("warehouse", home.warehouse().toString());
        }
        properties.remove(IcebergCatalog.CATALOG_TYPE);
        return switch (type) {
            case "rest" -> CatalogLoader.rest(name, hadoop, properties);
            case "jdbc" -> CatalogLoader.custom(name, properties, hadoop, JDBC_CATALOG);
            default -> CatalogLoader.hadoop(name, hadoop, properties);
        };
    }

    /** The catalog as messages name it: its type and where it is, never a secret. */
    public static String describe(IcebergCatalog catalog, FlinkDbtHome home) {
        String uri = catalog.properties().get("uri");
        if (uri == null) {
            return catalog.type() + " catalog in " + catalog.properties().getOrDefault("warehouse", home.display());
        }
        // a JDBC URL may carry options (a password among them) after ';', '?' or '&'
        return catalog.type() + " catalog at " + uri.split("[;?&]", 2)[0];
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
