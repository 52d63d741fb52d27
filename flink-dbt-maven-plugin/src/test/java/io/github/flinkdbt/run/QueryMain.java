package io.github.flinkdbt.run;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

/**
 * A JVM apart from the one that ran the models, which knows nothing of a run but the home
 * directory: for each request it opens Flink's file catalog store there in a new TableEnvironment
 * and queries. Requests come on stdin, one a line: the catalog store path, then SQL queries, tab
 * separated; it answers each row as {@code ROW ...}, a failure as {@code ERROR ...}, then
 * {@code DONE}. It ends when its stdin closes.
 */
public final class QueryMain {

    private QueryMain() {}

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String request = in.readLine(); request != null; request = in.readLine()) {
            String[] parts = request.split("\t");
            try {
                TableEnvironment env = TableEnvironment.create(EnvironmentSettings.newInstance()
                        .inBatchMode()
                        .withConfiguration(Configuration.fromMap(Map.of(
                                "table.catalog-store.kind", "file",
                                "table.catalog-store.file.path", parts[0],
                                "parallelism.default", "1")))
                        .build());
                for (int i = 1; i < parts.length; i++) {
                    try (CloseableIterator<Row> rows = env.executeSql(parts[i]).collect()) {
                        while (rows.hasNext()) {
                            out.println("ROW " + rows.next());
                        }
                    }
                }
            } catch (Exception e) {
                out.println("ERROR " + String.valueOf(e).replace('\n', ' '));
            }
            out.println("DONE");
        }
        System.exit(0);
    }
}
