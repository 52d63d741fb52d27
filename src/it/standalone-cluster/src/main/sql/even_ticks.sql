{{ config(materialized='table') }}
select id from {{ source('gen', 'ticks') }} where mod(id, 2) = 0
