package io.github.flinkdbt.mojo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.flinkdbt.api.IcebergCatalog;
import io.github.flinkdbt.api.Invocation;
import io.github.flinkdbt.api.Option;
import io.github.flinkdbt.api.Settings;
import io.github.flinkdbt.common.FlinkDbtException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.maven.execution.DefaultMavenExecutionRequest;
import org.apache.maven.execution.DefaultMavenExecutionResult;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.model.Build;
import org.apache.maven.model.Model;
import org.apache.maven.project.MavenProject;
import org.apache.maven.settings.Proxy;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.building.SettingsProblem;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.apache.maven.settings.crypto.SettingsDecryptionResult;
import org.codehaus.plexus.util.xml.Xpp3Dom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the goals' parameters and properties become the core's settings: the way Jib tests its
 * {@code MavenRawConfiguration}, with real Maven project and session objects.
 */
class ParameterMappingTest {

    @TempDir
    Path dir;

    private final Properties projectProperties = new Properties();
    private final Properties systemProperties = new Properties();
    private final Properties userProperties = new Properties();

    /** A goal as Maven would have configured it with its defaults; set the properties before. */
    private <T extends AbstractFlinkDbtMojo> T configured(T mojo) {
        Model model = new Model();
        model.setGroupId("com.example");
        model.setArtifactId("clickstream");
        model.setVersion("1.0");
        model.setProperties(projectProperties);
        Build build = new Build();
        build.setDirectory(dir.resolve("target").toString());
        build.setOutputDirectory(dir.resolve("target/classes").toString());
        model.setBuild(build);
        MavenProject project = new MavenProject(model);
        project.setFile(dir.resolve("pom.xml").toFile());
        DefaultMavenExecutionRequest request = new DefaultMavenExecutionRequest();
        request.setSystemProperties(systemProperties);
        request.setUserProperties(userProperties);
        mojo.project = project;
        mojo.session = new MavenSession(null, null, request, new DefaultMavenExecutionResult());
        mojo.pluginVersion = "9.9";
        mojo.projectDir = dir.toFile();
        mojo.outputDirectory = dir.resolve("target/flink-dbt").toFile();
        mojo.cacheDirectory = dir.resolve("target/flink-dbt-cache").toFile();
        mojo.useCache = true;
        mojo.catalog = "flink_dbt";
        mojo.target = "dev";
        mojo.fork = true;
        mojo.home = dir.resolve(".flink-dbt").toString();
        return mojo;
    }

    @Test
    void varsComeFromThePomTheYamlMappingAndSingleProperties() throws Exception {
        projectProperties.setProperty("flink-dbt.vars.owner", "project-property");
        userProperties.setProperty("flink-dbt.vars.owner", "command-line");
        systemProperties.setProperty("flink-dbt.vars.shell", "system");
        CompileModelsMojo mojo = configured(new CompileModelsMojo());
        mojo.vars = new TreeMap<>(Map.of("region", "eu", "limit", "5", "owner", "pom"));
        mojo.varsYaml = "{limit: 10, start: 2026-01-01, tags: [a, b]}";

        Map<String, Object> vars = mojo.request().settings().compile().vars();

        // <vars>, then -Dflink-dbt.vars='{...}' (typed), then each -Dflink-dbt.vars.<name> (command line last)
        assertThat(vars)
                .containsEntry("region", "eu")
                .containsEntry("limit", 10)
                .containsEntry("start", "2026-01-01")
                .containsEntry("tags", List.of("a", "b"))
                .containsEntry("owner", "command-line")
                .containsEntry("shell", "system");
    }

    @Test
    void aVarsValueThatIsNoMappingIsOneClearError() {
        CompileModelsMojo mojo = configured(new CompileModelsMojo());
        mojo.varsYaml = "just a string";
        assertThatThrownBy(mojo::request)
                .isInstanceOf(FlinkDbtException.class)
                .hasMessage("-Dflink-dbt.vars must be a YAML mapping, e.g. "
                        + "-Dflink-dbt.vars='{start_date: 2026-01-01, region: eu}'");
    }

