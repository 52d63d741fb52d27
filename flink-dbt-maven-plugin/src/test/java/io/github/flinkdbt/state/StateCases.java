package io.github.flinkdbt.state;

import io.github.flinkdbt.TestProjects;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One project of streaming models, each in a baseline and a changed version, with the verdict the
 * change must get. A datagen source counts 1..{@code rows}, slowly enough that a job can be stopped
 * with a savepoint half way; every other column is computed from the sequence, so results are exact.
 */
final class StateCases {

    record Case(String model, String before, String after, Verdict verdict) {}

    static final String AGG = "{{ config(materialized='streaming_table', unique_key='user_id') }}\n";

    static final Map<String, Case> CASES = new LinkedHashMap<>();

    static {
        add(
                "filter_added",
                AGG + "select user_id, count(*) as cnt from {{ source('gen', 'events') }} group by user_id",
                AGG + "select user_id, count(*) as cnt from {{ source('gen', 'events') }} where url <> '/p1' "
                        + "group by user_id",
                Verdict.STATE_COMPATIBLE);
        add(
                "computed_after",
                AGG + "select user_id, cnt, cnt * 2 as twice from (select user_id, count(*) as cnt "
                        + "from {{ source('gen', 'events') }} group by user_id)",
                AGG + "-- a comment\nselect user_id, cnt, cnt * 3 as twice\n  from (select user_id, count(*) as cnt "
                        + "from {{ source('gen', 'events') }} group by user_id)",
                Verdict.STATELESS_CHANGE);
        // a column less or renamed: the table is replaced, and the Iceberg sink's own state is bound to the old one
        add(
                "projected_after",
                AGG + "select user_id, cnt, cnt * 2 as twice from (select user_id, count(*) as cnt "
                        + "from {{ source('gen', 'events') }} group by user_id)",
                AGG + "select user_id, cnt from (select user_id, count(*) as cnt "
                        + "from {{ source('gen', 'events') }} group by user_id)",
                Verdict.STATE_INCOMPATIBLE);
        add(
                "alias_renamed",
                AGG + "select user_id, count(*) as cnt from {{ source('gen', 'events') }} group by user_id",
                AGG + "select user_id, count(*) as clicks from {{ source('gen', 'events') }} group by user_id",
                Verdict.STATE_INCOMPATIBLE);
        add(
                "key_changed",
                "{{ config(materialized='streaming_table', unique_key='user_id, url') }}\n"
                        + "select user_id, cast('-' as string) as url, count(*) as cnt from {{ source('gen', 'events') }} group by user_id",
                "{{ config(materialized='streaming_table', unique_key='user_id, url') }}\n"
                        + "select user_id, url, count(*) as cnt from {{ source('gen', 'events') }} group by user_id, url",
                Verdict.STATE_INCOMPATIBLE);
        add(
                "function_changed",
                AGG + "select user_id, max(amount) as top from {{ source('gen', 'events') }} " + "group by user_id",
                AGG + "select user_id, min(amount) as top from {{ source('gen', 'events') }} group by user_id",
                Verdict.STATE_INCOMPATIBLE);
        add(
                "aggregate_added",
                AGG + "select user_id, count(*) as cnt from {{ source('gen', 'events') }} " + "group by user_id",
                AGG + "select user_id, count(*) as cnt, sum(amount) as total from {{ source('gen', 'events') }} "
                        + "group by user_id",
                Verdict.STATE_INCOMPATIBLE);
        add(
                "window_changed",
                "{{ config(materialized='streaming_table', unique_key='window_start, user_id') }}\n"
                        + "select window_start, user_id, count(*) as cnt from table(tumble(table {{ source('gen', 'events') }}, "
                        + "descriptor(ts), interval '10' second)) group by window_start, window_end, user_id",
                "{{ config(materialized='streaming_table', unique_key='window_start, user_id') }}\n"
                        + "select window_start, user_id, count(*) as cnt from table(tumble(table "
                        + "{{ source('gen', 'events') }}, descriptor(ts), interval '20' second)) "
                        + "group by window_start, window_end, user_id",
                Verdict.STATE_INCOMPATIBLE);
        add(
                "join_changed",
                "{{ config(materialized='streaming_table', unique_key='id') }}\n"
                        + "select a.id, a.user_id, b.amount from {{ source('gen', 'events') }} a "
                        + "join {{ source('gen', 'others') }} b on a.id = b.id",
                "{{ config(materialized='streaming_table', unique_key='id') }}\n"
                        + "select a.id, a.user_id, b.amount from {{ source('gen', 'events') }} a "
                        + "join {{ source('gen', 'others') }} b on a.id = b.id and a.user_id = b.user_id",
                Verdict.STATE_INCOMPATIBLE);
        add(
                "ttl_changed",
                "{{ config(materialized='streaming_table', unique_key='user_id', state_ttl='1 h') }}\n"
                        + "select user_id, count(*) as cnt from {{ source('gen', 'events') }} group by user_id",
                "{{ config(materialized='streaming_table', unique_key='user_id', state_ttl='2 h') }}\n"
                        + "select user_id, count(*) as cnt from {{ source('gen', 'events') }} group by user_id",
                Verdict.STATE_COMPATIBLE);
        add(
                "ttl_removed",
                "{{ config(materialized='streaming_table', unique_key='user_id', state_ttl='1 h') }}\n"
                        + "select user_id, count(*) as cnt from {{ source('gen', 'events') }} group by user_id",
                AGG + "select user_id, count(*) as cnt from {{ source('gen', 'events') }} group by user_id",
                Verdict.STATE_INCOMPATIBLE);
        add(
                "dedup_changed",
                AGG + "select user_id, id, amount from (select *, row_number() over (partition by user_id "
                        + "order by ts desc) as rn from {{ source('gen', 'events') }}) where rn = 1",
                AGG + "select user_id, id, amount from (select *, row_number() over (partition by user_id "
                        + "order by ts asc) as rn from {{ source('gen', 'events') }}) where rn = 1",
                Verdict.STATE_INCOMPATIBLE);
        add(
                "rank_changed",
                "{{ config(materialized='streaming_table', unique_key='user_id, rn') }}\n"
                        + "select user_id, rn, amount from (select user_id, amount, row_number() over (partition by user_id "
                        + "order by amount desc) as rn from {{ source('gen', 'events') }}) where rn <= 2",
                "{{ config(materialized='streaming_table', unique_key='user_id, rn') }}\n"
                        + "select user_id, rn, amount from (select user_id, amount, row_number() over (partition by "
                        + "user_id order by amount desc) as rn from {{ source('gen', 'events') }}) where rn <= 3",
                Verdict.STATE_INCOMPATIBLE);
        // the key is computed upstream of the aggregate: old keys keep their counts, new events get the new keys
        add(
                "key_expression_changed",
                "{{ config(materialized='streaming_table', unique_key='page') }}\n"
                        + "select url as page, count(*) as cnt from {{ source('gen', 'events') }} group by url",
                "{{ config(materialized='streaming_table', unique_key='page') }}\n"
                        + "select upper(url) as page, count(*) as cnt from {{ source('gen', 'events') }} "
                        + "group by upper(url)",
                Verdict.STATE_COMPATIBLE);
        add(
                "untouched",
                AGG + "select user_id, count(*) as cnt from {{ source('gen', 'events') }} group by user_id",
                AGG + "select user_id, count(*) as cnt from {{ source('gen', 'events') }} group by user_id",
                Verdict.UNCHANGED);
    }

