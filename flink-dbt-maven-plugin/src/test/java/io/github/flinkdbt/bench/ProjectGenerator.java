package io.github.flinkdbt.bench;

import io.github.flinkdbt.TestProjects;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Generates an N-model project for benchmarks, shaped like a production clickstream project: wide
 * datagen sources with watermarks, staging views of ~25 columns (casts, CASE, string and date
 * functions, filters), and marts on them: multi-measure group aggregates, event-time window
 * aggregates, interval joins of three inputs, CTE pipelines, deduplication and top-N. Each model
 * reads recent models, so the DAG is wide as well as deep. The bare planner takes ~43 ms a
 * statement on them, warm, on the 2-core reference machine (see site/benchmarks.md).
 */
public final class ProjectGenerator {

    public static final int SOURCES = 5;

    private static final List<String> SOURCE_COLUMNS = List.of(
            "event_id BIGINT",
            "user_id BIGINT",
            "session_id STRING",
            "item_id BIGINT",
            "category STRING",
            "subcategory STRING",
            "brand STRING",
            "country STRING",
            "region STRING",
            "city STRING",
            "device STRING",
            "os STRING",
            "browser STRING",
            "url STRING",
            "referrer STRING",
            "campaign STRING",
            "amount DECIMAL(10, 2)",
            "discount DECIMAL(10, 2)",
            "tax DECIMAL(10, 2)",
            "quantity INT",
            "event_type STRING",
            "experiment STRING",
            "variant_name STRING",
            "latency_ms INT",
            "event_time TIMESTAMP(3)");

    /** The columns every staging view produces. */
    private static final String STAGING = "event_id, user_id, session_id, item_id, category, subcategory, brand, "
            + "country, region, city, device_class, os_family, browser, url_path, referrer_class, campaign, amount, "
            + "discount, tax, quantity, net_revenue, event_type, is_purchase, is_click, experiment_arm, slow_page, "
            + "event_time";

    private ProjectGenerator() {}

    /** A generated model: its name, materialization and SQL (with Jinja refs). */
    public record GeneratedModel(String name, String kind, String sql) {}

