package io.github.flinkdbt.deploy;

/**
 * One deployment of one model, as the ledger recorded it.
 *
 * @param action what the deployment did with it (e.g. {@code upgrade}, {@code start}, {@code reprocess})
 * @param outcome {@code committed}, {@code rolled back}, {@code failed} or {@code unfinished}
 * @param job the job it started (null when none)
 * @param savepoint the savepoint it took or restored from (null when none)
 */
public record ModelDeployment(
        String deployment, String at, String who, String action, String outcome, String job, String savepoint) {}
