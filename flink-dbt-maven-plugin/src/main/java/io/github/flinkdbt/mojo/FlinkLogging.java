package io.github.flinkdbt.mojo;

/**
 * Keeps Flink, Hadoop and Iceberg from flooding the build log: their INFO chatter (and Hadoop's
 * "no configuration" warnings, printed per table) is hidden unless Maven runs with -X. Works with
 * Maven's slf4j-simple based logger, which reads these properties when a logger is created.
 */
final class FlinkLogging {

    private static final String[][] LEVELS = {
        {"org.apache.flink", "warn"},
        {"org.apache.flink.runtime.util.HadoopUtils", "error"},
        {"org.apache.flink.api.java.typeutils.TypeExtractor", "error"},
        {"org.apache.hadoop", "error"},
        {"org.apache.iceberg", "warn"},
        {"org.apache.calcite", "warn"},
        {"org.apache.kafka", "warn"},
        {"com.hubspot.jinjava", "warn"},
    };

    private FlinkLogging() {}

    static void quiet(boolean debug) {
        if (debug) {
            return;
        }
        for (String[] level : LEVELS) {
            String key = "org.slf4j.simpleLogger.log." + level[0];
            if (System.getProperty(key) == null) {
                System.setProperty(key, level[1]);
            }
        }
    }
}
