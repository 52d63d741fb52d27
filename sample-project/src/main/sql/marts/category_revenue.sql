{{ config(materialized='table') }}
-- Revenue per product category: orders joined with the products seed, rebuilt on every run.
select
    p.category,
    count(*) as order_count,
    sum(o.amount) as revenue,
    max(o.amount) as largest_order
from {{ ref('valid_orders') }} o
join {{ ref('products') }} p on o.product_id = p.product_id
group by p.category
