package io.github.flinkdbt.graph;

import static io.github.flinkdbt.TestProjects.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.flinkdbt.TestProjects;
import io.github.flinkdbt.common.FlinkDbtException;
import io.github.flinkdbt.common.Problems;
import io.github.flinkdbt.mojo.MavenHints;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelectorTest {

    @TempDir
    Path dir;

    private ModelGraph graph;

    @BeforeEach
    void project() {
        write(dir, "src/main/sql/sources.yml", TestProjects.SOURCES);
        write(dir, "src/main/sql/staging/stg_views.sql", "select * from {{ source('shop', 'page_views') }}\n");
        write(dir, "src/main/sql/staging/stg_orders.sql", "select * from {{ source('shop', 'orders') }}\n");
        write(
                dir,
                "src/main/sql/marts/clicks.sql",
                "{{ config(materialized='streaming_table', tags=['nightly']) }}\nselect * from {{ ref('stg_views') }}\n");
        write(
                dir,
                "src/main/sql/marts/report.sql",
                "{{ config(materialized='table') }}\nselect * from {{ ref('clicks') }}, {{ ref('stg_orders') }}\n");
        write(dir, "src/main/sql/other.sql", "select 1 as x\n");
        Problems problems = new Problems();
        graph = ModelGraph.of(TestProjects.load(dir, problems), problems);
        assertThat(problems.isEmpty()).isTrue();
    }

    private Set<String> select(String select, String exclude) {
        return Selector.select(graph, select, exclude, MavenHints.get()).models();
    }

    @Test
    void namesAndGraphOperators() {
        assertThat(select("clicks", "")).containsExactlyInAnyOrder("clicks");
        assertThat(select("clicks+", "")).containsExactlyInAnyOrder("clicks", "report");
        assertThat(select("+clicks", "")).containsExactlyInAnyOrder("clicks", "stg_views");
        assertThat(select("1+report", "")).containsExactlyInAnyOrder("report", "clicks", "stg_orders");
        assertThat(select("@stg_views", "")).containsExactlyInAnyOrder("stg_views", "clicks", "report", "stg_orders");
        assertThat(select("stg_*", "")).containsExactlyInAnyOrder("stg_views", "stg_orders");
    }

    @Test
    void methodsUnionsIntersectionsAndExclusions() {
        assertThat(select("tag:nightly", "")).containsExactly("clicks");
        assertThat(select("path:src/main/sql/marts", "")).containsExactlyInAnyOrder("clicks", "report");
        assertThat(select("config.materialized:table", "")).containsExactly("report");
        assertThat(select("source:shop.orders+", "")).containsExactlyInAnyOrder("stg_orders", "report");
        assertThat(select("stg_views other", "")).containsExactlyInAnyOrder("stg_views", "other");
        assertThat(select("path:src/main/sql/marts,tag:nightly", "")).containsExactly("clicks");
        assertThat(select("", "path:src/main/sql/staging other")).containsExactlyInAnyOrder("clicks", "report");
    }

    @Test
    void typosFailWithASuggestion() {
        assertThatThrownBy(() -> select("clikcs", ""))
                .isInstanceOf(FlinkDbtException.class)
                .hasMessage("-Dflink-dbt.select: 'clikcs' names no model or unit test. Did you mean 'clicks'?");
        assertThatThrownBy(() -> select("tags:x", ""))
                .hasMessageContaining("unknown selector method 'tags'. Did you " + "mean 'tag'?");
        assertThat(Selector.select(graph, "tag:weekly", "", MavenHints.get()).warnings())
                .containsExactly("-Dflink-dbt.select: 'tag:weekly' matches no model.");
    }
}
