{{ config(materialized='streaming_table', unique_key='user_id') }}
select user_id, count(*) as clicks
from {{ source('shop', 'clicks') }}
{% if var('v2', '') == 'yes' %}where url <> '/health'{% endif %}
group by user_id
