def log = new File(basedir, 'build.log').getText('UTF-8')
assert log.contains('''src/main/sql/m.sql:2:1  Jinja error: Syntax error in '{% if %}': Tag 'if' expects expression''') : 'build.log lacks: ' + '''src/main/sql/m.sql:2:1  Jinja error: Syntax error in '{% if %}': Tag 'if' expects expression'''
assert !new File(basedir, 'target/flink-dbt/manifest.json').exists() : 'a failed build wrote output'