    public static List<GeneratedModel> models(int count) {
        List<GeneratedModel> models = new ArrayList<>();
        List<String> staging = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String name = String.format(Locale.ROOT, "m%04d", i);
            int kind = staging.size() < 3 ? 0 : i % 10;
            String a = pick(staging, i, 7);
            String b = pick(staging, i + 3, 5);
            String c = pick(staging, i + 5, 9);
            String type = "streaming_table";
            String sql;
            switch (kind) {
                case 0, 5 -> {
                    type = "view";
                    sql = stagingFromSource("{{ source('gen', 'events_" + (i % SOURCES) + "') }}", i);
                }
                case 1 ->
                    sql = "{{ config(materialized='streaming_table', unique_key='user_id, category') }}\n"
                            + "with view_stats as (\n  select user_id, category, count(*) as view_count, max(event_time) as last_view\n"
                            + "  from " + a + "\n  where event_type = 'view'\n  group by user_id, category\n),\n"
                            + "purchases as (\n  select user_id, category, sum(net_revenue) as revenue, count(*) as orders\n"
                            + "  from " + b + "\n  where is_purchase = 1\n  group by user_id, category\n)\n"
                            + "select v.user_id, v.category, v.view_count, v.last_view,\n  coalesce(p.revenue, 0) as revenue,\n"
                            + "  coalesce(p.orders, 0) as orders,\n"
                            + "  case when v.view_count = 0 then 0.0 else cast(coalesce(p.orders, 0) as double) / v.view_count end "
                            + "as conversion\nfrom view_stats v\nleft join purchases p on v.user_id = p.user_id and "
                            + "v.category = p.category\n";
                case 2 ->
                    sql = "{{ config(materialized='streaming_table', unique_key='user_id, country, device_class') }}\n"
                            + "with events as (\n  select * from " + a
                            + "\n  where event_type <> 'bot' and amount >= 0\n)\n"
                            + "select user_id, country, device_class,\n  count(*) as events,\n"
                            + "  count(distinct session_id) as sessions,\n  sum(net_revenue) as revenue,\n"
                            + "  avg(amount) as avg_amount,\n  sum(is_purchase) as purchases,\n  sum(is_click) as clicks,\n"
                            + "  max(event_time) as last_seen,\n  min(event_time) as first_seen,\n"
                            + "  count(distinct item_id) as items,\n  count(distinct category) as categories,\n"
                            + "  sum(discount) as discounts,\n  sum(slow_page) as slow_pages,\n"
                            + "  max(case when experiment_arm = 'treatment' then 1 else 0 end) as in_treatment\n"
                            + "from events\ngroup by user_id, country, device_class\n";
                case 3 ->
                    sql = "{{ config(materialized='streaming_table') }}\n"
                            + "select window_start, window_end, category, device_class, country,\n  count(*) as events,\n"
                            + "  count(distinct user_id) as users,\n  sum(net_revenue) as revenue,\n"
                            + "  max(amount) as max_amount,\n  sum(is_click) as clicks,\n  sum(is_purchase) as purchases,\n"
                            + "  avg(cast(quantity as double)) as avg_quantity,\n  sum(slow_page) as slow_pages\n"
                            + "from table("
                            + (i % 20 == 3
                                    ? "hop(table " + a + ", descriptor(event_time), interval '1' minute, "
                                            + "interval '" + (5 + i % 10) + "' minute)"
                                    : "tumble(table " + a + ", descriptor(event_time), " + "interval '" + (1 + i % 10)
                                            + "' minute)")
                            + ")\n"
                            + "where event_type in ('view', 'click', 'purchase')\n"
                            + "group by window_start, window_end, category, device_class, country\n";
                case 4 ->
                    sql = "{{ config(materialized='streaming_table') }}\n"
                            + "select v.user_id, v.session_id, v.item_id, v.category, v.brand, v.device_class, v.country,\n"
                            + "  k.event_time as clicked_at, p.net_revenue, p.event_time as purchased_at,\n"
                            + "  v.event_time as viewed_at, v.url_path, v.referrer_class, v.campaign,\n"
                            + "  timestampdiff(second, v.event_time, p.event_time) as seconds_to_purchase,\n"
                            + "  case when p.net_revenue > 100 then 'large' when p.net_revenue > 20 then 'medium' "
                            + "else 'small' end as basket\n"
                            + "from " + a + " v\njoin " + b
                            + " k\n  on v.user_id = k.user_id and v.item_id = k.item_id\n"
                            + " and k.event_time between v.event_time and v.event_time + interval '10' minute\n"
                            + "join " + c + " p\n  on k.user_id = p.user_id and k.item_id = p.item_id\n"
                            + " and p.event_time between k.event_time and k.event_time + interval '" + (10 + i % 20)
                            + "' minute\nwhere v.event_type = 'view' and k.is_click = 1 and p.is_purchase = 1\n";
                case 6 ->
                    sql = "{{ config(materialized='streaming_table', unique_key='session_id') }}\n"
                            + "with ranked as (\n  select session_id, user_id, country, region, city, device_class, os_family, "
                            + "browser, referrer_class, campaign, experiment_arm, event_time,\n"
                            + "    row_number() over (partition by session_id order by event_time asc) as rn\n"
                            + "  from " + a + "\n  where session_id is not null\n)\n"
                            + "select session_id, user_id, country, region, city, device_class, os_family, browser,\n"
                            + "  referrer_class, campaign, experiment_arm, event_time as session_start\n"
                            + "from ranked\nwhere rn = 1\n";
                case 7 ->
                    sql = "{{ config(materialized='streaming_table', unique_key='category, item_id') }}\n"
                            + "with item_stats as (\n  select category, item_id, brand, count(*) as view_count, "
                            + "sum(net_revenue) as revenue,\n    sum(is_purchase) as purchases, count(distinct user_id) as viewers\n"
                            + "  from " + a + "\n  group by category, item_id, brand\n),\n"
                            + "scored as (\n  select *, cast(purchases as double) / nullif(viewers, 0) as conversion\n"
                            + "  from item_stats\n)\n"
                            + "select category, item_id, brand, view_count, revenue, purchases, conversion, item_rank from (\n"
                            + "  select *, row_number() over (partition by category order by revenue desc) as item_rank\n"
                            + "  from scored\n)\nwhere item_rank <= " + (3 + i % 5) + "\n";
                case 8 ->
                    sql = "{{ config(materialized='streaming_table') }}\n"
                            + "with clicks as (\n  select user_id, item_id, category, campaign, event_time from " + a
                            + " where is_click = 1\n),\n"
                            + "buys as (\n  select user_id, item_id, net_revenue, discount, event_time from " + b
                            + " where is_purchase = 1\n),\n"
                            + "joined as (\n  select c.user_id, c.item_id, c.category, c.campaign, b.net_revenue, b.discount,\n"
                            + "    c.event_time as clicked_at, b.event_time as bought_at\n"
                            + "  from clicks c\n  join buys b on c.user_id = b.user_id and c.item_id = b.item_id\n"
                            + "   and b.event_time between c.event_time - interval '1' hour and c.event_time + interval '1' hour\n)\n"
                            + "select user_id, item_id, category, coalesce(campaign, 'organic') as campaign, net_revenue,\n"
                            + "  discount, net_revenue - discount as margin, clicked_at, bought_at\nfrom joined\n"
                            + "where net_revenue > 0\n";
                default ->
                    sql = "{{ config(materialized='streaming_table') }}\n"
                            + "with all_events as (\n  select " + STAGING + " from " + a + "\n  union all\n  select "
                            + STAGING
                            + " from " + b + "\n)\n"
                            + "select window_start, window_end, country, region, count(*) as events,\n"
                            + "  sum(net_revenue) as revenue, count(distinct session_id) as sessions,\n"
                            + "  sum(is_purchase) as purchases, avg(amount) as avg_amount\n"
                            + "from table(tumble(table all_events, descriptor(event_time), interval '" + (1 + i % 15)
                            + "' minute))\ngroup by window_start, window_end, country, region\n";
            }
            models.add(new GeneratedModel(name, type, sql));
            if (kind == 0 || kind == 5) {
                staging.add(name);
            }
        }
        return models;
    }

    private static String pick(List<String> staging, int seed, int window) {
        if (staging.isEmpty()) {
            return null;
        }
        return "{{ ref('" + staging.get(staging.size() - 1 - (seed % Math.min(window, staging.size()))) + "') }}";
    }

    private static String stagingFromSource(String source, int i) {
        return "select\n  event_id,\n  user_id,\n  session_id,\n  item_id,\n  lower(trim(category)) as category,\n"
                + "  lower(trim(subcategory)) as subcategory,\n  initcap(brand) as brand,\n"
                + "  upper(coalesce(country, 'zz')) as country,\n  coalesce(region, 'unknown') as region,\n"
                + "  coalesce(city, 'unknown') as city,\n"
                + "  case when device in ('ios', 'android') then 'mobile' when device = 'tablet' then 'tablet' "
                + "else 'desktop' end as device_class,\n"
                + "  case when lower(os) like 'win%' then 'windows' when lower(os) like 'mac%' then 'macos' "
                + "when lower(os) like '%linux%' then 'linux' else 'other' end as os_family,\n"
                + "  lower(browser) as browser,\n"
                + "  regexp_extract(url, '^https?://[^/]+(/[^?]*)', 1) as url_path,\n"
                + "  case when referrer is null or referrer = '' then 'direct' when referrer like '%google%' "
                + "or referrer like '%bing%' then 'search' when referrer like '%facebook%' or referrer like '%instagram%' "
                + "then 'social' else 'referral' end as referrer_class,\n"
                + "  nullif(trim(campaign), '') as campaign,\n"
                + "  cast(amount as decimal(12, 2)) as amount,\n  coalesce(discount, 0) as discount,\n"
                + "  coalesce(tax, 0) as tax,\n  quantity,\n"
                + "  cast((amount - coalesce(discount, 0)) * quantity as decimal(14, 2)) as net_revenue,\n"
                + "  lower(event_type) as event_type,\n"
                + "  case when lower(event_type) = 'purchase' then 1 else 0 end as is_purchase,\n"
                + "  case when lower(event_type) = 'click' then 1 else 0 end as is_click,\n"
                + "  case when experiment is null then 'none' when mod(hash_code(variant_name), 2) = 0 then 'control' "
                + "else 'treatment' end as experiment_arm,\n"
                + "  case when latency_ms > 2000 then 1 else 0 end as slow_page,\n  event_time\n"
                + "from " + source + "\nwhere user_id is not null and event_id > " + i
                + " and char_length(url) < 2000\n"
                + "  and event_type not in ('heartbeat', 'debug')\n";
    }

    public static String sources() {
        StringBuilder yaml = new StringBuilder("version: 2\nsources:\n  - name: gen\n    tables:\n");
        for (int s = 0; s < SOURCES; s++) {
            yaml.append("      - name: events_")
                    .append(s)
                    .append('\n')
                    .append("        config:\n          connector_properties:\n            connector: datagen\n")
                    .append("          watermark:\n            column: event_time\n")
                    .append("            strategy: event_time - INTERVAL '5' SECOND\n")
                    .append("        columns:\n");
            for (String column : SOURCE_COLUMNS) {
                int space = column.indexOf(' ');
                yaml.append("          - {name: ")
                        .append(column, 0, space)
                        .append(", data_type: '")
                        .append(column.substring(space + 1))
                        .append("'}\n");
            }
        }
        return yaml.toString();
    }

    public static Path write(Path dir, int count) {
        TestProjects.write(dir, "src/main/sql/sources.yml", sources());
        for (GeneratedModel model : models(count)) {
            TestProjects.write(
                    dir,
                    "src/main/sql/layer" + (Integer.parseInt(model.name().substring(1)) / 100) + "/" + model.name()
                            + ".sql",
                    model.sql());
        }
        return dir;
    }
}
