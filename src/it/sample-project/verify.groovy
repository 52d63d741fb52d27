import java.util.jar.JarFile

def sample = new File(basedir, '../../../../sample-project').canonicalFile
def log = new File(basedir, 'build.log').getText('UTF-8')
def output = new File(sample, 'target/flink-dbt')

// the DAG and where the plans went
assert log.contains('flink-dbt: clickstream: 9 models: 1 ephemeral, 1 incremental, 1 seed, 3 streaming_table, 1 table, 2 view valid')
assert log =~ /user_activity\s+streaming_table\s+<- stg_page_views/
assert log =~ /attributed_orders\s+streaming_table\s+<- valid_orders, stg_page_views/
assert log.contains('Wrote target/flink-dbt: compiled/ (10 SQL files), plans/ (3 compiled plans), manifest.json')
// the second build found nothing to do
assert log.contains('flink-dbt: clickstream: 9 models, nothing changed since the last build')

def plan = new File(output, 'plans/user_activity.json').getText('UTF-8')
assert plan.contains('"table.exec.uid.format": "user_activity/group-aggregate/<transformation>"')
assert plan.contains('"table.exec.state.ttl"') || plan.contains('"ttl": "7 d"') || plan.contains('604800000')
def compiled = new File(output, 'compiled/stg_page_views.sql').getText('UTF-8')
assert compiled.contains('url_path(url) as page_path') && compiled.contains('`flink_dbt`.`shop`.`page_views`')
assert new File(output, 'compiled/daily_revenue.incremental.sql').getText('UTF-8').contains('`flink_dbt`.`clickstream`.`daily_revenue`')

// the bundle: exactly what was validated, with the project's UDF
def bundle = new JarFile(new File(sample, 'target/clickstream-1.0.0-SNAPSHOT.jar'))
assert bundle.getEntry('flink-dbt/manifest.json') != null
assert bundle.getEntry('flink-dbt/plans/attributed_orders.json') != null
assert bundle.getEntry('com/example/clickstream/UrlPath.class') != null
bundle.close()

// run: every model ran on the embedded cluster, and the results were shown
assert log =~ /flink-dbt: embedded Flink cluster, web UI at http:\/\/[0-9.a-z]+:\d+/
assert log =~ /products\s+seed\s+OK\s+job [0-9a-f]{32}, 40 rows/
assert log =~ /user_activity\s+streaming_table\s+OK\s+job [0-9a-f]{32}, 5,000 rows/
assert log =~ /category_revenue\s+table\s+OK\s+job [0-9a-f]{32}, 5 rows/
assert log =~ /daily_revenue\s+incremental\s+OK/
assert log.contains('flink-dbt: first rows of flink_dbt.clickstream.user_activity:')
assert log =~ /category\s+\| order_count \| revenue\s+\| largest_order/
assert log.contains('flink-dbt: clickstream: 9 OK, 0 failed, 0 skipped')
def results = new groovy.json.JsonSlurper().parse(new File(output, 'run_results.json'))
assert results.results.size() == 9
assert results.results.every { it.status == 'success' }
def home = [new File(sample, 'target/flink-dbt-home'), new File(basedir, 'target/flink-dbt-home')].find { it.isDirectory() }
assert home != null : 'the run home under target/'
assert new File(home, 'warehouse/clickstream/user_activity/metadata').isDirectory()
assert new File(home, 'catalog-store/flink_dbt.yaml').isFile()

// snapshot-test in the test phase: unit tests on given rows, data tests on the source fixtures
assert log.contains('flink-dbt: clickstream: 4 unit tests, 16 data tests against fixtures')
assert log =~ /PASS\s+unit\s+user_activity_counts_views_and_distinct_products/
assert log =~ /PASS\s+unit\s+stg_page_views_keeps_the_path_of_known_visitors/
assert log.contains('flink-dbt: clickstream: tests against fixtures: 20 run, 20 passed, 0 failed')
def unitReport = new File(sample, 'target/flink-dbt-reports/TEST-flink-dbt.clickstream.unit.xml').getText('UTF-8')
assert unitReport.contains('tests="4"') && unitReport.contains('failures="0"')
assert new File(sample, 'target/flink-dbt-reports/TEST-flink-dbt.clickstream.data.xml').isFile()
// -Dflink-dbt.skipTests skips them
assert log.contains('flink-dbt: tests are skipped.')
// run: each model's data tests right after it, on the table it wrote
assert log =~ /(?s)user_activity\s+streaming_table\s+OK.*PASS\s+data\s+unique_user_activity_user_id/

// verify phase: check-state-compat against the home the run left (its plans):
// all three streaming models are UNCHANGED.
assert log =~ /state compatibility of 3 streaming models against deployed/
assert log =~ /user_activity\s+UNCHANGED/
assert log =~ /page_views_per_minute\s+UNCHANGED/
assert log =~ /attributed_orders\s+UNCHANGED/
def compat = new groovy.json.JsonSlurper().parse(new File(output, 'state-compat.json'))
assert compat.models.collect { it.verdict } == ['UNCHANGED', 'UNCHANGED', 'UNCHANGED']
assert new File(output, 'state-compat.md').isFile()
