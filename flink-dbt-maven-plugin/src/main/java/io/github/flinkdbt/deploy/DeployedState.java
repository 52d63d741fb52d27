package io.github.flinkdbt.deploy;

import io.github.flinkdbt.home.ledger.Ledger;
import io.github.flinkdbt.home.ledger.LedgerRecord;
import io.github.flinkdbt.home.ledger.LedgerRecord.Kind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.api.common.JobID;

/**
 * What the ledger says is deployed: per streaming model its job, plan and savepoint as the last
 * transition that ended left them, the transitions that did not end (a deployer died), the
 * deployments that never finished, every committed transition and the savepoints disposed of.
 * Folded from the records in order, so it is what every deployer that reads the same ledger sees.
 */
record DeployedState(
        Map<String, DeployedModel> models,
        List<Interrupted> interrupted,
        List<String> unfinished,
        long deployments,
        LedgerRecord lastFinished,
        List<Commit> commits,
        Set<String> disposed) {

    /**
     * A model as its last finished transition left it.
     *
     * @param job the job that runs its plan (or ran it, if it vanished since)
     * @param plan the checksum of that plan
     * @param savepoint the savepoint it restored, or its last one; null for a start without state
     * @param deployment the deployment that left it so
     */
    record DeployedModel(String name, JobID job, String plan, String savepoint, String deployment) {}

    /** A model's transition in a deployment that has no end in the ledger. */
    record Interrupted(String deployment, String model, Map<String, String> facts) {}

    /** A model's transition that committed: everything its journal recorded. */
    record Commit(String deployment, String model, Map<String, String> facts) {}

    /** The commits of the last deployment that committed anything: what a rollback takes back. */
    List<Commit> lastRelease() {
        if (commits.isEmpty()) {
            return List.of();
        }
        String last = commits.get(commits.size() - 1).deployment();
        return commits.stream().filter(c -> c.deployment().equals(last)).toList();
    }

    static DeployedState read(Ledger ledger) {
        return fold(ledger.read().records());
    }

    static DeployedState fold(List<LedgerRecord> records) {
        Map<String, DeployedModel> models = new TreeMap<>();
        Map<String, Map<String, String>> open = new LinkedHashMap<>();
        Map<String, Boolean> deployments = new LinkedHashMap<>();
        LedgerRecord lastFinished = null;
        long started = 0;
        List<Commit> commits = new ArrayList<>();
        Set<String> disposed = new HashSet<>();
        for (LedgerRecord record : records) {
            switch (record.kind()) {
                case DEPLOYMENT_STARTED -> {
                    deployments.put(record.deployment(), false);
                    started++;
                }
                case DEPLOYMENT_FINISHED -> {
                    deployments.put(record.deployment(), true);
                    lastFinished = record;
                }
                case SAVEPOINT_DISPOSED -> disposed.add(record.facts().get("savepoint"));
                default -> {
                    if (record.model() == null) {
                        continue;
                    }
                    String key = record.deployment() + "\u0000" + record.model();
                    Map<String, String> facts = open.computeIfAbsent(key, k -> new HashMap<>());
                    facts.putAll(record.facts());
                    if (record.kind() == Kind.COMMITTED) {
                        open.remove(key);
                        commits.add(new Commit(record.deployment(), record.model(), Map.copyOf(facts)));
                        if (facts.containsKey("drop")) {
                            models.remove(record.model());
                        } else {
                            models.put(record.model(), deployed(record, facts, facts.get("plan")));
                        }
                    } else if (record.kind() == Kind.ROLLED_BACK) {
                        open.remove(key);
                        models.put(record.model(), deployed(record, facts, facts.get("previousPlan")));
                    } else if (record.kind() == Kind.FAILED) {
                        open.remove(key);
                    }
                }
            }
        }
        List<Interrupted> interrupted = new ArrayList<>();
        open.forEach((key, facts) -> {
            String[] parts = key.split("\u0000", 2);
            interrupted.add(new Interrupted(parts[0], parts[1], Map.copyOf(facts)));
        });
        List<String> unfinished = deployments.entrySet().stream()
                .filter(e -> !e.getValue())
                .map(Map.Entry::getKey)
                .toList();
        return new DeployedState(models, interrupted, unfinished, started, lastFinished, commits, disposed);
    }

    private static DeployedModel deployed(LedgerRecord record, Map<String, String> facts, String plan) {
        // a rollback's new job restored an older savepoint than the one its stop took
        String restored = record.kind() == Kind.COMMITTED && facts.containsKey("restoreFrom")
                ? facts.get("restoreFrom")
                : facts.get("savepoint");
        return new DeployedModel(
                record.model(), JobID.fromHexString(facts.get("job")), plan, restored, record.deployment());
    }
}
