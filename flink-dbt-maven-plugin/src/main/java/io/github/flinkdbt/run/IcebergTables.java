package io.github.flinkdbt.run;

import io.github.flinkdbt.home.PersistentCatalog;
import io.github.flinkdbt.project.Relation;
import java.util.List;
import java.util.Map;
import org.apache.flink.table.catalog.ObjectPath;
import org.apache.flink.table.catalog.ResolvedCatalogTable;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.Table;
import org.apache.iceberg.Transaction;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.flink.FlinkSchemaUtil;

/**
 * Direct Iceberg operations a run needs beyond what Flink SQL offers: counting the rows a job
 * committed, and replacing a table's contents atomically through a staging branch.
 */
final class IcebergTables {

    /** The branch a {@code table} model is written to before it replaces {@code main} in one commit. */
    static final String STAGE = "flink_dbt_stage";

    private IcebergTables() {}

    static Table load(PersistentCatalog catalog, Relation relation) {
        return catalog.icebergTable(new ObjectPath(relation.database(), relation.name()));
    }

    /**
     * Whether the Iceberg table stores what a model now produces: the same columns (as Iceberg
     * types), identifier fields and partition columns.
     */
    static boolean matches(Table table, ResolvedCatalogTable wanted) {
        Schema want = FlinkSchemaUtil.convert(wanted.getResolvedSchema());
        return describe(table.schema()).equals(describe(want))
                && table.schema().identifierFieldNames().equals(want.identifierFieldNames())
                && partitionColumns(table).equals(wanted.getPartitionKeys());
    }

    /** The columns the table is partitioned by, in the spec's order. */
    static List<String> partitionColumns(Table table) {
        return table.spec().fields().stream()
                .map(field -> table.schema().findColumnName(field.sourceId()))
                .toList();
    }

    private static List<String> describe(Schema schema) {
        return schema.columns().stream()
                .map(f -> f.name() + " " + f.type() + (f.isOptional() ? "" : " NOT NULL"))
                .toList();
    }

    /** The head snapshot of {@code branch}, or null when it has none. */
    static Long head(Table table, String branch) {
        table.refresh();
        Snapshot snapshot = table.snapshot(branch);
        return snapshot == null ? null : snapshot.snapshotId();
    }

    /** Rows added to {@code branch} by the commits after {@code since} (null: since the beginning). */
    static long addedSince(Table table, String branch, Long since) {
        table.refresh();
        long rows = 0;
        for (Snapshot s = table.snapshot(branch);
                s != null && !Long.valueOf(s.snapshotId()).equals(since);
                s = s.parentId() == null ? null : table.snapshot(s.parentId())) {
            rows += Long.parseLong(s.summary().getOrDefault("added-records", "0"));
        }
        return rows;
    }

    /** Rows in the head of {@code branch}. */
    static long totalRows(Table table, String branch) {
        table.refresh();
        Snapshot snapshot = table.snapshot(branch);
        return snapshot == null ? 0 : Long.parseLong(snapshot.summary().getOrDefault("total-records", "0"));
    }

    /**
     * A fresh, empty staging branch: where the new contents are written while readers of
     * {@code main} still see the old ones.
     */
    static void openStage(Table table) {
        openStage(table, false);
    }

    /** A fresh staging branch at {@code main}: empty, or with main's contents to add to. */
    static void openStage(Table table, boolean keepContents) {
        table.refresh();
        if (table.refs().containsKey(STAGE)) {
            table.manageSnapshots().removeBranch(STAGE).commit();
        }
        Snapshot current = table.currentSnapshot();
        if (current == null) {
            table.manageSnapshots().createBranch(STAGE).commit();
            return;
        }
        table.manageSnapshots().createBranch(STAGE, current.snapshotId()).commit();
        if (keepContents) {
            return;
        }
        table.newDelete()
                .deleteFromRowFilter(Expressions.alwaysTrue())
                .toBranch(STAGE)
                .commit();
    }

    /** Makes the staging branch's contents the table's, in one commit, and removes the branch. */
    static void publishStage(Table table) {
        publishStage(table, Map.of());
    }

    /**
     * The same, with {@code summary} entries on top of the staged output in the same commit (an
     * empty append whose snapshot summary says what the output was computed from).
     */
    static void publishStage(Table table, Map<String, String> summary) {
        table.refresh();
        Transaction transaction = table.newTransaction();
        if (table.refs().containsKey(SnapshotRef.MAIN_BRANCH)) {
            transaction
                    .manageSnapshots()
                    .replaceBranch(SnapshotRef.MAIN_BRANCH, STAGE)
                    .commit();
        } else {
            transaction
                    .manageSnapshots()
                    .createBranch(SnapshotRef.MAIN_BRANCH, table.snapshot(STAGE).snapshotId())
                    .commit();
        }
        if (!summary.isEmpty()) {
            AppendFiles append = transaction.newAppend();
            summary.forEach(append::set);
            append.toBranch(SnapshotRef.MAIN_BRANCH).commit();
        }
        transaction.commitTransaction();
        discardStage(table);
    }

    /** Drops a failed attempt's staging branch; {@code main} was never touched. */
    static void discardStage(Table table) {
        table.refresh();
        if (table.refs().containsKey(STAGE)) {
            table.manageSnapshots().removeBranch(STAGE).commit();
        }
    }
}
