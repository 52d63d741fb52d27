{{ config(materialized='streaming_table') }}
-- Orders joined with the product page the buyer saw shortly before ordering (interval join).
select
    o.order_id,
    o.user_id,
    o.product_id,
    o.amount,
    v.page_path,
    v.viewed_at,
    o.ordered_at
from {{ ref('valid_orders') }} o
join {{ ref('stg_page_views') }} v
  on o.user_id = v.user_id
 and o.product_id = v.product_id
 and v.viewed_at between o.ordered_at - interval '{{ var("attribution_window_minutes") }}' minute and o.ordered_at
