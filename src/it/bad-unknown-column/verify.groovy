def log = new File(basedir, 'build.log').getText('UTF-8')
assert log.contains('''src/main/sql/bad_column.sql:3:3  Column 'nonexistent_col' not found in ref('customers').''') : 'build.log lacks: ' + '''src/main/sql/bad_column.sql:3:3  Column 'nonexistent_col' not found in ref('customers').'''
assert log.contains('''(columns of ref('customers'): customer_id, name)''') : 'build.log lacks: ' + '''(columns of ref('customers'): customer_id, name)'''
assert !new File(basedir, 'target/flink-dbt/manifest.json').exists() : 'a failed build wrote output'
