{{ config(materialized='table') }}
select k, cnt from {{ ref('tick_count') }}
