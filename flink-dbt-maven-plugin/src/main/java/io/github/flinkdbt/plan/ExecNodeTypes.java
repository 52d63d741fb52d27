package io.github.flinkdbt.plan;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a compiled plan's node types mean for state. Not every stateful node lists its state in
 * the plan (window aggregates, interval and temporal joins, over aggregates, MATCH_RECOGNIZE and
 * temporal sort do not), so statefulness is decided by type.
 */
public final class ExecNodeTypes {

    private static final Pattern TYPE = Pattern.compile("^(?:stream|batch)-exec-(.+)_(\\d+)$");

    /** Node types whose operators keep state that a savepoint must carry over. */
    private static final Set<String> STATEFUL = Set.of(
            "table-source-scan",
            "sink",
            "changelog-normalize",
            "deduplicate",
            "group-aggregate",
            "global-group-aggregate",
            "incremental-group-aggregate",
            "group-window-aggregate",
            "window-aggregate",
            "global-window-aggregate",
            "join",
            "interval-join",
            "temporal-join",
            "window-join",
            "multi-join",
            "limit",
            "rank",
            "sort-limit",
            "sort",
            "window-rank",
            "window-deduplicate",
            "over-aggregate",
            "match",
            "temporal-sort",
            "process-table-function",
            "python-group-aggregate",
            "python-group-window-aggregate",
            "python-over-aggregate");

    private ExecNodeTypes() {}

    /** {@code stream-exec-group-aggregate_1} → {@code group-aggregate}. */
    public static String name(String type) {
        Matcher m = TYPE.matcher(type);
        return m.matches() ? m.group(1) : type;
    }

    /** {@code stream-exec-group-aggregate_1} → 1. */
    public static int version(String type) {
        Matcher m = TYPE.matcher(type);
        return m.matches() ? Integer.parseInt(m.group(2)) : 0;
    }

    public static boolean isStateful(String type) {
        return STATEFUL.contains(name(type));
    }
}
