package io.github.flinkdbt.project;

import static io.github.flinkdbt.TestProjects.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * dbt's cross-database macros, as dbt's adapter suite ({@code utils}) checks them: rendered in a
 * model, then run by Flink, their values compared. Also dispatch, the {@code dbt} namespace and a
 * project's own macros winning, as in dbt.
 */
class DbtMacrosTest {

    private static TableEnvironment flink;

    @TempDir
    Path dir;

    @BeforeAll
    static void flink() {
        flink = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        flink.getConfig().set("table.local-time-zone", "UTC");
    }

    @Test
    void theCrossDatabaseMacrosGiveDbtsValuesOnFlink() {
        write(dir, "src/main/sql/scalars.sql", """
                {{ config(materialized='view') }}
                select
                  {{ string_literal('abc') }} as lit,
                  {{ dbt.concat(["'a'", "'b'", "'c'"]) }} as cat,
                  {{ safe_cast("'x1'", type_int()) }} as bad_int,
                  {{ cast("'12'", type_bigint()) }} as big,
                  {{ cast_bool_to_text('true') }} as bool_text,
                  {{ hash("'abc'") }} as hashed,
                  {{ length("'abcd'") }} as len,
                  {{ position("'c'", "'abcd'") }} as pos,
                  {{ replace("'a-b'", "'-'", "'+'") }} as rep,
                  {{ right("'abcdef'", 3) }} as r3,
                  {{ dbt.right("'abcdef'", 0) }} as r0,
                  {{ split_part("'a,b,c'", "','", 2) }} as part2,
                  {{ date_trunc('month', "TIMESTAMP '2026-05-17 10:20:30'") }} as month_start,
                  {{ dateadd('day', -1, "TIMESTAMP '2026-03-01 00:00:00'") }} as day_before,
                  {{ datediff("TIMESTAMP '2026-01-01 23:00:00'", "TIMESTAMP '2026-01-02 01:00:00'", 'day') }} as days,
                  {{ last_day("DATE '2024-02-10'", 'month') }} as feb_end,
                  '{{ escape_single_quotes("it's") }}' as esc,
                  cast(1.5 as {{ type_numeric() }}) as num,
                  cast('x' as {{ type_string() }}) || '{{ target.type }}' as typed,
                  cast(1 as {{ type_float() }}) + cast(1 as {{ type_int() }}) as f,
                  cast('true' as {{ type_boolean() }}) as b,
                  cast('2026-01-02 03:04:05' as {{ type_timestamp() }}) as ts
                """);
        write(dir, "src/main/sql/aggregates.sql", """
                {{ config(materialized='view') }}
                select {{ listagg('v', "'|'") }} as joined, {{ any_value('v') }} as some_v,
                       {{ bool_or("v = 'b'") }} as has_b, {{ bool_or("v = 'z'") }} as has_z
                from (values ('a'), ('b')) as t(v)
                """);
        write(dir, "src/main/sql/sets.sql", """
                {{ config(materialized='view') }}
                select * from (select * from (values (1), (2)) as a(x) {{ except() }} select * from (values (2)) as b(x))
                {{ intersect() }} select * from (values (1), (3)) as c(x)
                """);
        Loading.Result result = Loading.load(dir);
        assertThat(result.messages()).isEmpty();

        assertThat(run(result, "scalars"))
                .containsExactly("+I[abc, abc, null, 12, true, 900150983cd24fb0d6963f7d28e17f72, 4, 3, a+b, def, , b,"
                        + " 2026-05-01T00:00, 2026-02-28T00:00, 1, 2024-02-29, it's, 1.500000, xflink, 2.0, true,"
                        + " 2026-01-02T03:04:05]");
        assertThat(run(result, "aggregates"))
                .singleElement()
                .asString()
                .matches("\\+I\\[(a\\|b|b\\|a), a, true, false]");
        assertThat(run(result, "sets")).containsExactly("+I[1]");
    }

    @Test
    void aProjectsDispatchedImplementationAndItsOwnMacroWinAsInDbt() {
        write(dir, "src/main/sql/macros/overrides.sql", """
                {% macro default__concat(fields) -%}CONCAT_WS('-', {{ fields | join(', ') }}){%- endmacro %}
                {% macro hash(field) -%}SHA256({{ field }}){%- endmacro %}
                {% macro cents(column) -%}
                  {% do return('(' ~ column ~ ' * 100)') %}
                {%- endmacro %}
                """);
        write(dir, "src/main/sql/m.sql", """
                {{ config(materialized='view') }}
                select {{ concat(["'a'", "'b'"]) }} as c1, {{ dbt.concat(["'a'", "'b'"]) }} as c2,
                       {{ hash("'x'") }} as h, {{ dbt.hash("'x'") }} as dh, {{ cents('2') }} as cents
                """);
        Loading.Result result = Loading.load(dir);
        assertThat(result.messages()).isEmpty();
        assertThat(result.model("m").sql().text())
                .contains("CONCAT_WS('-', 'a', 'b') as c1, CONCAT_WS('-', 'a', 'b') as c2")
                .contains("SHA256('x') as h, MD5(CAST('x' AS STRING)) as dh")
                .contains("(2 * 100) as cents");
        assertThat(run(result, "m")).singleElement().asString().startsWith("+I[a-b, a-b, ");
    }

    @Test
    void aDispatchWithoutAnImplementationAndAnOrderedListaggAreErrorsAtTheirLines() {
        write(dir, "src/main/sql/m.sql", """
                {{ config(materialized='view') }}
                select
                  {{ adapter.dispatch('no_such_thing', 'my_package')(1) }} as x
                """);
        write(dir, "src/main/sql/l.sql", """
                {{ config(materialized='view') }}
                select {{ listagg('v', "','", 'order by v') }} as joined from (values ('a')) as t(v)
                """);
        assertThat(Loading.load(dir).messages())
                .contains("src/main/sql/m.sql:3:")
                .contains("adapter.dispatch('no_such_thing') found no implementation for flink. Define a macro"
                        + " flink__no_such_thing or default__no_such_thing.")
                .contains("src/main/sql/l.sql:2:")
                .contains("listagg with an order_by_clause or a limit_num: Flink's LISTAGG keeps neither");
    }

    private static List<String> run(Loading.Result result, String model) {
        List<String> rows = new ArrayList<>();
        try (CloseableIterator<Row> it =
                flink.executeSql(result.model(model).sql().text()).collect()) {
            it.forEachRemaining(row -> rows.add(row.toString()));
        } catch (Exception e) {
            throw new AssertionError(result.model(model).sql().text(), e);
        }
        return rows;
    }
}
