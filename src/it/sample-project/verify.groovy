import java.util.jar.JarFile

def sample = new File(basedir, '../../../../sample-project').canonicalFile
def log = new File(basedir, 'build.log').getText('UTF-8')
def output = new File(sample, 'target/flink-dbt')

// the DAG and where the plans went
assert log.contains('flink-dbt: clickstream: 7 models: 1 ephemeral, 1 incremental, 3 streaming_table, 2 view valid')
assert log =~ /user_activity\s+streaming_table\s+<- stg_page_views/
assert log =~ /attributed_orders\s+streaming_table\s+<- valid_orders, stg_page_views/
assert log.contains('Wrote target/flink-dbt: compiled/ (8 SQL files), plans/ (3 compiled plans), manifest.json')
// the second build found nothing to do
assert log.contains('flink-dbt: clickstream: 7 models, nothing changed since the last build')

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
