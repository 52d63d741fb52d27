package io.github.flinkdbt.testing;

import io.github.flinkdbt.api.Command;
import io.github.flinkdbt.api.Hints;
import io.github.flinkdbt.api.Option;
import io.github.flinkdbt.common.FlinkDbtException;
import io.github.flinkdbt.home.PersistentCatalog;
import io.github.flinkdbt.project.Materialization;
import io.github.flinkdbt.project.Model;
import io.github.flinkdbt.project.Project;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.catalog.CatalogBaseTable;
import org.apache.flink.table.catalog.CatalogTable;
import org.apache.flink.table.catalog.ObjectPath;
import org.apache.iceberg.Table;

/**
 * Reading the deployed tables as they were at one moment: every Iceberg table of the project is
 * shadowed by a temporary copy with Iceberg's {@code as-of-timestamp}, so every query (views
 * included) reads the snapshot current at that time. An Iceberg snapshot id names the moment its
 * table committed it.
 */
final class PointInTime {

    private PointInTime() {}

    /** The epoch millisecond {@code asOf} means: a snapshot id's commit time, or a timestamp. */
    static long resolve(String asOf, PersistentCatalog catalog, List<Model> tables, Hints hints) {
        String text = asOf.trim();
        if (text.matches("\\d+")) {
            long id = Long.parseLong(text);
            for (Model model : tables) {
                Table table = icebergTable(catalog, model);
                if (table != null && table.snapshot(id) != null) {
                    return table.snapshot(id).timestampMillis();
                }
            }
            throw new FlinkDbtException(hints.set(Option.AS_OF, text) + ": no table of the project has snapshot "
                    + text + ".\nGive a snapshot id of one of its tables (see the row counts of "
                    + hints.command(Command.RUN) + ", or Iceberg's snapshots metadata table), or a time such as "
                    + "2026-11-24T10:15:00Z.");
        }
        try {
            return OffsetDateTime.parse(text.replace(' ', 'T')).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            // no offset: local time
        }
        try {
            return LocalDateTime.parse(text.replace(' ', 'T'))
                    .atZone(ZoneId.systemDefault())
                    .toInstant()
                    .toEpochMilli();
        } catch (DateTimeParseException e) {
            // a date alone
        }
        try {
            return LocalDate.parse(text)
                    .atStartOfDay(ZoneId.systemDefault())
                    .toInstant()
                    .toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new FlinkDbtException(hints.set(Option.AS_OF, text) + " is neither an Iceberg snapshot id nor a "
                    + "time.\nWrite e.g. " + hints.set(Option.AS_OF, "2026-11-24T10:15:00Z") + ", "
                    + hints.set(Option.AS_OF, "'2026-11-24 10:15:00'") + " (local time) or a snapshot id.");
        }
    }

    /** Shadows each deployed Iceberg table of {@code project} with a copy read as of {@code millis}. */
    static void shadow(TestSession session, TableEnvironment environment, Project project, long millis) {
        PersistentCatalog catalog = catalog(environment, project);
        for (Model model : tables(project)) {
            ObjectPath path =
                    new ObjectPath(model.relation().database(), model.relation().name());
            CatalogBaseTable table;
            try {
                table = catalog.getTable(path);
            } catch (Exception e) {
                continue; // not deployed: tests reading it fail with Flink's message
            }
            if (table instanceof CatalogTable catalogTable
                    && "iceberg".equals(catalogTable.getOptions().get("connector"))) {
                Map<String, String> options = new HashMap<>(catalogTable.getOptions());
                options.put("as-of-timestamp", String.valueOf(millis));
                session.createTemporaryTable(environment, model.relation(), catalogTable.copy(options));
            }
        }
    }

    static PersistentCatalog catalog(TableEnvironment environment, Project project) {
        return (PersistentCatalog) TestSession.catalogManager(environment)
                .getCatalog(project.catalog())
                .orElseThrow();
    }

    /** The models that are tables in the project's catalog. */
    static List<Model> tables(Project project) {
        return project.models().values().stream()
                .filter(m -> m.materialization() != Materialization.VIEW
                        && m.materialization() != Materialization.EPHEMERAL
                        && m.relation().catalog().equals(project.catalog()))
                .toList();
    }

    private static Table icebergTable(PersistentCatalog catalog, Model model) {
        try {
            return catalog.icebergTable(
                    new ObjectPath(model.relation().database(), model.relation().name()));
        } catch (RuntimeException e) {
            return null;
        }
    }

    static String describe(long millis) {
        return Instant.ofEpochMilli(millis).toString();
    }
}
