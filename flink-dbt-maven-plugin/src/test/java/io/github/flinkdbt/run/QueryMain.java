package io.github.flinkdbt.run;

import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

/**
 * A fresh JVM that knows nothing of a run but the home directory: it opens Flink's file catalog
 * store there and queries. Arguments: the catalog store path, then SQL queries; prints each row.
 */
public final class QueryMain {

    private QueryMain() {}

    public static void main(String[] args) throws Exception {
        TableEnvironment env = TableEnvironment.create(EnvironmentSettings.newInstance().inBatchMode()
                .withConfiguration(org.apache.flink.configuration.Configuration.fromMap(java.util.Map.of(
                        "table.catalog-store.kind", "file",
                        "table.catalog-store.file.path", args[0],
                        "parallelism.default", "1")))
                .build());
        for (int i = 1; i < args.length; i++) {
            try (CloseableIterator<Row> rows = env.executeSql(args[i]).collect()) {
                while (rows.hasNext()) {
                    System.out.println("ROW " + rows.next());
                }
            }
        }
        System.exit(0);
    }
}