    @Test
    void flinkOptionsComeFromThePomAndConfProperties() throws Exception {
        userProperties.setProperty("flink-dbt.conf.table.exec.state.ttl", "2 h");
        userProperties.setProperty("flink-dbt.conf.", "ignored: no option name");
        userProperties.setProperty("unrelated.conf.x", "y");
        CompileModelsMojo mojo = configured(new CompileModelsMojo());
        mojo.flinkConfiguration = new TreeMap<>(Map.of("table.exec.state.ttl", "1 h", "parallelism.default", "2"));

        assertThat(mojo.request().settings().compile().flinkConfiguration())
                .isEqualTo(Map.of("table.exec.state.ttl", "2 h", "parallelism.default", "2"));
    }

    @Test
    void theCompileIsKeptOnlyWhenALaterGoalOfTheBuildRunsIt() throws Exception {
        Map<List<String>, Boolean> expected = Map.of(
                List.of("flink-dbt:run"), true,
                List.of("clean", "verify"), true,
                List.of("test"), true,
                List.of("compile", "flink-dbt:snapshot-test"), true,
                List.of("io.github.flinkdbt:flink-dbt-maven-plugin:1.0:run"), true,
                List.of("compile"), false,
                List.of("clean", "flink-dbt:compile-models"), false,
                List.of("flink-dbt:check-state-compat"), false);
        for (Map.Entry<List<String>, Boolean> goals : expected.entrySet()) {
            CompileModelsMojo mojo = configured(new CompileModelsMojo());
            mojo.session.getRequest().setGoals(goals.getKey());
            assertThat(mojo.request().invocation().keepCompiled())
                    .as("%s", goals.getKey())
                    .isEqualTo(goals.getValue());
        }
    }

    @Test
    void jvmOptionsAreSplitOnSpacesAndEachForkedJvmHasItsOwn() throws Exception {
        RunMojo run = configured(new RunMojo());
        run.jvmArgs = " -Xmx3g   -XX:+UseSerialGC ";
        setField(run, "runJvmArgs", "-Xmx6g");
        Invocation invocation = run.request().invocation();
        assertThat(invocation.plannerJvmArgs()).containsExactly("-Xmx3g", "-XX:+UseSerialGC");
        assertThat(invocation.runJvmArgs()).containsExactly("-Xmx6g");
        assertThat(invocation.fork()).isTrue();

        SnapshotTestMojo test = configured(new SnapshotTestMojo());
        setField(test, "against", "fixtures");
        setField(
                test,
                "reportsDirectory",
                dir.resolve("target/flink-dbt-reports").toFile());
        Invocation defaults = test.request().invocation();
        assertThat(defaults.plannerJvmArgs()).isEqualTo(Invocation.defaultPlannerJvmArgs());
        assertThat(defaults.testJvmArgs()).isEqualTo(Invocation.DEFAULT_RUN_JVM_ARGS);
    }

    @Test
    void eachGoalAddsItsOwnSettings() throws Exception {
        RunMojo run = configured(new RunMojo());
        setField(run, "restPort", 8081);
        setField(run, "fullRefresh", true);
        setField(run, "keepRunning", true);
        setField(run, "show", List.of("a", "b"));
        setField(run, "skipTests", true);
        assertThat(run.request().settings().run())
                .isEqualTo(new Settings.Run(8081, true, true, false, List.of("a", "b")));

        SnapshotTestMojo test = configured(new SnapshotTestMojo());
        setField(test, "against", "deployed");
        setField(test, "asOf", "2026-11-24T10:15:00Z");
        setField(test, "reportsDirectory", dir.resolve("reports").toFile());
        assertThat(test.request().settings().test())
                .isEqualTo(new Settings.Test(true, "2026-11-24T10:15:00Z", dir.resolve("reports")));

        CheckStateCompatMojo check = configured(new CheckStateCompatMojo());
        setField(check, "savepoint", "clicks=/savepoints/sp-1");
        check.baseline = "deployed";
        Settings settings = check.request().settings();
        assertThat(settings.check().savepoint()).isEqualTo("clicks=/savepoints/sp-1");
        assertThat(settings.compile().baseline()).isEqualTo("deployed");
    }

    @Test
    void theHomeIsADirectoryOfTheProjectOrAUri() throws Exception {
        CompileModelsMojo mojo = configured(new CompileModelsMojo());
        mojo.home = "state/home";
        assertThat(mojo.request().settings().home())
                .isEqualTo(dir.resolve("state/home").toUri());
        mojo.home = "s3://bucket/flink-dbt";
        assertThat(mojo.request().settings().home()).isEqualTo(URI.create("s3://bucket/flink-dbt"));
    }

