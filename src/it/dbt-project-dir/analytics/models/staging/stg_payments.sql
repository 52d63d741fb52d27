select payment_id, lower(account) as account, {{ cents('amount') }} as amount_cents, paid_at
from {{ source('raw', 'payments') }}
where amount >= {{ var('min_amount') }}
