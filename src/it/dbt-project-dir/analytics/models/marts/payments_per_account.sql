{{ config(unique_key='account') }}
select account, count(*) as payments, sum(amount_cents) as total_cents
from {{ ref('stg_payments') }}
group by account
