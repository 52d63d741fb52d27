def log = new File(basedir, 'build.log').getText('UTF-8')
assert log.contains('''src/main/sql/m.sql:1:8  No function matches to_cents(<NUMERIC>)''') : 'build.log lacks: ' + '''src/main/sql/m.sql:1:8  No function matches to_cents(<NUMERIC>)'''
assert log.contains('''functions:''') : 'build.log lacks: ' + '''functions:'''
assert log.contains('''class: com.example.ToCents''') : 'build.log lacks: ' + '''class: com.example.ToCents'''
assert !new File(basedir, 'target/flink-dbt/manifest.json').exists() : 'a failed build wrote output'
