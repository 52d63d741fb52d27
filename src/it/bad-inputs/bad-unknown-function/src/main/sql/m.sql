select to_cents(order_id) as cents
from {{ source('shop', 'orders') }}
