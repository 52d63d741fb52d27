{{ config(materialized='table') }}
select tier, name from {{ ref('tiers') }} where tier >= 3
