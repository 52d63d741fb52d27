def log = new File(basedir, 'build.log').getText('UTF-8')

// every process of the cluster the deploy started; none may be left, whatever else failed
def pids = (log =~ /(jobmanager|taskmanager-\d)\s+pid (\d+)/).collect { it[2] as long }.unique()
def alive = pids.findAll { ProcessHandle.of(it).map { it.isAlive() }.orElse(false) }
alive.each { ProcessHandle.of(it).ifPresent { it.destroyForcibly() } }
assert alive.isEmpty() : "processes of the cluster left running: ${alive}"

// the embedded cluster was refused, before anything was compiled or started
assert log.contains('Nothing to deploy to: the embedded cluster ends with the build')
assert log.contains('mvn flink-dbt:start-cluster')

// the lifecycle's deploy phase deployed the model (and published nothing: no distributionManagement)
assert log.contains('--- flink-dbt-maven-plugin:') && log =~ /:deploy \(default-deploy\) @ deploy ---/
assert !log.contains('maven-deploy-plugin')
assert log =~ /\+ tick_count\s+CREATE\s+NEW\s+starts without state/
assert log =~ /tick_count: RUNNING, first checkpoint completed/
assert log.contains('flink-dbt: deployment #1 committed.')
// batch models applied as run applies them, in DAG order around the streaming one
assert log.contains('batch models applied first, in DAG order: tiers, gold_tiers')
assert log.contains('batch models applied after the streaming ones (they read them): count_snapshot')
assert log =~ /gold_tiers\s+table\s+OK\s+job [0-9a-f]{32}, 1 row/
assert log =~ /count_snapshot\s+table\s+OK/
// status reads the ledger
assert log =~ /tick_count\s+RUNNING\s+job [0-9a-f]{32}\s+plan [0-9a-f]{12}\s+since #1/

// the changed model upgraded through a savepoint by mvn deploy, then taken back by rollback
assert log =~ /~ tick_count\s+UPGRADE\s+STATE_COMPATIBLE\s+stop with savepoint, restore/
assert log.contains('flink-dbt: deployment #2 committed.')
assert log =~ /tick_count\s+RUNNING\s+job [0-9a-f]{32}\s+plan [0-9a-f]{12}\s+since #2/
assert log =~ /rollback of deployment #2 on http:\/\/localhost:18382/
assert log =~ /~ tick_count\s+UPGRADE\s+ROLLBACK\s+back to plan [0-9a-f]{12} from savepoint-/
assert log.contains('flink-dbt: deployment #3 committed.')
// history: the three deployments, the last one the rollback of the second
assert log =~ /3 deployment\(s\) in/
assert log.contains('tick_count CREATE committed')
assert log =~ /#3 .*rollback of #2/

// the bundle the lifecycle installed, resolved by its coordinates and deployed as built (with the change the
// working tree no longer has): an upgrade, its seed and batch models from the bundle too
assert log.contains('flink-dbt: deploying the bundle it:deploy:1.0 (project deploy, ')
assert log =~ /~ tick_count\s+UPGRADE\s+STATE_COMPATIBLE\s+stop with savepoint, restore/
assert log.contains('flink-dbt: deployment #4 committed.')
assert log =~ /#4 .*bundle it:deploy:1.0/

// the ledger: owner-only, one file per record
def records = new File(basedir, '.flink-dbt/ledger/deploy/records')
// #1: started, intent, submitting, healthy, committed, finished; #2, #3 and #4 with a savepoint triggered and
// taken besides; no savepoint disposed of (the default keeps 3)
def recordFiles = records.listFiles().findAll { it.name.endsWith('.json') }
assert recordFiles.size() == 6 + 8 + 8 + 8
assert recordFiles.count { it.getText('UTF-8').contains('"bundle"') && it.getText('UTF-8').contains('it:deploy:1.0') } == 1
def perms = java.nio.file.Files.getPosixFilePermissions(records.toPath())
assert perms.collect { it.toString() }.every { it.startsWith('OWNER') }
assert log =~ /Flink cluster in .*: stopped 2 process\(es\) in \d+ ms\n/
