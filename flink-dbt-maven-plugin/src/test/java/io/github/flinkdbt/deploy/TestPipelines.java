package io.github.flinkdbt.deploy;

import io.github.flinkdbt.cluster.FlinkCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.flink.api.dag.Pipeline;
import org.apache.flink.api.dag.Transformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.PlanReference;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.internal.TableEnvironmentImpl;
import org.apache.flink.table.delegation.Planner;

/** Streaming SQL jobs over a slow random source, as deploy submits them: compiled plans translated into pipelines. */
final class TestPipelines {

    static final String COUNTER = """
            CREATE TEMPORARY TABLE ticks (id BIGINT) WITH (
              'connector'='datagen', 'rows-per-second'='50',
              'fields.id.kind'='random', 'fields.id.min'='1', 'fields.id.max'='100');
            CREATE TEMPORARY TABLE counts (k INT, n BIGINT, PRIMARY KEY (k) NOT ENFORCED) WITH ('connector'='blackhole');
            """;

    private TestPipelines() {}

    /**
     * Cancels every job of the cluster whose name starts with one of {@code prefixes} and waits
     * until each has ended: the shared cluster's slots go back to the tests after these.
     */
    static void cancelAll(FlinkCluster cluster, String... prefixes) throws InterruptedException {
        for (String prefix : prefixes) {
            for (FlinkCluster.JobInfo job : cluster.jobs(prefix)) {
                cluster.cancel(job.id());
            }
        }
        long deadline = System.nanoTime() + 60_000_000_000L;
        for (String prefix : prefixes) {
            for (FlinkCluster.JobInfo job : cluster.jobs(prefix)) {
                while (!cluster.job(job.id()).status().isGloballyTerminalState() && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
            }
        }
    }

    /** A streaming SQL job as deploy submits one: a compiled plan translated into a pipeline. */
    static Pipeline pipeline(String name, String insert) {
        return translated(name, plan(insert));
    }

    static String plan(String insert) {
        return environment("plan").compilePlanSql(insert).asJsonString();
    }

    /** A compiled plan translated (again: the next generation of a deployed plan keeps its UIDs). */
    static Pipeline translated(String name, String planJson) {
        TableEnvironmentImpl environment = environment(name);
        Planner planner = environment.getPlanner();
        try {
            List<Transformation<?>> transformations =
                    planner.translatePlan(planner.loadPlan(PlanReference.fromJsonString(planJson)));
            return environment.generatePipelineFromQueryOperation(null, transformations);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static TableEnvironmentImpl environment(String name) {
        Configuration config = new Configuration();
        config.setString("pipeline.name", name);
        config.setString("execution.checkpointing.interval", "1 s");
        config.setString("restart-strategy.type", "fixed-delay");
        config.setString("restart-strategy.fixed-delay.attempts", "1");
        config.setString("restart-strategy.fixed-delay.delay", "500 ms");
        config.setString("table.exec.uid.generation", "ALWAYS");
        TableEnvironmentImpl environment =
                (TableEnvironmentImpl) TableEnvironment.create(EnvironmentSettings.newInstance()
                        .inStreamingMode()
                        .withConfiguration(config)
                        .build());
        for (String ddl : COUNTER.split(";")) {
            if (!ddl.isBlank()) {
                environment.executeSql(ddl);
            }
        }
        return environment;
    }
}
