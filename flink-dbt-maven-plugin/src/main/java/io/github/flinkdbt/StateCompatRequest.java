package io.github.flinkdbt;

/**
 * What {@code check-state-compat} needs beyond a build: the baseline is {@link BuildRequest#baseline()}.
 *
 * @param savepoint {@code model=path,...}, a savepoint, or a directory of them; blank for the
 *     baseline's own (a home's last savepoints) or none
 */
public record StateCompatRequest(BuildRequest build, String savepoint) {}
