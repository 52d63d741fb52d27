select
    order_id,
    user_id,
    product_id,
    amount,
    {{ to_cents('amount') }} as amount_cents,
    ordered_at
from {{ source('shop', 'orders') }}
