{{ config(materialized='streaming_table', unique_key='url') }}
select url, sum(amount) as amount
from {{ source('shop', 'clicks') }}
group by url{% if var('rekey', '') == 'yes' %}, user_id{% endif %}
