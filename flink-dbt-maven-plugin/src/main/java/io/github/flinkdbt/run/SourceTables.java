package io.github.flinkdbt.run;

import io.github.flinkdbt.common.FlinkDbtException;
import io.github.flinkdbt.common.Problems;
import io.github.flinkdbt.planner.RuntimeDefinitions;
import io.github.flinkdbt.project.Project;
import io.github.flinkdbt.project.SourceTable;
import java.util.Map;
import java.util.TreeSet;
import org.apache.flink.table.catalog.CatalogManager;
import org.apache.flink.table.catalog.CatalogTable;
import org.apache.flink.table.catalog.ObjectIdentifier;

/**
 * Writes the project's sources into the persistent catalog, as defined in its YAML now, so that
 * compiled plans and views find them by name in this run and in any later session.
 */
final class SourceTables {

    private final RunSession session;
    private final Project project;

    SourceTables(RunSession session, Project project) {
        this.session = session;
        this.project = project;
    }

    /** A source over a table created elsewhere reads it as it is: it must exist (a seed's or model's is written by this run). */
    private void requireTable(SourceTable source, CatalogManager catalogs) {
        if (source.node() != null) {
            return;
        }
        ObjectIdentifier id = ObjectIdentifier.of(
                source.relation().catalog(),
                source.relation().database(),
                source.relation().name());
        if (catalogs.getTable(id).isEmpty()) {
            Problems problems = new Problems();
            problems.add(
                    source.position(),
                    "Source '" + source.uniqueName() + "' reads "
                            + source.relation().display() + ", which does not exist in the catalog.",
                    "Create the table, fix the source's database/schema/identifier, or give it connector_properties.");
            problems.throwIfAny();
        }
    }

    /** Registers every source of the project (ephemeral models inline theirs into their readers). */
    void register() {
        TreeSet<String> needed = new TreeSet<>();
        project.sources().forEach(source -> needed.add(source.uniqueName()));
        CatalogManager catalogs = session.catalogManager(session.streaming());
        for (String name : needed) {
            SourceTable source = project.source(name);
            if (source == null) {
                continue;
            }
            if (source.overCatalogTable()) {
                requireTable(source, catalogs);
                continue;
            }
            Problems problems = new Problems();
            CatalogTable table = RuntimeDefinitions.source(source, session.classLoader(), problems);
            problems.throwIfAny();
            ObjectIdentifier id = ObjectIdentifier.of(
                    source.relation().catalog(),
                    source.relation().database(),
                    source.relation().name());
            RunSession.ensureDatabase(session.catalog(), id.getDatabaseName());
            session.withOptions(session.streaming(), Map.of(), () -> {
                try {
                    if (catalogs.getTable(id)
                            .map(t -> t.getTable() instanceof CatalogTable
                                    && !"iceberg"
                                            .equals(t.getTable().getOptions().get("connector")))
                            .orElse(false)) {
                        catalogs.alterTable(table, id, false); // one atomic rewrite of its definition
                    } else {
                        catalogs.dropTable(id, true);
                        catalogs.createTable(table, id, false);
                    }
                } catch (RuntimeException e) {
                    throw new FlinkDbtException(
                            "Cannot register source " + name + " in catalog " + id.getCatalogName() + ": "
                                    + e.getMessage(),
                            e);
                }
                return null;
            });
        }
    }
}
