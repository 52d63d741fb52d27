package io.github.flinkdbt.state;

import java.util.Locale;

/**
 * One stateful operator of a model and what a restore does with it.
 *
 * @param uid the operator's UID prefix ({@code <model>/<role>}), or the UID a savepoint holds
 * @param type the plan node type ({@code group-aggregate}); empty for operators only a savepoint knows
 * @param outcome {@code restores}, {@code new} (starts empty) or {@code dropped}
 * @param stateBytes the state the savepoint holds for it; -1 without a savepoint
 * @param note why, when it is not plain
 */
public record OperatorCheck(String uid, String type, String outcome, long stateBytes, String note) {

    public static final String RESTORES = "restores";
    public static final String NEW = "new";
    public static final String DROPPED = "dropped";

    /** How a check names the operators of a plan node: its UID prefix without the trailing slash. */
    public static String uidOf(String uidPrefix) {
        return uidPrefix.endsWith("/") ? uidPrefix.substring(0, uidPrefix.length() - 1) : uidPrefix;
    }

    OperatorCheck withState(long bytes) {
        return new OperatorCheck(uid, type, outcome, bytes, note);
    }

    /** 1234567 → {@code 1.2 MiB}; empty for unknown (-1). */
    public static String size(long bytes) {
        if (bytes < 0) {
            return "";
        }
        if (bytes < 1024) {
            return bytes + " B";
        }
        return bytes < 1024 * 1024
                ? String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0)
                : String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
    }
}
