// each case fails with the errors in its expected.txt, in its own part of the log, and writes nothing
def log = new File(basedir, 'build.log').getText('UTF-8')
def cases = new File(basedir, 'pom.xml').getText('UTF-8').findAll(/<module>([^<]+)<\/module>/) { it[1] }
assert cases.size() == 10
cases.each { name ->
    def start = log.indexOf("Building ${name} 1.0")
    assert start >= 0 : "${name} was not built"
    def next = log.indexOf('Building ', start + 1)
    def part = log.substring(start, next > 0 ? next : log.length())
    new File(basedir, "${name}/expected.txt").readLines().findAll { it }.each { expected ->
        assert part.contains(expected) : "${name}: the build log lacks: ${expected}"
    }
    assert part.contains('Nothing was written to target/flink-dbt. Fix the problems above and run: mvn compile') : name
    assert !new File(basedir, "${name}/target/flink-dbt/manifest.json").exists() : "${name}: a failed build wrote output"
}
// and Maven names every one of them as failed
cases.each { name -> assert log =~ /${name} \.+ FAILURE/ : "${name} did not fail" }
true
