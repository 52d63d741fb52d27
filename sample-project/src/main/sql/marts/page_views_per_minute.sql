{{ config(materialized='streaming_table', unique_key='window_start, product_id') }}
-- Event-time tumbling windows: a row per product and minute, final once the watermark passes.
select
    window_start,
    window_end,
    product_id,
    count(*) as view_count,
    count(distinct user_id) as visitor_count
from table(
    tumble(table {{ ref('stg_page_views') }}, descriptor(viewed_at), interval '1' minute)
)
group by window_start, window_end, product_id
