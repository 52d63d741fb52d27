package io.github.flinkdbt.home;

import io.github.flinkdbt.common.FlinkFiles;
import java.net.URI;
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

    /** A home as written in a catalog definition: a URI, or (as earlier versions wrote it) a directory. */
    static URI location(String home) {
        return FlinkFiles.toUri(home);
    }

    @Override
    public Catalog createCatalog(Context context) {
        FactoryUtil.CatalogFactoryHelper helper = FactoryUtil.createCatalogFactoryHelper(this, context);
        helper.validate();
        return new PersistentCatalog(
                context.getName(), location(helper.getOptions().get(HOME)));
    }
}
