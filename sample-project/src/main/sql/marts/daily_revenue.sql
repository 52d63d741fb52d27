{{ config(materialized='incremental', unique_key='order_date', incremental_strategy='merge') }}
-- Revenue per day, recomputed only for days with new orders.
select
    cast(ordered_at as date) as order_date,
    sum(amount) as revenue,
    count(*) as order_count
from {{ ref('valid_orders') }}
{% if is_incremental() %}
where cast(ordered_at as date) >= (select max(order_date) from {{ this }})
{% endif %}
group by cast(ordered_at as date)