    @Test
    void theProjectGivesTheDefaultsTheCoreNeeds() throws Exception {
        CompileModelsMojo mojo = configured(new CompileModelsMojo());
        mojo.select = "orders+";
        mojo.threads = 3;
        Settings.Compile compile = mojo.request().settings().compile();
        assertThat(compile.basedir()).isEqualTo(dir);
        assertThat(compile.defaultName()).isEqualTo("clickstream");
        assertThat(compile.pluginVersion()).isEqualTo("9.9");
        assertThat(compile.select()).isEqualTo("orders+");
        assertThat(compile.classpath()).containsExactly(dir.resolve("target/classes"));
        Invocation invocation = mojo.request().invocation();
        assertThat(invocation.threads()).isEqualTo(3);
        assertThat(invocation.printDag()).isFalse(); // the parameter's default is applied by Maven
        assertThat(invocation.hints().set(Option.HOME, "<dir>")).isEqualTo("-Dflink-dbt.home=<dir>");
    }

    @Test
    void everyOptionHasAPropertyOfItsOwn() {
        assertThat(List.of(Option.values()).stream().map(PropertyNames::of).distinct())
                .hasSize(Option.values().length)
                .allMatch(name -> name.startsWith(PropertyNames.PREFIX)
                        || name.equals(PropertyNames.MAVEN_SKIP_TESTS)
                        || name.equals(PropertyNames.ICEBERG_CATALOG));
    }

    @Test
    void theIcebergCatalogComesFromThePomAndItsSecretsFromASettingsServer() throws Exception {
        RunMojo mojo = configured(new RunMojo());
        mojo.icebergCatalog = new TreeMap<>(Map.of("catalog-type", "jdbc", "uri", "jdbc:postgresql://db/iceberg"));
        Server server = new Server();
        server.setId("iceberg-db");
        server.setUsername("flink");
        server.setPassword("pa55");
        Xpp3Dom configuration = new Xpp3Dom("configuration");
        Xpp3Dom key = new Xpp3Dom("s3.secret-access-key");
        key.setValue(" s3cr3t ");
        configuration.addChild(key);
        server.setConfiguration(configuration);
        mojo.session.getSettings().addServer(server);
        mojo.catalogServerId = "iceberg-db";
        setInheritedField(mojo, "settingsDecrypter", (SettingsDecrypter) request -> new SettingsDecryptionResult() {
            @Override
            public Server getServer() {
                return request.getServers().get(0);
            }

            @Override
            public List<Server> getServers() {
                return request.getServers();
            }

            @Override
            public Proxy getProxy() {
                return null;
            }

            @Override
            public List<Proxy> getProxies() {
                return List.of();
            }

            @Override
            public List<SettingsProblem> getProblems() {
                return List.of();
            }
        });

        IcebergCatalog catalog = mojo.request().settings().icebergCatalog();

        assertThat(catalog.properties())
                .isEqualTo(Map.of("catalog-type", "jdbc", "uri", "jdbc:postgresql://db/iceberg"));
        assertThat(catalog.secrets())
                .isEqualTo(Map.of("jdbc.user", "flink", "jdbc.password", "pa55", "s3.secret-access-key", "s3cr3t"));
        assertThat(catalog.toString()).doesNotContain("pa55", "s3cr3t");

        // a REST catalog takes the username and password as its OAuth2 client's credential
        mojo.icebergCatalog = new TreeMap<>(Map.of("catalog-type", "rest", "uri", "https://polaris/api/catalog"));
        assertThat(mojo.request().settings().icebergCatalog().secrets()).containsEntry("credential", "flink:pa55");

        mojo.catalogServerId = "nowhere";
        assertThatThrownBy(mojo::request)
                .hasMessageContaining("-Dflink-dbt.catalogServerId=nowhere names no <server> in settings.xml");
    }

    private static void setInheritedField(Object target, String name, Object value) throws Exception {
        for (Class<?> type = target.getClass(); type != null; type = type.getSuperclass()) {
            try {
                var field = type.getDeclaredField(name);
                field.setAccessible(true);
                field.set(target, value);
                return;
            } catch (NoSuchFieldException e) {
                // declared higher up
            }
        }
        throw new NoSuchFieldException(name);
    }

    private static void setField(Object target, String name, Object value) throws Exception {
        var field = target.getClass().getDeclaredField(name);
        field.setAccessible(true);
        field.set(target, value);
    }
}
