package io.github.flinkdbt.api;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Iceberg catalog the models' tables live in, in the property names of Iceberg's own Flink
 * catalog ({@code catalog-type}, {@code uri}, {@code warehouse}, {@code catalog-impl}, …): a Hadoop
 * catalog in the home when nothing is set, or any REST catalog (Polaris, Lakekeeper, Nessie,
 * Gravitino…), a JDBC catalog, or a catalog implementation on the plugin's classpath.
 *
 * @param properties from the POM; never a secret
 * @param secrets from a {@code settings.xml} {@code <server>} (a REST catalog's {@code credential}
 *     or {@code token}, a JDBC catalog's {@code jdbc.password}); never printed, never written to
 *     the home or to compiled output
 */
public record IcebergCatalog(Map<String, String> properties, Map<String, String> secrets) {

    /** Iceberg's property naming the catalog type. */
    public static final String CATALOG_TYPE = "catalog-type";

    /** Iceberg's property naming a catalog class, instead of a type. */
    public static final String CATALOG_IMPL = "catalog-impl";

    /** A Hadoop catalog whose warehouse is the home's {@code warehouse} directory. */
    public static final IcebergCatalog IN_HOME = new IcebergCatalog(Map.of(), Map.of());

    public IcebergCatalog {
        properties = new TreeMap<>(properties);
        secrets = new TreeMap<>(secrets);
    }

    /** {@code hadoop}, {@code rest}, {@code jdbc} or another type Iceberg knows; the class for {@code catalog-impl}. */
    public String type() {
        String impl = properties.get(CATALOG_IMPL);
        if (impl != null) {
            return impl;
        }
        return properties.getOrDefault(CATALOG_TYPE, "hadoop").trim().toLowerCase(Locale.ROOT);
    }

    /** The properties with the secrets: what the catalog is opened with, never shown. */
    public Map<String, String> withSecrets() {
        Map<String, String> all = new TreeMap<>(properties);
        all.putAll(secrets);
        return all;
    }

    /** Whether a property of this name carries a secret (and so belongs in settings.xml, not the POM). */
    public static boolean isSecret(String key) {
        String name = key.toLowerCase(Locale.ROOT);
        return name.contains("password")
                || name.contains("secret")
                || name.contains("token")
                || name.contains("credential")
                || name.endsWith("access-key-id")
                || name.contains("session-key");
    }

    @Override
    public String toString() {
        return "IcebergCatalog[properties=" + properties + ", secrets=" + secrets.keySet() + "]";
    }
}
