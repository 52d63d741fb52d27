import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').getText('UTF-8')
// 1.0: no baseline, every streaming model NEW
assert log.contains('No baseline given: every streaming model is NEW.')
// 1.1 against the installed 1.0 bundle, resolved by its coordinates
assert log =~ /state compatibility of 3 streaming models against .*state-compat-bundle-1\.0\.jar/
assert log =~ /clicks_per_user\s+STATE_COMPATIBLE\s+group-aggregate: keeps state computed before the change upstream: filter/
assert log =~ /top_amount\s+STATE_INCOMPATIBLE\s+group-aggregate: aggregate changed: MAX\(amount\) → MIN\(amount\)/
assert log.contains('top_amount cannot keep its state; its policy reprocess rebuilds it from the sources when it is deployed.')
// the group key change under policy 'fail'
assert log.contains('amount_per_url cannot keep its state (policy: fail): group-aggregate: group keys [url] → [user_id, url].')
assert log.contains("{{ config(on_state_incompatible='reprocess') }}")
// an unknown release
assert log.contains('-Dflink-dbt.baseline=it:state-compat-bundle:0.9: cannot resolve the bundle')

def report = new JsonSlurper().parse(new File(basedir, 'target/flink-dbt/state-compat.json'))
def verdicts = report.models.collectEntries { [(it.name): it.verdict] }
assert verdicts == [amount_per_url: 'STATE_INCOMPATIBLE', clicks_per_user: 'STATE_COMPATIBLE', top_amount: 'STATE_INCOMPATIBLE']
