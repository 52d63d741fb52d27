package io.github.flinkdbt.mojo;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.type;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package structure: stages along the data's way, each using only those before it; the
 * orchestration above them, the facade above that, the Maven goals on top; two bottom packages
 * every stage may use. The core is a library: only the goals know Maven.
 */
class ArchitectureTest {

    private static final String BASE = "io.github.flinkdbt";

    /** Bottom to top: a package may use only the packages before it. */
    private static final List<String> LAYERS = List.of(
            "common", "api", "project", "graph", "plan", "planner", "state", "home", "cluster", "run", "deploy",
            "testing", "report", "build");

    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(BASE);

    @Test
    void onlyTheMojoPackageUsesMaven() {
        noClasses()
                .that()
                .resideOutsideOfPackage(BASE + ".mojo..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.apache.maven..", "org.codehaus.plexus..", "org.eclipse.aether..")
                .check(classes);
    }

    /** So that a home can live on shared storage: its files are Flink file system paths, never local ones. */
    @Test
    void theHomeReachesItsFilesOnlyThroughFlinksFileSystems() {
        noClasses()
                .that()
                .resideInAPackage(BASE + ".home..")
                .should()
                .dependOnClassesThat(resideInAPackage("java.nio.file..")
                        .or(type(File.class))
                        .or(type(FileInputStream.class))
                        .or(type(FileOutputStream.class)))
                .check(classes);
    }

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching(BASE + ".(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void eachStageUsesOnlyTheStagesBeforeIt() {
        for (int i = 0; i < LAYERS.size(); i++) {
            List<String> later = new ArrayList<>();
            for (String layer : LAYERS.subList(i + 1, LAYERS.size())) {
                later.add(BASE + "." + layer + "..");
            }
            later.add(BASE + ".mojo..");
            noClasses()
                    .that()
                    .resideInAPackage(BASE + "." + LAYERS.get(i) + "..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage(later.toArray(String[]::new))
                    .orShould()
                    .dependOnClassesThat()
                    .resideInAPackage(BASE)
                    .as(LAYERS.get(i) + " uses only " + LAYERS.subList(0, i))
                    .check(classes);
        }
    }

    @Test
    void theFacadeIsTheTopOfTheCoreAndOnlyTheGoalsCallIt() {
        classes()
                .that()
                .resideInAPackage(BASE)
                .should()
                .onlyBeAccessed()
                .byClassesThat()
                .resideInAnyPackage(BASE, BASE + ".mojo..")
                .check(classes);
        noClasses()
                .that()
                .resideInAPackage(BASE)
                .should()
                .dependOnClassesThat()
                .resideInAPackage(BASE + ".mojo..")
                .check(classes);
    }

    @Test
    void theGoalsUseOnlyTheFacadeAndItsTypes() {
        List<String> inside = new ArrayList<>();
        for (String layer : LAYERS) {
            if (!layer.equals("api") && !layer.equals("common")) {
                inside.add(BASE + "." + layer + "..");
            }
        }
        noClasses()
                .that()
                .resideInAPackage(BASE + ".mojo..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(inside.toArray(String[]::new))
                .check(classes);
    }

    /** Every fix a message names comes from the goals (PropertyNames), never from a literal in the core. */
    @Test
    void noMavenPropertyOrCommandIsSpelledOutInTheCore() throws IOException {
        Pattern maven = Pattern.compile("-Dflink-dbt|-DskipTests|\"mvn |[ (]mvn [a-z]");
        List<String> found = new ArrayList<>();
        Path sources = Path.of("src/main/java/io/github/flinkdbt");
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                if (file.startsWith(sources.resolve("mojo"))) {
                    continue;
                }
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    String code = lines.get(i).strip();
                    boolean comment = code.startsWith("*") || code.startsWith("/*") || code.startsWith("//");
                    if (!comment && maven.matcher(code.replaceAll("//.*$", "")).find()) {
                        found.add(sources.relativize(file) + ":" + (i + 1) + "  " + code);
                    }
                }
            }
        }
        assertThat(found)
                .as("code that names a Maven property or command outside the mojo package")
                .isEmpty();
    }
}
