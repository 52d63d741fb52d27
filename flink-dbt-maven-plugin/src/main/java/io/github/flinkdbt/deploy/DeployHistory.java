package io.github.flinkdbt.deploy;

import io.github.flinkdbt.api.Hints;
import io.github.flinkdbt.api.Settings;
import io.github.flinkdbt.cluster.FlinkCluster;
import io.github.flinkdbt.common.BuildLog;
import io.github.flinkdbt.common.FlinkDbtException;
import io.github.flinkdbt.common.FlinkFiles;
import io.github.flinkdbt.deploy.DeployedState.DeployedModel;
import io.github.flinkdbt.home.ledger.DeployLock;
import io.github.flinkdbt.home.ledger.Ledger;
import io.github.flinkdbt.home.ledger.LedgerRecord;
import io.github.flinkdbt.home.ledger.LedgerRecord.Kind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.flink.core.fs.Path;

/**
 * What the ledger knows, for people: {@code status} (each model's deployed job, plan and savepoint,
 * beside what the cluster says of the job now; the lock; a deployment that did not end) and
 * {@code history} (every deployment, like Flyway's {@code info}). {@code force-unlock} opens a lock
 * whose holder is known to be dead.
 */
public final class DeployHistory {

    private DeployHistory() {}

    /** Prints the status; the cluster is asked about each job when {@code settings} name one. */
    public static List<String> status(Settings settings, String project, BuildLog log, Hints hints) {
        Ledger ledger = Ledger.open(Deployer.ledgerDirectory(settings, project));
        DeployedState state = DeployedState.read(ledger);
        List<String> lines = new ArrayList<>();
        lines.add("flink-dbt: " + project + ": ledger " + ledger.directory() + ", "
                + (state.lastFinished() == null
                        ? "nothing deployed yet"
                        : "last deployment #" + state.lastFinished().deployment() + " at "
                                + state.lastFinished().at()));
        Map<String, String> live = live(settings, state, hints, lines);
        for (DeployedModel model : state.models().values()) {
            lines.add(String.format(
                    Locale.ROOT,
                    "  %-28s %-10s job %s  plan %s  since #%s%s",
                    model.name(),
                    live.getOrDefault(model.name(), "?"),
                    model.job(),
                    model.plan() == null
                            ? "?"
                            : model.plan()
                                    .substring(0, Math.min(12, model.plan().length())),
                    model.deployment(),
                    model.savepoint() == null ? "" : "  savepoint " + model.savepoint()));
        }
        state.interrupted()
                .forEach(open -> lines.add("  " + open.model() + ": deployment #" + open.deployment()
                        + " did not end (last step of " + open.facts().getOrDefault("action", "?")
                        + "); the next deploy finishes it"));
        ledger.lock().holder().ifPresent(holder -> {
            if (holder.releasedBy() == null && Instant.now().isBefore(Instant.parse(holder.expires()))) {
                lines.add("  locked by " + holder.owner() + " since " + holder.since() + " (lease until "
                        + holder.expires() + ")");
            }
        });
        lines.forEach(log::info);
        return lines;
    }

    /** What the cluster says of each deployed job: RUNNING, FAILED, … or GONE; nothing when there is no cluster. */
    private static Map<String, String> live(Settings settings, DeployedState state, Hints hints, List<String> lines) {
        Map<String, String> live = new TreeMap<>();
        if (settings.cluster() == null || state.models().isEmpty()) {
            return live;
        }
        try (FlinkCluster cluster = FlinkCluster.open(settings.cluster(), settings.access(), 0, 0, hints)) {
            for (DeployedModel model : state.models().values()) {
                try {
                    live.put(model.name(), cluster.job(model.job()).status().name());
                } catch (FlinkDbtException unknown) {
                    live.put(model.name(), "GONE");
                }
            }
        } catch (FlinkDbtException unreachable) {
            lines.add(
                    "  (the cluster at " + settings.cluster() + " does not answer: " + unreachable.getMessage() + ")");
        }
        return live;
    }

