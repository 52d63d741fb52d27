package io.github.flinkdbt.report;

import io.github.flinkdbt.common.AtomicFiles;
import io.github.flinkdbt.common.FlinkDbtException;
import io.github.flinkdbt.testing.TestOutcome;
import io.github.flinkdbt.testing.TestResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Test results in Surefire's XML format ({@code TEST-<suite>.xml}), which CI servers and IDEs read:
 * one suite per kind of test ({@code flink-dbt.<project>.unit}, {@code .data}), one testcase per
 * test, its class name the model it tests.
 */
public final class JUnitReport {

    private JUnitReport() {}

    /** Writes the reports; returns the files written. */
    public static List<Path> write(Path directory, TestOutcome outcome) {
        Map<String, List<TestResult>> suites = new TreeMap<>();
        for (TestResult result : outcome.results()) {
            String suite =
                    "flink-dbt." + outcome.project() + "." + (result.kind().equals("unit") ? "unit" : "data");
            suites.computeIfAbsent(suite, s -> new ArrayList<>()).add(result);
        }
        List<Path> files = new ArrayList<>();
        suites.forEach((suite, results) -> {
            Path file = directory.resolve("TEST-" + suite + ".xml");
            try {
                AtomicFiles.write(file, xml(suite, results, outcome.against()));
            } catch (IOException e) {
                throw new FlinkDbtException(
                        "Cannot write the test report " + file + ": " + e.getMessage()
                                + "\nMake the directory writable.",
                        e);
            }
            files.add(file);
        });
        return files;
    }

    static String xml(String suite, List<TestResult> results, String against) {
        long failures =
                results.stream().filter(r -> r.status().equals(TestResult.FAIL)).count();
        long errors = results.stream()
                .filter(r -> r.status().equals(TestResult.ERROR))
                .count();
        long skipped = results.stream()
                .filter(r -> r.status().equals(TestResult.SKIPPED))
                .count();
        long millis = results.stream().mapToLong(TestResult::millis).sum();
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        xml.append("<testsuite xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"")
                .append(" xsi:noNamespaceSchemaLocation=\"https://maven.apache.org/surefire/maven-surefire-plugin/xsd/")
                .append("surefire-test-report.xsd\" name=\"")
                .append(escape(suite))
                .append("\" time=\"")
                .append(seconds(millis))
                .append("\" tests=\"")
                .append(results.size())
                .append("\" errors=\"")
                .append(errors)
                .append("\" skipped=\"")
                .append(skipped)
                .append("\" failures=\"")
                .append(failures)
                .append("\">\n");
        xml.append("  <properties>\n    <property name=\"flink-dbt.against\" value=\"")
                .append(escape(against))
                .append("\"/>\n  </properties>\n");
        for (TestResult result : results) {
            xml.append("  <testcase name=\"")
                    .append(escape(result.name()))
                    .append("\" classname=\"")
                    .append(escape(suite + "." + result.model()))
                    .append("\" time=\"")
                    .append(seconds(result.millis()))
                    .append('"');
            String message = firstLine(result.message());
            switch (result.status()) {
                case TestResult.FAIL -> problem(xml, "failure", message, result);
                case TestResult.ERROR -> problem(xml, "error", message, result);
                case TestResult.SKIPPED ->
                    xml.append(">\n    <skipped message=\"")
                            .append(escape(message))
                            .append("\"/>\n  </testcase>\n");
                case TestResult.WARN ->
                    xml.append(">\n    <system-out><![CDATA[WARN (severity: warn): ")
                            .append(cdata(result.where() + "\n" + result.message()))
                            .append("]]></system-out>\n  </testcase>\n");
                default -> xml.append("/>\n");
            }
        }
        xml.append("</testsuite>\n");
        return xml.toString();
    }

    /** Closes a testcase with Surefire's {@code <failure>} or {@code <error>}: the first line, then file:line and all. */
    private static void problem(StringBuilder xml, String tag, String message, TestResult result) {
        xml.append(">\n    <")
                .append(tag)
                .append(" message=\"")
                .append(escape(message))
                .append("\" type=\"flink-dbt.")
                .append(result.kind())
                .append("\"><![CDATA[")
                .append(cdata(result.where() + "\n" + result.message()))
                .append("]]></")
                .append(tag)
                .append(">\n  </testcase>\n");
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.3f", millis / 1000.0);
    }

    private static String cdata(String text) {
        return text.replace("]]>", "]]]]><![CDATA[>");
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\n' -> out.append("&#10;");
                default -> out.append(c < 0x20 && c != '\t' ? ' ' : c);
            }
        }
        return out.toString();
    }
}
