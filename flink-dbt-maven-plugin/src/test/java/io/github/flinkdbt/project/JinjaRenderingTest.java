package io.github.flinkdbt.project;

import static io.github.flinkdbt.TestProjects.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.flinkdbt.TestProjects;
import io.github.flinkdbt.common.SourcePosition;
import java.nio.file.Path;
import java.time.Year;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JinjaRenderingTest {

    @TempDir
    Path dir;

    private Loading.Result project(String model) {
        write(dir, "src/main/sql/sources.yml", TestProjects.SOURCES);
        write(dir, "src/main/sql/base.sql", "select user_id, url from {{ source('shop', 'page_views') }}\n");
        write(dir, "src/main/sql/model.sql", model);
        return Loading.load(dir, Map.of("limit", 10), Map.of("REGION", "eu"));
    }

    @Test
    void refsAndSourcesBecomeQualifiedRelations() {
        Loading.Result result =
                project("select * from {{ ref('base') }} join {{ source('shop', 'orders') }} o on 1=1\n");
        assertThat(result.problems()).isEmpty();
        assertThat(result.model("model").sql().text())
                .isEqualTo("select * from `flink_dbt`.`shop`.`base` join `flink_dbt`.`shop`.`orders` o on 1=1");
        assertThat(result.model("model").refs()).containsExactly("base");
        assertThat(result.model("model").sources()).containsExactly("shop.orders");
    }

    @Test
    void positionsInRenderedSqlMapBackThroughBlocksAndExpansions() {
        Loading.Result result = project("""
                {{ config(materialized='view') }}
                {% if var('limit') > 5 %}
                select user_id,
                       url
                {% else %}
                select 1
                {% endif %}
                from {{ ref('base') }}
                where url like '{{ env_var('REGION') }}%'
                """);
        assertThat(result.problems()).isEmpty();
        SqlText sql = result.model("model").sql();
        String text = sql.text();
        int url = text.indexOf("url\n");
        assertThat(sql.positionAt(url)).isEqualTo(new SourcePosition("src/main/sql/model.sql", 4, 8));
        int from = text.indexOf("from");
        assertThat(sql.positionAt(from)).isEqualTo(new SourcePosition("src/main/sql/model.sql", 8, 1));
        // inside the expansion of ref(): the tag's position
        int relation = text.indexOf("`flink_dbt`") + 5;
        assertThat(sql.positionAt(relation).line()).isEqualTo(8);
        int where = text.indexOf("where");
        assertThat(sql.positionAt(where)).isEqualTo(new SourcePosition("src/main/sql/model.sql", 9, 1));
        assertThat(text).contains("like 'eu%'");
    }

    @Test
    void noneIsAValueAsInDbtWhileUnknownNamesStayErrors() {
        Loading.Result result = project("""
                {% macro pick(column, alias=none) -%}
                  {{ column }}{% if alias is not none %} as {{ alias }}{% endif %}
                {%- endmacro %}
                {% set nothing = var('missing', none) %}
                select {{ pick('user_id') }}, {{ pick('url', 'link') }},
                  '{{ nothing }}' as shown, {{ nothing is none }} as is_none,
                  {{ config.get('no_such_key') == none }} as unset, {{ None != none }} as same
                from {{ ref('base') }}
                """);
        assertThat(result.problems()).isEmpty();
        assertThat(result.model("model").sql().text())
                .contains(
                        "select user_id, url as link,\n  'None' as shown, true as is_none,\n  true as unset, false as same");

        Loading.Result unknown = project("select {{ nope }} from {{ ref('base') }}\n");
        assertThat(unknown.messages()).contains("model.sql:1:11").contains("nope");
    }

    @Test
    void invocationIdRunStartedAtAndTheDatetimeModule() {
        Loading.Result result = project("""
                select '{{ invocation_id }}' as id, '{{ run_started_at }}' as started,
                  '{{ run_started_at.strftime('%Y') }}' as year, '{{ run_started_at.isoformat() }}' as iso,
                  '{{ modules.datetime.datetime.utcnow().strftime('%Y-%m-%d') }}' as today,
                  '{{ modules.datetime.date.today() }}' as local_day
                from {{ ref('base') }}
                """);
        assertThat(result.problems()).isEmpty();
        String year = String.valueOf(Year.now(ZoneOffset.UTC).getValue());
        assertThat(result.model("model").sql().text())
                .containsPattern("'[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}' as id")
                .containsPattern("'" + year + "-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{6}\\+00:00' as started")
                .contains("'" + year + "' as year")
                .containsPattern("'" + year + "-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}\\+00:00' as iso")
                .containsPattern("'\\d{4}-\\d\\d-\\d\\d' as today")
                .containsPattern("'\\d{4}-\\d\\d-\\d\\d' as local_day");
    }

    @Test
    void whitespaceControlStillTrims() {
        Loading.Result result = project("select\n  {%- if true %} user_id {%- endif %}\nfrom {{ ref('base') }}\n");
        assertThat(result.problems()).isEmpty();
        assertThat(result.model("model").sql().text()).startsWith("select user_id\nfrom");
    }

    @Test
    void setBlocksKeepTheirTextExact() {
        Loading.Result result = project("{% set cols %}user_id, url{% endset %}"
                + "{% if cols == 'user_id, url' %}select {{ cols }}{% endif %} from {{ ref('base') }}\n");
        assertThat(result.problems()).isEmpty();
        assertThat(result.model("model").sql().text()).isEqualTo("select user_id, url from `flink_dbt`.`shop`.`base`");
    }

    @Test
    void unknownRefIsReportedAtTheCallWithASuggestion() {
        Loading.Result result = project("select *\nfrom {{ ref('bse') }}\n");
        assertThat(result.messages())
                .isEqualTo("src/main/sql/model.sql:2:6  ref('bse') names no model. Did you "
                        + "mean 'base'?\n          A model's name is its file name without .sql.");
        assertThat(result.project().brokenModels()).containsExactly("model");
    }

    @Test
    void jinjaSyntaxErrorsKeepTheirLine() {
        Loading.Result result = project("select 1\nfrom x\n  {% if %}\n");
        assertThat(result.problems()).hasSize(1);
        assertThat(result.problems().get(0).position().line()).isEqualTo(3);
        assertThat(result.problems().get(0).message()).contains("Tag 'if' expects expression");
    }

    @Test
    void undefinedNamesSuggestTheNearestFunction() {
        Loading.Result result = project("select {{ refs('base') }}\n");
        assertThat(result.messages())
                .contains("model.sql:1:11")
                .contains("'refs' is not a function or macro. Did you " + "mean 'ref'?");
    }

    @Test
    void missingVarsAndEnvVarsSayHowToSetThem() {
        Loading.Result result =
                project("select {{ var('missing') }}, '{{ env_var('NOPE') }}' from {{ ref('base') }}\n");
        assertThat(result.messages())
                .contains("Required var 'missing' is not set.")
                .contains("-Dflink-dbt.vars='{missing: ...}'")
                .contains("Environment variable 'NOPE' is not set.");
    }

    @Test
    void queriesAtRenderTimeAreRefusedAtTheirLine() {
        Loading.Result result = project("""
                {% if execute %}
                  {% set days = run_query('select distinct day from x') %}
                {% endif %}
                {% call statement('max_id', fetch_result=True) %}select max(id) from y{% endcall %}
                select * from {{ ref('base') }}
                """);
        assertThat(result.messages())
                .contains("src/main/sql/model.sql:2:")
                .contains("run_query() runs a query while the project is rendered; flink-dbt renders and plans models"
                        + " without a cluster, so no query result exists at compile time.")
                .contains("src/main/sql/model.sql:4:")
                .contains("statement() runs a query while the project is rendered")
                .contains("Compute the value in the model's SQL (a join or a subquery), or pass it in as a var:"
                        + " -Dflink-dbt.vars='{name: value}'");
    }

    @Test
    void secretEnvVarsCannotEnterModelSql() {
        Loading.Result result = project("select '{{ env_var('DBT_ENV_SECRET_TOKEN') }}' from {{ ref('base') }}\n");
        assertThat(result.messages()).contains("would write a secret into compiled SQL");
    }

    @Test
    void isIncrementalRendersBothBranchesAndThisIsTheModelsTable() {
        Loading.Result result = project("""
                {{ config(materialized='incremental', unique_key='user_id', incremental_strategy='merge') }}
                select user_id, url from {{ ref('base') }}
                {% if is_incremental() %}where user_id > (select max(user_id) from {{ this }}){% endif %}
                """);
        assertThat(result.problems()).isEmpty();
        Model model = result.model("model");
        assertThat(model.sql().text()).doesNotContain("where");
        assertThat(model.incrementalSql().text()).contains("from `flink_dbt`.`shop`.`model`)");
    }

    @Test
    void macrosFromTheMacroPathAndDocsBlocks() {
        write(
                dir,
                "src/main/sql/macros/cents.sql",
                "{% macro cents(col) %}cast({{ col }} * 100 as bigint){% endmacro %}\n");
        write(dir, "src/main/sql/docs.md", "{% docs url %}The page's URL.{% enddocs %}\n");
        write(
                dir,
                "src/main/sql/schema.yml",
                "version: 2\nmodels:\n  - name: model\n    columns:\n"
                        + "      - name: url\n        description: '{{ doc(\"url\") }}'\n");
        Loading.Result result = project("select {{ cents('user_id') }} as c, url from {{ ref('base') }}\n");
        assertThat(result.problems()).isEmpty();
        assertThat(result.model("model").sql().text()).startsWith("select cast(user_id * 100 as bigint) as c");
        assertThat(result.model("model").columns().get(0).description()).isEqualTo("The page's URL.");
    }

    @Test
    void ephemeralModelsAreInlinedAsCtesEvenIntoAnExistingWith() {
        write(
                dir,
                "src/main/sql/eph.sql",
                "{{ config(materialized='ephemeral') }}\nselect user_id from {{ ref('base') }}\n");
        Loading.Result result =
                project("-- leading comment\nwith x as (select * from {{ ref('eph') }})\nselect * from x\n");
        assertThat(result.problems()).isEmpty();
        String sql = result.model("model").sql().text();
        assertThat(sql)
                .isEqualTo("-- leading comment\nwith `__dbt__cte__eph` AS (\n"
                        + "select user_id from `flink_dbt`.`shop`.`base`\n),\nx as (select * from `__dbt__cte__eph`)\n"
                        + "select * from x");
        // a position inside the inlined CTE maps to the ephemeral model's file
        assertThat(result.model("model").sql().positionAt(sql.indexOf("select user_id")))
                .isEqualTo(new SourcePosition("src/main/sql/eph.sql", 2, 1));
    }
}
