def log = new File(basedir, 'build.log').getText('UTF-8')
def run = new File(basedir, '.flink-dbt/cluster/run')

// every process the status printed while the cluster ran; none may be left, whatever else failed
def pids = (log =~ /(jobmanager|taskmanager-\d)\s+pid (\d+)\s+running/).collect { it[2] as long }.unique()
def alive = pids.findAll { ProcessHandle.of(it).map { it.isAlive() }.orElse(false) }
alive.each { ProcessHandle.of(it).ifPresent { it.destroyForcibly() } }
assert alive.isEmpty() : "processes of the cluster left running: ${alive}"

// started once, found running the second time
assert log =~ /Flink cluster started in \d+ ms: 1 JobManager, 2 TaskManager\(s\) with 2 slot\(s\) each/
assert log.contains('flink-dbt: web UI and REST API at http://localhost:18381')
assert log =~ /the Flink cluster in .* was already running/
assert new File(basedir, '.flink-dbt/cluster/conf/config.yaml').getText('UTF-8').contains('rest.port: 18381')
assert new File(basedir, '.flink-dbt/cluster/log/jobmanager.log').length() > 0
assert new File(basedir, '.flink-dbt/cluster/log/taskmanager-2.log').length() > 0

// the run went to that cluster and wrote its Iceberg tables
assert log.contains('flink-dbt: Flink cluster, web UI at http://localhost:18381')
assert log =~ /tick_count\s+streaming_table\s+OK\s+job [0-9a-f]{32}, 1,000 rows/
assert log =~ /even_ticks\s+table\s+OK\s+job [0-9a-f]{32}, 500 rows/
assert new File(basedir, '.flink-dbt/warehouse/ticks/tick_count/metadata').isDirectory()

// the status while it ran: both TaskManagers, their slots, the run's jobs (ended)
assert pids.size() == 3
assert log.contains('2 TaskManager(s) registered, 4 slot(s), 4 free')
assert log =~ /0 running job\(s\), 2 ended/

// stopped gracefully; the status afterwards says nothing was started
assert log =~ /Flink cluster in .*: stopped 3 process\(es\) in \d+ ms\n/
assert log.contains('No Flink cluster was started from')
assert !run.exists() || run.listFiles().length == 0
