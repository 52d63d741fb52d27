package io.github.flinkdbt.project;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flinkdbt.common.Problem;
import io.github.flinkdbt.common.Problems;
import io.github.flinkdbt.common.SourcePosition;
import org.junit.jupiter.api.Test;

class YamlReaderTest {

    @Test
    void keepsLinesOfKeysAndValues() {
        Problems problems = new Problems();
        YamlNode root = YamlReader.parse(
                        "version: 2\nmodels:\n  - name: orders\n    config:\n      materialized: table\n",
                        "schema.yml",
                        problems)
                .orElseThrow();
        YamlNode model = root.get("models").items().get(0);
        assertThat(model.position()).isEqualTo(new SourcePosition("schema.yml", 3, 5));
        assertThat(model.get("config").keyPosition("materialized")).isEqualTo(new SourcePosition("schema.yml", 5, 7));
        assertThat(root.get("version").value()).isEqualTo(2);
        assertThat(problems.isEmpty()).isTrue();
    }

    @Test
    void syntaxErrorsNameTheirLine() {
        Problems problems = new Problems();
        assertThat(YamlReader.parse("models:\n  - name: a\n   bad: [\n", "schema.yml", problems))
                .isEmpty();
        Problem problem = problems.sorted().get(0);
        assertThat(problem.position().file()).isEqualTo("schema.yml");
        assertThat(problem.position().line()).isGreaterThanOrEqualTo(3);
        assertThat(problem.message()).startsWith("Invalid YAML:");
    }

    @Test
    void duplicateKeysAreProblems() {
        Problems problems = new Problems();
        YamlReader.parse("a: 1\nb: 2\na: 3\n", "x.yml", problems);
        assertThat(problems.sorted())
                .extracting(Problem::format)
                .containsExactly(
                        "x.yml:3:1  Duplicate key 'a' (first at line 1)\n          Remove one of the two entries.");
    }

    @Test
    void datesStayAsWritten() {
        YamlNode root = YamlReader.parse("start: 2026-01-01\nmerged: {<<: {a: 1}, b: 2}\n", "x.yml", new Problems())
                .orElseThrow();
        assertThat(root.get("start").value()).isEqualTo("2026-01-01");
        assertThat(root.get("merged").toPlain()).hasToString("{a=1, b=2}");
    }
}
