-- orders with their customer
select o.order_id, c.name
from {{ source('shop', 'orders') }} o
join {{ ref('custmers') }} c on o.customer_id = c.customer_id
