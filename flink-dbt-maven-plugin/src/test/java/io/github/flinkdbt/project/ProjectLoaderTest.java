package io.github.flinkdbt.project;

import static io.github.flinkdbt.TestProjects.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.flinkdbt.TestProjects;
import io.github.flinkdbt.api.Settings;
import io.github.flinkdbt.common.Problems;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProjectLoaderTest {

    @TempDir
    Path dir;

    @Test
    void duplicateModelNamesNameBothFiles() {
        write(dir, "src/main/sql/a/orders.sql", "select 1 as x\n");
        write(dir, "src/main/sql/b/orders.sql", "select 2 as x\n");
        assertThat(Loading.load(dir).messages())
                .isEqualTo("src/main/sql/b/orders.sql  Two models are named 'orders': "
                        + "src/main/sql/a/orders.sql and src/main/sql/b/orders.sql.\n"
                        + "          Model names must be unique; rename one of the files.");
    }

    @Test
    void aDbtProjectIsUsedAsIs() {
        Path project = dir.resolve("analytics");
        write(project, "dbt_project.yml", """
                name: analytics
                version: '1.0'
                config-version: 2
                profile: flink
                model-paths: ["models"]
                macro-paths: ["macros"]
                vars:
                  threshold: 5
                models:
                  analytics:
                    staging:
                      +materialized: view
                    marts:
                      +materialized: streaming_table
                """);
        write(project, "models/staging/stg.sql", "select {{ double('1') }} as x where 1 < {{ var('threshold') }}\n");
        write(project, "models/marts/m.sql", "select x from {{ ref('stg') }}\n");
        write(project, "macros/double.sql", "{% macro double(v) %}{{ v }} * 2{% endmacro %}\n");
        Problems problems = new Problems();
        Project loaded = load(project, problems);
        assertThat(problems.sorted()).isEmpty();
        assertThat(loaded.name()).isEqualTo("analytics");
        assertThat(loaded.model("m").materialization()).isEqualTo(Materialization.STREAMING_TABLE);
        assertThat(loaded.model("stg").sql().text()).isEqualTo("select 1 * 2 as x where 1 < 5");
        assertThat(loaded.model("stg").displayPath()).isEqualTo("analytics/models/staging/stg.sql");
    }

    @Test
    void localPackagesBringTheirMacrosModelsAndTestsAndTheProjectsOwnMacrosWin() {
        Path project = dir.resolve("analytics");
        write(project, "dbt_project.yml", """
                name: analytics
                models:
                  shared:
                    +materialized: table
                """);
        write(project, "packages.yml", "packages:\n  - local: ../shared\n");
        write(project, "macros/greet.sql", "{% macro greet() %}'hello from analytics'{% endmacro %}\n");
        write(project, "models/report.sql", """
                select {{ cents('amount') }} as cents, {{ greet() }} as mine, {{ shared.greet() }} as theirs
                from {{ ref('shared', 'shared_dim') }}
                """);
        write(dir, "shared/dbt_project.yml", """
                name: shared
                models:
                  shared:
                    +tags: [shared]
                """);
        write(dir, "shared/macros/money.sql", """
                {% macro cents(x) %}{{ x }} * 100{% endmacro %}
                {% macro greet() %}'hello from shared'{% endmacro %}
                """);
        write(dir, "shared/models/shared_dim.sql", "select 1 as amount\n");
        write(dir, "shared/tests/no_negative.sql", "select * from {{ ref('shared_dim') }} where amount < 0\n");
        Problems problems = new Problems();
        Project loaded = load(project, problems);
        assertThat(problems.sorted()).isEmpty();
        assertThat(loaded.model("report").sql().text())
                .contains("amount * 100 as cents, 'hello from analytics' as mine, 'hello from shared' as theirs");
        Model shared = loaded.model("shared_dim");
        assertThat(shared.materialization()).isEqualTo(Materialization.TABLE);
        assertThat(shared.config().tags()).containsExactly("shared");
        assertThat(shared.path()).isEqualTo("../shared/models/shared_dim.sql");
        assertThat(loaded.model("report").refs()).containsExactly("shared_dim");
        assertThat(loaded.singularTests()).extracting(SingularTest::name).containsExactly("no_negative");

        // packages a build cannot fetch, and a local one that is not there: errors at their lines
        write(project, "packages.yml", """
                packages:
                  - package: dbt-labs/dbt_utils
                    version: 1.3.0
                  - local: ../missing
                """);
        Problems bad = new Problems();
        load(project, bad);
        assertThat(String.join("\n", bad.sorted().stream().map(p -> p.format()).toList()))
                .contains("analytics/packages.yml:2:5  hub package 'dbt-labs/dbt_utils' cannot be installed by a"
                        + " build: flink-dbt does not download packages (no dbt Hub or git access).")
                .contains("- local: dbt_packages/<name>")
                .contains("analytics/packages.yml:4:12  local package '../missing' does not exist");
    }

    private Project load(Path project, Problems problems) {
        return ProjectLoader.load(
                TestProjects.loading(
                        Settings.builder(dir)
                                .projectDir(project)
                                .defaultName("ignored")
                                .build()
                                .compile(),
                        Map.of()),
                problems);
    }

    @Test
    void aSourceOverAModelsTableReadsItAfterThatModelAndCannotDeclareAWatermark() {
        write(dir, "src/main/sql/orders.sql", "{{ config(materialized='table') }}\nselect 1 as id\n");
        write(dir, "src/main/sql/totals.sql", "select count(*) as n from {{ source('mine', 'orders') }}\n");
        write(dir, "src/main/sql/sources.yml", """
                version: 2
                sources:
                  - name: mine
                    schema: shop
                    tables:
                      - name: orders
                        columns:
                          - name: id
                            description: no data_type needed, the table has it
                      - name: elsewhere
                        config:
                          watermark: {column: at, strategy: at}
                """);
        Loading.Result result = Loading.load(dir);
        assertThat(result.project().source("mine.orders").node()).isEqualTo("orders");
        assertThat(result.project().source("mine.elsewhere").node()).isNull();
        assertThat(result.model("totals").refs()).containsExactly("orders");
        assertThat(result.model("totals").sources()).containsExactly("mine.orders");
        assertThat(result.messages())
                .isEqualTo(
                        "src/main/sql/sources.yml:12:11  source 'mine.elsewhere' reads a table of the catalog as it is,"
                                + " so it cannot declare watermark.\n"
                                + "          Declare it on the table itself, or give the source connector_properties "
                                + "(connector: kafka, filesystem, ...) to read the data directly.");
    }

    @Test
    void varsFromTheBuildWinOverDbtProject() {
        write(
                dir,
                "dbt_project.yml",
                "name: shop\nmodel-paths: [src/main/sql]\nvars:\n  a: project\n  b: project\n"
                        + "  shop:\n    c: scoped\n");
        write(dir, "src/main/sql/m.sql", "select '{{ var('a') }}{{ var('b') }}{{ var('c') }}' as x\n");
        Loading.Result result = Loading.load(dir, Map.of("a", "cli"), Map.of());
        assertThat(result.model("m").sql().text()).isEqualTo("select 'cliprojectscoped' as x");
    }

    @Test
    void disabledModelsAreLeftOutAndRefsToThemReported() {
        write(dir, "src/main/sql/off.sql", "{{ config(enabled=false) }}\nselect 1 as x\n");
        write(dir, "src/main/sql/on.sql", "select * from {{ ref('off') }}\n");
        Loading.Result result = Loading.load(dir);
        assertThat(result.project().models()).doesNotContainKey("off");
        assertThat(result.messages()).contains("on.sql:1:15  ref('off') names a disabled model (enabled: false).");
    }

    @Test
    void brokenModelsDoNotHideOtherModels() {
        write(dir, "src/main/sql/bad.sql", "select {{ nope }}\n");
        write(dir, "src/main/sql/good.sql", "select 1 as x\n");
        Loading.Result result = Loading.load(dir);
        assertThat(result.project().brokenModels()).containsExactly("bad");
        assertThat(result.project().models()).containsKey("good");
        assertThat(result.messages()).contains("bad.sql:1:11  Jinja error: 'nope' is undefined.");
    }

    @Test
    void modelsAndTheirTablesMustNotCollide() {
        write(dir, "src/main/sql/a.sql", "{{ config(materialized='table', alias='same') }}\nselect 1 as x\n");
        write(dir, "src/main/sql/b.sql", "{{ config(materialized='table', alias='same') }}\nselect 1 as x\n");
        assertThat(Loading.load(dir).messages()).contains("Models 'a' and 'b' both write flink_dbt.shop.same.");
    }
}
