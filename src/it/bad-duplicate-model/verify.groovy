def log = new File(basedir, 'build.log').getText('UTF-8')
assert log.contains('''src/main/sql/staging/orders.sql  Two models are named 'orders': src/main/sql/marts/orders.sql and src/main/sql/staging/orders.sql.''') : 'build.log lacks: ' + '''src/main/sql/staging/orders.sql  Two models are named 'orders': src/main/sql/marts/orders.sql and src/main/sql/staging/orders.sql.'''
assert !new File(basedir, 'target/flink-dbt/manifest.json').exists() : 'a failed build wrote output'
