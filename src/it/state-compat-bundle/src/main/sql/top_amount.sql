{{ config(materialized='streaming_table', unique_key='user_id', on_state_incompatible='reprocess') }}
select user_id, {{ 'min' if var('v2', '') == 'yes' else 'max' }}(amount) as amount
from {{ source('shop', 'clicks') }}
group by user_id
