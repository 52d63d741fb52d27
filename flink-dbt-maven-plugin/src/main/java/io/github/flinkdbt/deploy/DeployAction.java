package io.github.flinkdbt.deploy;

/** What a deployment does to one streaming model, as {@code plan} prints it. */
public enum DeployAction {
    /** No job and no state of it anywhere: its plan starts without state. */
    CREATE("+"),
    /** Its plan changed: stop with a savepoint, start the new plan from it. */
    UPGRADE("~"),
    /** Its plan changed, but it keeps no state: stop with a savepoint all the same, start the new plan. */
    RESTART("~"),
    /** Same plan, its job runs: nothing to do. */
    NOOP("="),
    /** Its job vanished (failed, cancelled by hand): start from its latest savepoint or retained checkpoint. */
    RESTORE("^"),
    /** Its state cannot restore into the new plan and its policy allows losing it: start without state. */
    START_EMPTY("!"),
    /** Gone from the project: stop its job with a final savepoint, which is kept. */
    DROP("-");

    private final String symbol;

    DeployAction(String symbol) {
        this.symbol = symbol;
    }

    public String symbol() {
        return symbol;
    }
}
