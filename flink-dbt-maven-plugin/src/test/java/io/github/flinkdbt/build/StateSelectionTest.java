package io.github.flinkdbt.build;

import static io.github.flinkdbt.TestProjects.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.flinkdbt.FlinkDbt;
import io.github.flinkdbt.TestProjects;
import io.github.flinkdbt.api.BuildSummary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dbt's state:new and state:modified against an earlier compile output, with graph operators. */
class StateSelectionTest {

    @TempDir
    Path dir;

    @Test
    void stateSelectsNewAndModifiedModelsAgainstAnEarlierCompile() throws IOException {
        write(dir, "src/main/sql/macros/cents.sql", "{% macro cents(x) %}{{ x }} * 100{% endmacro %}\n");
        write(dir, "src/main/sql/base.sql", "select * from (values (1, 2)) as t(id, amount)\n");
        write(dir, "src/main/sql/body.sql", "select id from {{ ref('base') }}\n");
        write(dir, "src/main/sql/by_macro.sql", "select id, {{ cents('amount') }} as cents from {{ ref('base') }}\n");
        write(
                dir,
                "src/main/sql/by_var.sql",
                "select id, '{{ var('region', 'eu') }}' as region from {{ ref('base') }}\n");
        write(dir, "src/main/sql/by_config.sql", "{{ config(materialized='view') }}\nselect 1 as x\n");
        write(dir, "src/main/sql/same.sql", "select id from {{ ref('base') }}\n");
        write(dir, "src/main/sql/after_body.sql", "select * from {{ ref('body') }}\n");
        FlinkDbt.compile(
                TestProjects.settings(dir).build(), TestProjects.invocation().build());
        copy(dir.resolve("target/flink-dbt"), dir.resolve("baseline"));

        write(dir, "src/main/sql/body.sql", "select id, amount from {{ ref('base') }}\n");
        write(dir, "src/main/sql/macros/cents.sql", "{% macro cents(x) %}{{ x }} * 1000{% endmacro %}\n");
        write(dir, "src/main/sql/by_config.sql", "{{ config(materialized='table') }}\nselect 1 as x\n");
        write(dir, "src/main/sql/added.sql", "select 2 as y\n");

        assertThat(planned("state:new", null)).containsExactly("added");
        // new models too, as in dbt; a macro's change reaches the models it renders into
        assertThat(planned("state:modified", null))
                .containsExactlyInAnyOrder("base", "body", "by_macro", "by_config", "added");
        assertThat(planned("state:modified+", null))
                .containsExactlyInAnyOrder("base", "body", "after_body", "by_macro", "by_config", "added");
        assertThat(planned("state:modified,config.materialized:table", null)).containsExactly("by_config");
        // a var given on the command line changes the compiled SQL of the model reading it
        assertThat(planned("state:modified", "region")).contains("by_var").doesNotContain("same");

        assertThatThrownBy(() -> FlinkDbt.validate(
                        TestProjects.settings(dir)
                                .select("state:modifed")
                                .baseline("baseline")
                                .build(),
                        TestProjects.invocation().build()))
                .hasMessageContaining("state:modifed is not a state selector. Did you mean 'modified'?");
        assertThatThrownBy(() -> FlinkDbt.validate(
                        TestProjects.settings(dir)
                                .select("state:new")
                                .home(dir.resolve("no-home"))
                                .build(),
                        TestProjects.invocation().build()))
                .hasMessageContaining("state: selection compares with a baseline, and there is none.");
    }

    private Set<String> planned(String select, String regionVar) {
        BuildSummary summary = FlinkDbt.validate(
                TestProjects.settings(dir)
                        .select(select)
                        .baseline("baseline")
                        .useCache(false)
                        .vars(regionVar == null ? Map.of() : Map.of("region", "us"))
                        .build(),
                TestProjects.invocation().build());
        return summary.planned();
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }
}