    private StateCases() {}

    private static void add(String model, String before, String after, Verdict verdict) {
        CASES.put(model, new Case(model, before, after, verdict));
    }

    static String sources(int rows, int rowsPerSecond) {
        return """
                version: 2
                sources:
                  - name: gen
                    tables:
                """ + table("events", rows, rowsPerSecond) + table("others", rows, rowsPerSecond);
    }

    private static String table(String name, int rows, int rowsPerSecond) {
        return """
                      - name: %s
                        config:
                          connector_properties:
                            connector: datagen
                            rows-per-second: '%d'
                            fields.id.kind: sequence
                            fields.id.start: '1'
                            fields.id.end: '%d'
                          watermark:
                            column: ts
                            strategy: ts - INTERVAL '1' SECOND
                        columns:
                          - name: id
                            data_type: BIGINT NOT NULL
                          - name: user_id
                            data_type: BIGINT
                            column_type: computed
                            expression: id %% 5
                          - name: amount
                            data_type: INT
                            column_type: computed
                            expression: cast(id %% 100 as int)
                          - name: url
                            data_type: STRING
                            column_type: computed
                            expression: concat('/p', cast(id %% 3 as string))
                          - name: ts
                            data_type: TIMESTAMP(3)
                            column_type: computed
                            expression: timestampadd(second, cast(id as int), timestamp '2026-01-01 00:00:00')
                """.formatted(name, rowsPerSecond, rows);
    }

    /** Writes the project with every model in its baseline ({@code after} false) or changed version. */
    static void write(Path project, boolean after, int rows, int rowsPerSecond) {
        TestProjects.write(project, "src/main/sql/sources.yml", sources(rows, rowsPerSecond));
        for (Case c : CASES.values()) {
            TestProjects.write(project, "src/main/sql/" + c.model() + ".sql", after ? c.after() : c.before());
        }
    }
}
