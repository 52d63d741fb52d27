package io.github.flinkdbt.state;

/** What happens to a streaming model's state when its new plan replaces the baseline's. */
public enum Verdict {
    /** Same plan: everything restores as it was. */
    UNCHANGED,
    /** Only stateless operators changed: all state restores. */
    STATELESS_CHANGE,
    /** All state restores, but some was computed under logic that changed (forward-only), or is new. */
    STATE_COMPATIBLE,
    /** Some state cannot be restored into the new plan. */
    STATE_INCOMPATIBLE,
    /** Not in the baseline: starts without state. */
    NEW,
    /** Only in the baseline: its state will be dropped. */
    REMOVED
}