    /** Prints every deployment, oldest first: when, who, from which commit, what it did, how it ended. */
    public static List<String> history(Settings settings, String project, BuildLog log) {
        Ledger ledger = Ledger.open(Deployer.ledgerDirectory(settings, project));
        Map<String, List<LedgerRecord>> deployments = new LinkedHashMap<>();
        for (LedgerRecord record : ledger.read().records()) {
            deployments
                    .computeIfAbsent(record.deployment(), d -> new ArrayList<>())
                    .add(record);
        }
        List<String> lines = new ArrayList<>();
        lines.add("flink-dbt: " + project + ": " + deployments.size() + " deployment(s) in " + ledger.directory());
        deployments.forEach((deployment, records) -> {
            LedgerRecord started = records.get(0);
            LedgerRecord finished = records.stream()
                    .filter(r -> r.kind() == Kind.DEPLOYMENT_FINISHED)
                    .findFirst()
                    .orElse(null);
            String who = started.facts().getOrDefault("who", "?");
            String commit = (started.facts().containsKey("gitCommit")
                            ? " @" + shortCommit(started.facts().get("gitCommit"))
                            : "")
                    + (started.facts().containsKey("bundle")
                            ? "  bundle " + started.facts().get("bundle")
                            : "")
                    + (started.facts().containsKey("rollbackOf")
                            ? "  rollback of #" + started.facts().get("rollbackOf")
                            : "");
            lines.add(String.format(
                    Locale.ROOT,
                    "  #%-4s %s  %-10s %s%s",
                    deployment,
                    started.at(),
                    finished == null ? "UNFINISHED" : finished.facts().getOrDefault("outcome", "?"),
                    who,
                    commit));
            Map<String, String> actions = new TreeMap<>();
            Map<String, String> ends = new TreeMap<>();
            for (LedgerRecord record : records) {
                if (record.model() == null) {
                    continue;
                }
                switch (record.kind()) {
                    case INTENT -> actions.put(record.model(), record.facts().getOrDefault("action", "?"));
                    case COMMITTED -> ends.put(record.model(), "committed");
                    case ROLLED_BACK -> ends.put(record.model(), "rolled back");
                    case FAILED -> ends.put(record.model(), "failed");
                    default -> {}
                }
            }
            actions.replaceAll((model, action) -> action + " " + ends.getOrDefault(model, "unfinished"));
            String models = actions.entrySet().stream()
                    .map(e -> e.getKey() + " " + e.getValue())
                    .collect(Collectors.joining(", "));
            if (!models.isEmpty()) {
                lines.add("        " + models);
            }
        });
        lines.forEach(log::info);
        return lines;
    }

    /** Each model's deployments, oldest first; empty when nothing was ever deployed (no ledger is created). */
    public static Map<String, List<ModelDeployment>> byModel(Settings settings, String project) {
        Path directory = Deployer.ledgerDirectory(settings, project);
        Map<String, List<ModelDeployment>> models = new TreeMap<>();
        if (!FlinkFiles.exists(directory)) {
            return models;
        }
        Map<String, String> who = new TreeMap<>();
        Map<String, Map<String, String>> facts = new LinkedHashMap<>();
        for (LedgerRecord record : Ledger.open(directory).read().records()) {
            if (record.kind() == Kind.DEPLOYMENT_STARTED) {
                who.put(record.deployment(), record.facts().getOrDefault("who", "?"));
            }
            if (record.model() == null) {
                continue;
            }
            Map<String, String> model =
                    facts.computeIfAbsent(record.deployment() + "\0" + record.model(), k -> new TreeMap<>());
            model.putIfAbsent("at", record.at());
            switch (record.kind()) {
                case INTENT -> model.putIfAbsent("action", record.facts().getOrDefault("action", "?"));
                case SAVEPOINT_TAKEN -> model.put("savepoint", record.facts().get("savepoint"));
                case JOB_SUBMITTING -> model.put("job", record.facts().get("job"));
                case COMMITTED -> model.put("outcome", "committed");
                case ROLLED_BACK -> model.put("outcome", "rolled back");
                case FAILED -> model.put("outcome", "failed");
                default -> {}
            }
            if (record.kind() == Kind.INTENT && record.facts().containsKey("savepoint")) {
                model.putIfAbsent("savepoint", record.facts().get("savepoint"));
            }
        }
        facts.forEach((key, model) -> {
            String deployment = key.substring(0, key.indexOf('\0'));
            models.computeIfAbsent(key.substring(key.indexOf('\0') + 1), m -> new ArrayList<>())
                    .add(new ModelDeployment(
                            deployment,
                            model.get("at"),
                            who.getOrDefault(deployment, "?"),
                            model.getOrDefault("action", "?"),
                            model.getOrDefault("outcome", "unfinished"),
                            model.get("job"),
                            model.get("savepoint")));
        });
        return models;
    }

    private static String shortCommit(String commit) {
        String dirty = commit.endsWith("-dirty") ? "-dirty" : "";
        String sha = commit.substring(0, commit.length() - dirty.length());
        return sha.substring(0, Math.min(12, sha.length())) + dirty;
    }

    /** Opens the lock whatever holds it (its holder must be dead); returns who held it. */
    public static DeployLock.Holder forceUnlock(Settings settings, String project, BuildLog log) {
        Ledger ledger = Ledger.open(Deployer.ledgerDirectory(settings, project));
        DeployLock.Holder previous = ledger.lock().forceUnlock(System.getProperty("user.name") + " (force-unlock)");
        log.info("flink-dbt: opened the deployment lock of " + project + ", held by " + previous.owner() + " since "
                + previous.since() + ". A deploy that still runs under it is refused at its next step.");
        return previous;
    }
}
