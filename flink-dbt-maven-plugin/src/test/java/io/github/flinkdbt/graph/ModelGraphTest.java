package io.github.flinkdbt.graph;

import static io.github.flinkdbt.TestProjects.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.flinkdbt.TestProjects;
import io.github.flinkdbt.common.Problem;
import io.github.flinkdbt.common.Problems;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelGraphTest {

    @TempDir
    Path dir;

    @Test
    void orderIsTopologicalAndDeterministic() {
        write(dir, "src/main/sql/c.sql", "select * from {{ ref('a') }} join {{ ref('b') }} on true\n");
        write(dir, "src/main/sql/b.sql", "select * from {{ ref('a') }}\n");
        write(dir, "src/main/sql/a.sql", "select 1 as x\n");
        write(dir, "src/main/sql/d.sql", "select 2 as y\n");
        Problems problems = new Problems();
        ModelGraph graph = ModelGraph.of(TestProjects.load(dir, problems), problems);
        assertThat(problems.isEmpty()).isTrue();
        assertThat(graph.topologicalOrder()).containsExactly("a", "b", "c", "d");
        assertThat(graph.descendants("a", -1)).containsExactly("b", "c");
        assertThat(graph.ancestors("c", 1)).containsExactly("a", "b");
    }

    @Test
    void cyclesArePrintedWithEveryFileAndRef() {
        write(dir, "src/main/sql/a.sql", "select * from {{ ref('c') }}\n");
        write(dir, "src/main/sql/b.sql", "select * from\n  {{ ref('a') }}\n");
        write(dir, "src/main/sql/c.sql", "select * from {{ ref('b') }}\n");
        write(dir, "src/main/sql/d.sql", "select * from {{ ref('c') }}\n");
        Problems problems = new Problems();
        ModelGraph graph = ModelGraph.of(TestProjects.load(dir, problems), problems);
        assertThat(problems.sorted()).extracting(Problem::format).containsExactly("""
                src/main/sql/a.sql:1:15  Models form a cycle: a -> c -> b -> a
                          src/main/sql/a.sql:1:15  a reads ref('c')
                          src/main/sql/c.sql:1:15  c reads ref('b')
                          src/main/sql/b.sql:2:3  b reads ref('a')
                          Break the cycle by removing one of these refs.""");
        assertThat(graph.topologicalOrder()).isEmpty();
    }
}
