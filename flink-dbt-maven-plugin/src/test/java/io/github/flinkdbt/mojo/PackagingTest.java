package io.github.flinkdbt.mojo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/** The flink-dbt packaging and the m2e metadata the plugin ships. */
class PackagingTest {

    private static Document xml(String resource) throws Exception {
        try (InputStream in = PackagingTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in);
        }
    }

    @Test
    void modelsArePlannedInTheCompilePhaseAfterJavac() throws Exception {
        Document components = xml("META-INF/plexus/components.xml");
        String compile = components.getElementsByTagName("compile").item(0).getTextContent();
        String version = System.getProperty("project.version");
        assertThat(compile)
                .isEqualTo("org.apache.maven.plugins:maven-compiler-plugin:3.14.0:compile,"
                        + "io.github.flinkdbt:flink-dbt-maven-plugin:" + version + ":validate-models,"
                        + "io.github.flinkdbt:flink-dbt-maven-plugin:" + version + ":compile-models");
        assertThat(components.getElementsByTagName("test").item(0).getTextContent())
                .isEqualTo("org.apache.maven.plugins:maven-surefire-plugin:3.5.4:test,"
                        + "io.github.flinkdbt:flink-dbt-maven-plugin:" + version + ":snapshot-test");
        assertThat(components.getElementsByTagName("package").item(0).getTextContent())
                .isEqualTo("io.github.flinkdbt:flink-dbt-maven-plugin:" + version + ":bundle");
        assertThat(components.getElementsByTagName("extension").item(0).getTextContent())
                .isEqualTo("jar");
    }

    @Test
    void eclipseRunsTheModelGoalsOnIncrementalBuilds() throws Exception {
        Document m2e = xml("META-INF/m2e/lifecycle-mapping-metadata.xml");
        assertThat(m2e.getElementsByTagName("packagingType").item(0).getTextContent())
                .isEqualTo("flink-dbt");
        String first = m2e.getElementsByTagName("pluginExecution").item(0).getTextContent();
        assertThat(first).contains("validate-models", "compile-models");
        assertThat(m2e.getElementsByTagName("runOnIncremental").item(0).getTextContent())
                .isEqualTo("true");
    }
}
