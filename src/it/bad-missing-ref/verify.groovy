def log = new File(basedir, 'build.log').getText('UTF-8')
assert log.contains('''src/main/sql/orders_enriched.sql:4:6  ref('custmers') names no model. Did you mean 'customers'?''') : 'build.log lacks: ' + '''src/main/sql/orders_enriched.sql:4:6  ref('custmers') names no model. Did you mean 'customers'?'''
assert log.contains('''Nothing was written to target/flink-dbt. Fix the problems above and run: mvn compile''') : 'build.log lacks: ' + '''Nothing was written to target/flink-dbt. Fix the problems above and run: mvn compile'''
assert !new File(basedir, 'target/flink-dbt/manifest.json').exists() : 'a failed build wrote output'
