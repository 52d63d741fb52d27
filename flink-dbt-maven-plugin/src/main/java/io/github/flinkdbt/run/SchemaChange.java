package io.github.flinkdbt.run;

import io.github.flinkdbt.api.Hints;
import io.github.flinkdbt.api.Option;
import io.github.flinkdbt.common.FlinkDbtException;
import io.github.flinkdbt.project.Model;
import io.github.flinkdbt.project.Relation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.UpdateSchema;
import org.apache.iceberg.flink.FlinkSchemaUtil;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * An incremental model whose query's columns no longer match its table's, as its {@code
 * on_schema_change} says: {@code ignore} (the table keeps its columns), {@code fail}, {@code
 * append_new_columns}, {@code sync_all_columns} — through Iceberg schema evolution, one metadata
 * commit, the rows kept. The table's unique key and partitioning cannot change without a rebuild.
 */
final class SchemaChange {

    /** The columns added to the query, removed from it, and given another type, by name. */
    record Difference(List<Types.NestedField> added, List<String> removed, Map<String, Type> retyped) {

        boolean none() {
            return added.isEmpty() && removed.isEmpty() && retyped.isEmpty();
        }

        String describe() {
            List<String> parts = new ArrayList<>();
            added.forEach(f -> parts.add("added " + f.name() + " " + FlinkSchemaUtil.convert(f.type())));
            removed.forEach(name -> parts.add("removed " + name));
            retyped.forEach((name, type) -> parts.add(name + " now " + FlinkSchemaUtil.convert(type)));
            return String.join(", ", parts);
        }
    }

    /**
     * The table's columns after the change, in order, and the columns the query produces (as
     * Iceberg types): what the query's rows are fitted to.
     */
    record Evolved(List<Types.NestedField> columns, Schema produced) {

        List<String> columnNames() {
            return columns.stream().map(Types.NestedField::name).toList();
        }

        /**
         * {@code sql}'s rows with the table's columns, in its order: a column the query lacks is NULL,
         * one of another type is cast to the table's.
         */
        String rows(String sql) {
            List<String> select = new ArrayList<>();
            boolean same = columns.size() == produced.columns().size();
            for (int i = 0; i < columns.size(); i++) {
                Types.NestedField column = columns.get(i);
                Types.NestedField made = produced.findField(column.name());
                String name = Relation.quote(column.name());
                String type = FlinkSchemaUtil.convert(column.type()).copy(true).asSerializableString();
                if (made == null) {
                    select.add("CAST(NULL AS " + type + ") AS " + name);
                    same = false;
                } else if (!made.type().equals(column.type())) {
                    select.add("CAST(new_rows." + name + " AS " + type + ") AS " + name);
                    same = false;
                } else {
                    select.add("new_rows." + name);
                    same &= i < produced.columns().size()
                            && produced.columns().get(i).name().equals(column.name());
                }
            }
            return same ? sql : "SELECT " + String.join(", ", select) + "\nFROM (\n" + sql + "\n) AS new_rows\n";
        }
    }

    private SchemaChange() {}

    /**
     * Evolves {@code table} for {@code query}'s columns as the model's policy says.
     *
     * @throws FlinkDbtException under {@code fail}, for a change of key or partitioning, or a type
     *     change Iceberg cannot make — before anything changed
     */
    static Evolved apply(Model model, Table table, ResolvedSchema query, Hints hints) {
        table.refresh();
        Schema current = table.schema();
        Schema wanted = FlinkSchemaUtil.convert(query);
        String rebuild = "Rebuild its table with " + hints.name(Option.FULL_REFRESH) + ".";
        if (!current.identifierFieldNames().equals(wanted.identifierFieldNames())) {
            throw new FlinkDbtException("The unique_key of incremental model '" + model.name() + "' changed since its"
                    + " table " + model.relation().display() + " was built (" + current.identifierFieldNames() + " -> "
                    + wanted.identifierFieldNames() + "); nothing was written. " + rebuild);
        }
        List<String> partitions = IcebergTables.partitionColumns(table);
        if (!partitions.equals(model.config().partitionBy())) {
            throw new FlinkDbtException("The partition_by of incremental model '" + model.name() + "' changed since"
                    + " its table " + model.relation().display() + " was built (" + partitions + " -> "
                    + model.config().partitionBy() + "); nothing was written. " + rebuild);
        }
        Difference difference = between(current, wanted);
        String policy = model.config().onSchemaChange();
        if (difference.none() || policy.equals("ignore")) {
            return new Evolved(current.columns(), wanted);
        }
        if (policy.equals("fail")) {
            throw new FlinkDbtException("The columns of incremental model '" + model.name() + "' changed since its"
                    + " table " + model.relation().display() + " was built: " + difference.describe()
                    + ". Its on_schema_change is 'fail': nothing was written. " + rebuild
                    + " Or set on_schema_change='append_new_columns' or 'sync_all_columns' to evolve the table.");
        }
        UpdateSchema update = table.updateSchema();
        // top-level columns, named as they are: a name may hold dots ("field.with.dots")
        difference.added().forEach(field -> update.addColumn(null, field.name(), field.type(), field.doc()));
        if (policy.equals("append_new_columns")) {
            // a column the query no longer selects stays, NULL in the rows written from now on
            difference.removed().stream()
                    .filter(name -> current.findField(name).isRequired()
                            && !current.identifierFieldNames().contains(name))
                    .forEach(update::makeColumnOptional);
        }
        if (policy.equals("sync_all_columns")) {
            difference.removed().forEach(update::deleteColumn);
            difference.retyped().forEach((name, type) -> {
                if (!type.isPrimitiveType()) {
                    throw typeChange(model, name, type, rebuild);
                }
                update.updateColumn(name, type.asPrimitiveType());
            });
        }
        try {
            update.commit();
        } catch (IllegalArgumentException impossible) {
            throw new FlinkDbtException(
                    "The table " + model.relation().display() + " of incremental model '"
                            + model.name() + "' cannot take the new columns (" + difference.describe() + "): "
                            + impossible.getMessage() + ". Nothing was written. " + rebuild,
                    impossible);
        }
        table.refresh();
        return new Evolved(table.schema().columns(), wanted);
    }

    private static FlinkDbtException typeChange(Model model, String column, Type type, String rebuild) {
        return new FlinkDbtException("Column " + column + " of incremental model '" + model.name() + "' is now "
                + FlinkSchemaUtil.convert(type) + ", which Iceberg cannot change in place. Nothing was written. "
                + rebuild);
    }

    static Difference between(Schema current, Schema wanted) {
        List<Types.NestedField> added = new ArrayList<>();
        Map<String, Type> retyped = new TreeMap<>();
        for (Types.NestedField field : wanted.columns()) {
            Types.NestedField existing = current.findField(field.name());
            if (existing == null) {
                added.add(Types.NestedField.optional(-1, field.name(), field.type(), field.doc()));
            } else if (!existing.type().equals(field.type())) {
                retyped.put(field.name(), field.type());
            }
        }
        List<String> removed = current.columns().stream()
                .map(Types.NestedField::name)
                .filter(name -> wanted.findField(name) == null)
                .toList();
        return new Difference(added, removed, retyped);
    }
}
