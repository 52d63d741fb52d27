def log = new File(basedir, 'build.log').getText('UTF-8')
assert log.contains('''src/main/sql/m.sql:1:20  SQL syntax error at ",".''') : 'build.log lacks: ' + '''src/main/sql/m.sql:1:20  SQL syntax error at ",".'''
assert !new File(basedir, 'target/flink-dbt/manifest.json').exists() : 'a failed build wrote output'
