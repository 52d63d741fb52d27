package io.github.flinkdbt.build;

import io.github.flinkdbt.api.IcebergCatalog;
import io.github.flinkdbt.api.Settings;
import io.github.flinkdbt.common.Problems;
import io.github.flinkdbt.common.Suggestions;
import io.github.flinkdbt.home.FlinkDbtHome;
import io.github.flinkdbt.home.IcebergCatalogs;
import io.github.flinkdbt.home.PersistentCatalog;
import io.github.flinkdbt.project.ColumnDefinition;
import io.github.flinkdbt.project.Model;
import io.github.flinkdbt.project.Project;
import io.github.flinkdbt.project.Relation;
import io.github.flinkdbt.project.SourceTable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.catalog.CatalogBaseTable;
import org.apache.flink.table.catalog.ObjectPath;
import org.apache.flink.table.catalog.exceptions.DatabaseNotExistException;
import org.apache.flink.table.catalog.exceptions.TableNotExistException;
import org.apache.flink.table.types.AbstractDataType;
import org.apache.flink.table.types.DataType;

/**
 * The columns of sources that read a table created elsewhere (no connector properties, no seed or
 * model of this project behind them), read from the project's catalog: the planner needs them, and
 * a table that is not there is reported at its source's YAML line before anything is planned. The
 * catalog is only read; a source whose columns are all declared with types compiles before its
 * table exists ({@code run} checks that it does).
 */
final class CatalogSources {

    private final Project project;
    private final PersistentCatalog catalog;
    private final String where;
    private final Problems problems;

    private CatalogSources(Project project, PersistentCatalog catalog, String where, Problems problems) {
        this.project = project;
        this.catalog = catalog;
        this.where = where;
        this.problems = problems;
    }

    static Project withColumns(Project project, Settings settings, Problems problems) {
        boolean any = project.sources().stream()
                .anyMatch(s -> s.overCatalogTable()
                        && s.node() == null
                        && !project.brokenSources().contains(s.uniqueName()));
        if (!any) {
            return project;
        }
        FlinkDbtHome home = new FlinkDbtHome(settings.home());
        IcebergCatalog iceberg = settings.icebergCatalog();
        boolean inHome =
                iceberg.type().equals("hadoop") && !iceberg.properties().containsKey("warehouse");
        PersistentCatalog catalog =
                inHome && !home.exists() ? null : PersistentCatalog.open(project.catalog(), settings.home(), iceberg);
        try {
            if (catalog != null) {
                catalog.open();
            }
            return new CatalogSources(project, catalog, IcebergCatalogs.describe(iceberg, home), problems).resolve();
        } finally {
            if (catalog != null) {
                catalog.close();
            }
        }
    }

    private Project resolve() {
        List<SourceTable> sources = new ArrayList<>();
        Set<String> broken = new TreeSet<>(project.brokenSources());
        for (SourceTable source : project.sources()) {
            if (!source.overCatalogTable() || source.node() != null || broken.contains(source.uniqueName())) {
                sources.add(source);
                continue;
            }
            SourceTable resolved = resolve(source);
            sources.add(resolved == null ? source : resolved);
            if (resolved == null) {
                broken.add(source.uniqueName());
            }
        }
        return new Project(
                project.layout(),
                project.catalog(),
                project.database(),
                project.models(),
                List.copyOf(sources),
                project.dataTests(),
                project.unitTests(),
                project.singularTests(),
                project.functions(),
                project.exposures(),
                project.docs(),
                project.vars(),
                project.brokenModels(),
                Set.copyOf(broken),
                project.environmentRead(),
                project.onRunStart(),
                project.onRunEnd(),
                project.warnings());
    }

    /** The source with its table's columns; null when it has problems (recorded). */
    private SourceTable resolve(SourceTable source) {
        if (!source.relation().catalog().equals(project.catalog())) {
            problems.add(
                    source.position(),
                    "Source '" + source.uniqueName() + "' reads a table of catalog '"
                            + source.relation().catalog()
                            + "'; only the project's catalog '" + project.catalog()
                            + "' holds tables that can be read by name.",
                    "Leave out the source's database: (or set it to " + project.catalog()
                            + "), or give the source connector_properties to read the data directly.");
            return null;
        }
        List<ColumnDefinition> columns = catalog == null ? null : columns(source);
        if (columns != null) {
            return source.withColumns(columns);
        }
        if (!source.columns().isEmpty() && source.columns().stream().allMatch(c -> c.dataType() != null)) {
            return source;
        }
        problems.add(
                source.position(),
                "Source '" + source.uniqueName() + "' reads "
                        + source.relation().display()
                        + ", which is neither a seed or model of this project nor a table in the " + where + "."
                        + Suggestions.didYouMean(source.relation().name(), knownTables(source)),
                "Fix its schema/identifier, declare its columns with a data_type each to compile before the table "
                        + "exists, or give the source connector_properties.");
        return null;
    }

    /** The table's columns as the catalog has them (described as the YAML does); null when there is no such table. */
    private List<ColumnDefinition> columns(SourceTable source) {
        CatalogBaseTable table;
        try {
            table = catalog.getTable(new ObjectPath(
                    source.relation().database(), source.relation().name()));
        } catch (TableNotExistException e) {
            return null;
        }
        Map<String, String> described = new HashMap<>();
        source.columns().stream()
                .filter(c -> c.description() != null)
                .forEach(c -> described.put(c.name(), c.description()));
        List<ColumnDefinition> columns = new ArrayList<>();
        for (Schema.UnresolvedColumn column : table.getUnresolvedSchema().getColumns()) {
            AbstractDataType<?> type = column instanceof Schema.UnresolvedPhysicalColumn physical
                    ? physical.getDataType()
                    : column instanceof Schema.UnresolvedMetadataColumn metadata ? metadata.getDataType() : null;
            if (type == null) {
                continue; // a computed column: its type is its expression's
            }
            columns.add(new ColumnDefinition(
                    column.getName(),
                    type instanceof DataType resolved
                            ? resolved.getLogicalType().asSerializableString()
                            : type.toString(),
                    column.getComment().orElse(described.get(column.getName())),
                    ColumnDefinition.Kind.PHYSICAL,
                    null,
                    source.position()));
        }
        return columns;
    }

    /** The names a misspelt table may have meant: the project's seeds and models, the catalog's tables there. */
    private List<String> knownTables(SourceTable source) {
        List<String> names = new ArrayList<>(project.models().values().stream()
                .map(Model::relation)
                .map(Relation::name)
                .toList());
        if (catalog != null && catalog.databaseExists(source.relation().database())) {
            try {
                names.addAll(catalog.listTables(source.relation().database()));
            } catch (DatabaseNotExistException e) {
                // nothing to suggest from there
            }
        }
        return names;
    }
}
