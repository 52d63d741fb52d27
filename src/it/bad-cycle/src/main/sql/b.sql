select * from
  {{ ref('a') }}
