package io.github.flinkdbt.planner;

/**
 * A column of a table a query reads that one of its output columns comes from.
 *
 * @param relation the table read, {@code catalog.database.table} (a source's or a model's table;
 *     views and ephemeral models are looked through)
 * @param derived whether the output column is computed from it (an expression, an aggregate)
 *     rather than the column itself
 */
public record ColumnOrigin(String relation, String column, boolean derived) implements Comparable<ColumnOrigin> {

    @Override
    public int compareTo(ColumnOrigin other) {
        int byRelation = relation.compareTo(other.relation);
        if (byRelation != 0) {
            return byRelation;
        }
        int byColumn = column.compareTo(other.column);
        return byColumn != 0 ? byColumn : Boolean.compare(derived, other.derived);
    }
}
