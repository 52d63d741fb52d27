package io.github.flinkdbt.home;

import java.nio.file.Path;
import java.util.Set;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.table.catalog.Catalog;
import org.apache.flink.table.factories.CatalogFactory;
import org.apache.flink.table.factories.FactoryUtil;

/**
 * Opens a {@link PersistentCatalog} from its definition, e.g. from the file catalog store in a
 * new JVM, or in SQL: {@code CREATE CATALOG flink_dbt WITH ('type'='flink-dbt', 'home'='/…/.flink-dbt')}.
 */
public final class PersistentCatalogFactory implements CatalogFactory {

    public static final ConfigOption<String> HOME = ConfigOptions.key("home")
            .stringType()
            .noDefaultValue()
            .withDescription("The flink-dbt home directory: warehouse, catalog files and state.");

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

    @Override
    public Catalog createCatalog(Context context) {
        FactoryUtil.CatalogFactoryHelper helper = FactoryUtil.createCatalogFactoryHelper(this, context);
        helper.validate();
        return new PersistentCatalog(
                context.getName(), Path.of(helper.getOptions().get(HOME)));
    }
}
