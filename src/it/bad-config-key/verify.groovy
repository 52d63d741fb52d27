def log = new File(basedir, 'build.log').getText('UTF-8')
assert log.contains('''src/main/sql/schema.yml:5:7  Unknown config key 'materialised'. Did you mean 'materialized'?''') : 'build.log lacks: ' + '''src/main/sql/schema.yml:5:7  Unknown config key 'materialised'. Did you mean 'materialized'?'''
assert !new File(basedir, 'target/flink-dbt/manifest.json').exists() : 'a failed build wrote output'
