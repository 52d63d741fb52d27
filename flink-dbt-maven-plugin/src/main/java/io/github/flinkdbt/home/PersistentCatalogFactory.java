package io.github.flinkdbt.home;

import io.github.flinkdbt.api.IcebergCatalog;
import io.github.flinkdbt.common.FlinkFiles;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.catalog.Catalog;
import org.apache.flink.table.catalog.CatalogDescriptor;
import org.apache.flink.table.catalog.CommonCatalogOptions;
import org.apache.flink.table.catalog.FileCatalogStore;
import org.apache.flink.table.factories.CatalogFactory;
import org.apache.flink.table.factories.FactoryUtil;

/**
 * Opens a {@link PersistentCatalog} from its definition, e.g. from the file catalog store in a
 * new JVM, or in SQL: {@code CREATE CATALOG flink_dbt WITH ('type'='flink-dbt', 'home'='/…/.flink-dbt')}.
 */
public final class PersistentCatalogFactory implements CatalogFactory {

    /** The prefix of the Iceberg catalog's properties in a catalog definition. */
    static final String ICEBERG_PREFIX = "iceberg.";

    public static final ConfigOption<String> HOME = ConfigOptions.key("home")
            .stringType()
            .noDefaultValue()
            .withDescription("The flink-dbt home: warehouse, catalog files and state; a directory or a URI.");

    @Override
    public String factoryIdentifier() {
        return PersistentCatalog.TYPE;
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return Set.of(HOME);
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        return Set.of();
    }

    /**
     * Writes the catalog's definition to the home's catalog store, without its secrets, when the
     * store does not hold that definition already: a later JVM or a SQL client opens the same
     * catalog from it.
     */
    static void remember(FlinkDbtHome home, String name, IcebergCatalog icebergCatalog) {
        Configuration options = new Configuration();
        options.setString(CommonCatalogOptions.CATALOG_TYPE.key(), PersistentCatalog.TYPE);
        options.setString(HOME.key(), home.root().toString());
        icebergCatalog.properties().forEach((key, value) -> options.setString(ICEBERG_PREFIX + key, value));
        CatalogDescriptor wanted = CatalogDescriptor.of(name, options);
        FileCatalogStore store = new FileCatalogStore(home.catalogStore().toString());
        store.open();
        try {
            Optional<CatalogDescriptor> stored = store.getCatalog(name);
            if (stored.isPresent() && stored.get().getConfiguration().toMap().equals(options.toMap())) {
                return;
            }
            if (stored.isPresent()) {
                store.removeCatalog(name, true);
            }
            store.storeCatalog(name, wanted);
        } finally {
            store.close();
        }
    }

    /** A home as written in a catalog definition: a URI, or (as earlier versions wrote it) a directory. */
    static URI location(String home) {
        return FlinkFiles.toUri(home);
    }

    /**
     * The catalog from its definition: {@code home}, and the Iceberg catalog's properties prefixed
     * with {@code iceberg.} ({@code 'iceberg.catalog-type'='rest'}, {@code 'iceberg.uri'=…}; a
     * secret such as {@code 'iceberg.credential'} only where the definition is not stored).
     */
    @Override
    public Catalog createCatalog(Context context) {
        FactoryUtil.CatalogFactoryHelper helper = FactoryUtil.createCatalogFactoryHelper(this, context);
        helper.validateExcept(ICEBERG_PREFIX);
        Map<String, String> properties = new TreeMap<>();
        Map<String, String> secrets = new TreeMap<>();
        context.getOptions().forEach((key, value) -> {
            if (key.startsWith(ICEBERG_PREFIX)) {
                String property = key.substring(ICEBERG_PREFIX.length());
                (IcebergCatalog.isSecret(property) ? secrets : properties).put(property, value);
            }
        });
        return PersistentCatalog.open(
                context.getName(), location(helper.getOptions().get(HOME)), new IcebergCatalog(properties, secrets));
    }
}
