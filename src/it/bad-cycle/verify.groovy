def log = new File(basedir, 'build.log').getText('UTF-8')
assert log.contains('''src/main/sql/a.sql:1:15  Models form a cycle: a -> b -> a''') : 'build.log lacks: ' + '''src/main/sql/a.sql:1:15  Models form a cycle: a -> b -> a'''
assert log.contains('''src/main/sql/b.sql:2:3  b reads ref('a')''') : 'build.log lacks: ' + '''src/main/sql/b.sql:2:3  b reads ref('a')'''
assert !new File(basedir, 'target/flink-dbt/manifest.json').exists() : 'a failed build wrote output'
