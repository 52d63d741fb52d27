{{ config(materialized='streaming_table', unique_key='user_id') }}
-- A running aggregate per user: the state that must survive every upgrade.
select
    user_id,
    count(*) as page_views,
    count(distinct product_id) as products_seen,
    max(viewed_at) as last_seen_at
from {{ ref('stg_page_views') }}
group by user_id
