-- Page views with the URL reduced to its path (a Java UDF of this project).
select
    user_id,
    product_id,
    url_path(url) as page_path,
    viewed_at
from {{ source('shop', 'page_views') }}
where user_id is not null
