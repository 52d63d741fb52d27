package io.github.flinkdbt.report.docs;

import static io.github.flinkdbt.TestProjects.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.flinkdbt.FlinkDbt;
import io.github.flinkdbt.TestProjects;
import io.github.flinkdbt.common.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Descriptions that are missing, name a doc block that does not exist or leave Jinja unrendered:
 * the site is still written, and each problem is listed once, with its file and line.
 */
class DocsProblemsTest {

    @TempDir
    Path dir;

    @Test
    void badDescriptionsAreListedOnceAndTheSiteIsStillWritten() throws IOException {
        TestProjects.shop(dir);
        write(dir, "src/main/sql/docs.md", """
                {% docs user %}
                The visitor, **pseudonymous**.
                {% enddocs %}
                {% docs broken %}
                Counts {{ clicks_macro() }} per user.
                {% enddocs %}
                """);
        write(dir, "src/main/sql/schema.yml", """
                version: 2
                models:
                  - name: clicks_per_user
                    description: '{{ doc("broken") }}'
                    columns:
                      - name: user_id
                        description: '{{ doc("usr") }}'
                      - name: clicks
                        description: '{{ doc("user") }}'
                """);
        List<String> log = new ArrayList<>();
        Path site = dir.resolve("target/flink-dbt-docs");
        FlinkDbt.docs(
                TestProjects.settings(dir).build(),
                TestProjects.invocation(TestProjects.capturing(log)).build(),
                site);

        String data = Files.readString(site.resolve("data.js"));
        JsonNode content = Json.read(data.substring(data.indexOf('{'), data.lastIndexOf('}') + 1));
        String clicks = "";
        for (JsonNode node : content.path("nodes")) {
            if (node.path("id").asText().equals("model.shop.clicks_per_user")) {
                clicks = node.path("columns").toString();
            }
        }
        assertThat(clicks).contains("The visitor, <strong>pseudonymous</strong>.", "(missing doc block 'usr')");
        JsonNode problems = content.path("problems");
        List<String> listed = new ArrayList<>();
        problems.forEach(p -> listed.add(p.asText()));
        assertThat(listed).doesNotHaveDuplicates();

        // each problem once in the build log and once in the site's list, with file:line
        for (String[] problem : new String[][] {
            {"src/main/sql/schema.yml:7", "doc('usr') names no {% docs %} block", "Did you mean 'user'?"},
            {"src/main/sql/docs.md:5", "A {% docs %} block did not render", "'clicks_macro' is not a function"},
            {"src/main/sql/staging/stg_page_views.sql:1", "Model 'stg_page_views' has no description"}
        }) {
            assertThat(log.stream().filter(l -> l.contains(problem[1])))
                    .singleElement()
                    .satisfies(line -> assertThat(line).contains(problem));
            assertThat(listed.stream().filter(l -> l.contains(problem[1])))
                    .singleElement()
                    .satisfies(line -> assertThat(line).contains(problem));
        }
    }
}
