{{ config(materialized='streaming_table', unique_key='k') }}
select 'all' as k, count(*) as cnt, max(id) as max_id from {{ source('gen', 'ticks') }}
{% if var('v2', 'no') == 'yes' %}where id > 0{% endif %}
group by 'all'
