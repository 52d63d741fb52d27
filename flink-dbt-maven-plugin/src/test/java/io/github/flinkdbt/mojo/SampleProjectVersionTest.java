package io.github.flinkdbt.mojo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The sample uses the plugin at this build's version (it is not a module of this build). */
class SampleProjectVersionTest {

    @Test
    void sampleProjectUsesThisVersionOfThePlugin() throws IOException {
        String pom = Files.readString(Path.of("..", "sample-project", "pom.xml"));
        Matcher version = Pattern.compile("<flink-dbt.version>([^<]+)</flink-dbt.version>")
                .matcher(pom);
        assertThat(version.find()).isTrue();
        assertThat(version.group(1)).isEqualTo(System.getProperty("project.version"));
    }
}
