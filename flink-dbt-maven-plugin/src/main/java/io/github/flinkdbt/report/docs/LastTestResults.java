package io.github.flinkdbt.report.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The last result of each test, from the JUnit XML reports {@code snapshot-test} wrote. */
public final class LastTestResults {

    private LastTestResults() {}

    /** By test name; empty when no report exists. A report that cannot be read is skipped. */
    public static Map<String, DocsInput.TestStatus> read(Path reportsDirectory, String project) {
        Map<String, DocsInput.TestStatus> results = new TreeMap<>();
        if (!Files.isDirectory(reportsDirectory)) {
            return results;
        }
        String prefix = "TEST-flink-dbt." + project + ".";
        try (Stream<Path> files = Files.list(reportsDirectory)) {
            for (Path file : (Iterable<Path>) files.sorted()::iterator) {
                if (file.getFileName().toString().startsWith(prefix)) {
                    readInto(file, results);
                }
            }
        } catch (IOException e) {
            return results;
        }
        return results;
    }

    private static void readInto(Path file, Map<String, DocsInput.TestStatus> results) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            NodeList cases = factory.newDocumentBuilder().parse(file.toFile()).getElementsByTagName("testcase");
            for (int i = 0; i < cases.getLength(); i++) {
                Element testcase = (Element) cases.item(i);
                results.put(testcase.getAttribute("name"), status(testcase));
            }
        } catch (Exception e) {
            // a report being written or damaged: the tests show as not run
        }
    }

    private static DocsInput.TestStatus status(Element testcase) {
        for (String[] kind : new String[][] {{"failure", "fail"}, {"error", "error"}, {"skipped", "skipped"}}) {
            NodeList found = testcase.getElementsByTagName(kind[0]);
            if (found.getLength() > 0) {
                Element problem = (Element) found.item(0);
                String text = problem.getTextContent();
                return new DocsInput.TestStatus(
                        kind[1], text == null || text.isBlank() ? problem.getAttribute("message") : text.strip());
            }
        }
        NodeList out = testcase.getElementsByTagName("system-out");
        if (out.getLength() > 0 && out.item(0).getTextContent().startsWith("WARN")) {
            return new DocsInput.TestStatus("warn", out.item(0).getTextContent().strip());
        }
        return new DocsInput.TestStatus("pass", "");
    }
}
