select
  customer_id,
  nonexistent_col
from {{ ref('customers') }}
