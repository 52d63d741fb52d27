def log = new File(basedir, 'build.log').getText('UTF-8')
assert log.contains('''src/main/sql/m.sql:1:15  Table 'customers' is not known; 'customers' is a model.''') : 'build.log lacks: ' + '''src/main/sql/m.sql:1:15  Table 'customers' is not known; 'customers' is a model.'''
assert log.contains('''Read it with {{ ref('customers') }}.''') : 'build.log lacks: ' + '''Read it with {{ ref('customers') }}.'''
assert !new File(basedir, 'target/flink-dbt/manifest.json').exists() : 'a failed build wrote output'
