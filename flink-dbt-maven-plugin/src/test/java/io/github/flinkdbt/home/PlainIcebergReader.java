package io.github.flinkdbt.home;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;

/**
 * Another engine's view of the tables a run wrote: Iceberg's own Java reader (iceberg-core,
 * iceberg-data, iceberg-parquet) in a JVM of its own with no Flink class on its classpath, opening
 * the catalog from its properties alone.
 */
public final class PlainIcebergReader {

    /**
     * Reads each table in a new JVM: its row count and the sum of one numeric column.
     *
     * @param name the catalog's name (a JDBC catalog keeps its tables under it: the project's catalog name)
     * @param tables {@code database.table:column}
     * @return per table, {@code rows=<n> sum=<s>}
     */
    public static Map<String, String> read(String name, Map<String, String> catalog, List<String> tables)
            throws IOException, InterruptedException {
        Path lib = Path.of(System.getProperty("test.tools.lib", "target/test-tools-lib"));
        Path testClasses = Path.of(PlainIcebergReader.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .getPath());
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-cp",
                testClasses + File.pathSeparator + lib.resolve("*"),
                PlainIcebergReader.class.getName(),
                name));
        catalog.forEach((key, value) -> command.add(key + "=" + value));
        command.add("--");
        command.addAll(tables);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        Map<String, String> read = new HashMap<>();
        List<String> output = new ArrayList<>();
        try (BufferedReader lines =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                output.add(line);
                if (line.startsWith("TABLE ")) {
                    String[] parts = line.substring(6).split(" ", 2);
                    read.put(parts[0], parts[1]);
                }
            }
        }
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException("The Iceberg reader failed:\n" + String.join("\n", output));
        }
        return read;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> properties = new HashMap<>();
        int i = 1;
        for (; !args[i].equals("--"); i++) {
            String[] pair = args[i].split("=", 2);
            properties.put(pair[0], pair[1]);
        }
        try {
            Class.forName("org.apache.flink.table.data.RowData");
            throw new IllegalStateException("Flink is on the reader's classpath");
        } catch (ClassNotFoundException expected) {
            // no Flink: a reader as any other engine's
        }
        Catalog catalog = CatalogUtil.buildIcebergCatalog(args[0], properties, new Configuration());
        for (i++; i < args.length; i++) {
            String[] spec = args[i].split(":", 2);
            Table table = catalog.loadTable(TableIdentifier.parse(spec[0]));
            long rows = 0;
            BigDecimal sum = BigDecimal.ZERO;
            try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
                for (Record record : records) {
                    rows++;
                    sum = sum.add(new BigDecimal(String.valueOf(record.getField(spec[1]))));
                }
            }
            System.out.println("TABLE " + spec[0] + " rows=" + rows + " sum="
                    + sum.stripTrailingZeros().toPlainString());
        }
    }
}
