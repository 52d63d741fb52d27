package io.github.flinkdbt;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmokeTest {

    @Test
    void compilesTheShop(@TempDir Path dir) throws Exception {
        TestProjects.shop(dir);
        BuildSummary summary = FlinkDbt.compile(TestProjects.request(dir));
        assertThat(summary.models()).isEqualTo(5);
        try (var files = Files.walk(dir.resolve("target/flink-dbt"))) {
            files.forEach(System.out::println);
        }
        System.out.println(Files.readString(dir.resolve("target/flink-dbt/plans/clicks_per_user.json")));
        System.out.println(Files.readString(dir.resolve("target/flink-dbt/compiled/revenue_per_user.sql")));
        BuildSummary again = FlinkDbt.compile(TestProjects.request(dir));
        assertThat(again.planned()).isEmpty();
    }
}
