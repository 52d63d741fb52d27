package io.github.flinkdbt.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.flinkdbt.common.BuildLog;
import io.github.flinkdbt.common.Json;
import io.github.flinkdbt.home.PersistentCatalog;
import io.github.flinkdbt.project.Materialization;
import io.github.flinkdbt.project.Model;
import io.github.flinkdbt.project.Project;
import io.github.flinkdbt.project.Relation;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.Table;
import org.apache.iceberg.util.SnapshotUtil;

/**
 * Incremental models over Iceberg inputs, by snapshot range: each run reads only the snapshots
 * its inputs committed since the last successful run, and records the snapshots it read in the
 * summary of the snapshot that publishes its output, in the one Iceberg transaction that moves
 * {@code main}. A run that dies before that commit leaves both the output and the recorded
 * positions as they were, so the next run reads the same range again: nothing is skipped and
 * nothing counted twice.
 *
 * <p>Used for incremental models that read only Iceberg tables of the project (models, seeds)
 * and do not filter with {@code is_incremental()} themselves.
 */
final class SnapshotIncrementals {

    /** The snapshot summary entry holding {@code {"<database>.<table>": <last snapshot read>}}. */
    static final String POSITIONS = "flink-dbt.input-snapshots";

    private SnapshotIncrementals() {}

    /** The model's inputs when all are Iceberg tables of the project, else null. */
    static Map<Relation, Table> inputs(Model model, Project project, PersistentCatalog catalog) {
        if (!model.sources().isEmpty() || model.refs().isEmpty() || filtersItself(model)) {
            return null;
        }
        Map<Relation, Table> inputs = new LinkedHashMap<>();
        for (String ref : model.refs()) {
            Model input = project.model(ref);
            if (input == null
                    || !input.config().writesIceberg()
                    || !input.materialization().isMaterialized()
                    || input.materialization() == Materialization.VIEW) {
                return null;
            }
            inputs.put(input.relation(), IcebergTables.load(catalog, input.relation()));
        }
        return inputs;
    }

    private static boolean filtersItself(Model model) {
        return model.incrementalSql() != null
                && !model.incrementalSql().text().equals(model.sql().text());
    }

    /** What one run reads: per input the snapshot range, and whether the output must be rebuilt. */
    record Plan(String sql, Map<String, Long> positions, boolean rebuild, String reason, boolean nothingNew) {}

    /**
     * The query over the new snapshots of each input. The output is rebuilt (every input read in
     * full, at its current snapshot) on the first run, on full refresh, and when an input was
     * rewritten since the recorded snapshot (a replaced table is not a sequence of appends).
     */
    static Plan plan(Model model, Table target, Map<Relation, Table> inputs, boolean fullRefresh) {
        Map<String, Long> recorded = fullRefresh || target == null ? Map.of() : positions(target);
        Map<String, Long> current = new TreeMap<>();
        boolean rebuild = recorded.isEmpty();
        String reason = fullRefresh ? "full refresh" : recorded.isEmpty() ? "first run" : null;
        for (Map.Entry<Relation, Table> input : inputs.entrySet()) {
            String key = key(input.getKey());
            Table table = input.getValue();
            table.refresh();
            Snapshot head = table.snapshot(SnapshotRef.MAIN_BRANCH);
            current.put(key, head == null ? -1L : head.snapshotId());
            Long from = recorded.get(key);
            if (!rebuild
                    && head != null
                    && from != null
                    && from != head.snapshotId()
                    && (!SnapshotUtil.isAncestorOf(table, head.snapshotId(), from)
                            || !appendsOnly(table, head, from))) {
                rebuild = true;
                reason = input.getKey().display() + " was rewritten since the last run";
            }
            if (!rebuild && from == null) {
                rebuild = true;
                reason = "new input " + input.getKey().display();
            }
        }
        String sql = model.sql().text();
        for (Map.Entry<Relation, Table> input : inputs.entrySet()) {
            String key = key(input.getKey());
            long head = current.get(key);
            String options;
            if (head < 0) {
                options = null; // an empty input: nothing to hint
            } else if (rebuild) {
                options = "'snapshot-id'='" + head + "'";
            } else {
                options = "'start-snapshot-id'='" + recorded.get(key) + "', 'end-snapshot-id'='" + head + "'";
            }
            if (options != null) {
                sql = sql.replace(
                        input.getKey().quoted(), input.getKey().quoted() + " /*+ OPTIONS(" + options + ") */");
            }
        }
        return new Plan(sql, current, rebuild, reason, !rebuild && current.equals(recorded));
    }

    private static boolean appendsOnly(Table table, Snapshot head, long from) {
        for (Snapshot s = head;
                s != null && s.snapshotId() != from;
                s = s.parentId() == null ? null : table.snapshot(s.parentId())) {
            if (!"append".equals(s.operation())) {
                return false;
            }
        }
        return true;
    }

    /** Publishes the staged output and the positions read, in one commit. */
    static void publish(Table target, Map<String, Long> positions) {
        ObjectNode json = Json.MAPPER.createObjectNode();
        positions.forEach(json::put);
        IcebergTables.publishStage(target, Map.of(POSITIONS, Json.write(json).strip()));
    }

    /** The positions of the last published run: the newest snapshot of main that has them. */
    static Map<String, Long> positions(Table target) {
        target.refresh();
        String value = null;
        for (Snapshot s = target.snapshot(SnapshotRef.MAIN_BRANCH);
                s != null && value == null;
                s = s.parentId() == null ? null : target.snapshot(s.parentId())) {
            value = s.summary().get(POSITIONS);
        }
        Map<String, Long> positions = new TreeMap<>();
        if (value != null) {
            JsonNode json = Json.read(value);
            json.fields()
                    .forEachRemaining(
                            e -> positions.put(e.getKey(), e.getValue().asLong()));
        }
        return positions;
    }

    static void log(BuildLog log, Model model, Plan plan) {
        if (plan.rebuild()) {
            log.debug("flink-dbt: " + model.name() + ": rebuilt from all input snapshots (" + plan.reason() + ")");
        } else {
            log.debug("flink-dbt: " + model.name() + ": reading the input snapshots after the last run's, up to "
                    + plan.positions());
        }
    }

    private static String key(Relation relation) {
        return relation.database() + "." + relation.name();
    }
}
