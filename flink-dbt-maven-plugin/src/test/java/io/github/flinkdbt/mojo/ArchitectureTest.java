package io.github.flinkdbt.mojo;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The core is a library; only the mojo package knows Maven. */
class ArchitectureTest {

    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.github.flinkdbt");

    @Test
    void onlyTheMojoPackageUsesMaven() {
        noClasses().that().resideOutsideOfPackage("io.github.flinkdbt.mojo..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.maven..", "org.codehaus.plexus..")
                .check(classes);
    }

    @Test
    void stagesDoNotReachBackIntoLaterStages() {
        noClasses().that().resideInAPackage("io.github.flinkdbt.project..")
                .should().dependOnClassesThat().resideInAnyPackage("io.github.flinkdbt.graph..",
                        "io.github.flinkdbt.planner..", "io.github.flinkdbt.plan..", "io.github.flinkdbt.report..",
                        "io.github.flinkdbt.cluster..", "io.github.flinkdbt.run..", "io.github.flinkdbt.testing..",
                        "io.github.flinkdbt.mojo..")
                .check(classes);
        noClasses().that().resideInAPackage("io.github.flinkdbt.plan..")
                .should().dependOnClassesThat().resideInAnyPackage("io.github.flinkdbt.planner..",
                        "io.github.flinkdbt.state..", "io.github.flinkdbt.report..", "io.github.flinkdbt.mojo..")
                .check(classes);
        // state compares plans and savepoints; it knows nothing of planning, clusters, runs or reports
        noClasses().that().resideInAPackage("io.github.flinkdbt.state..")
                .should().dependOnClassesThat().resideInAnyPackage("io.github.flinkdbt.planner..",
                        "io.github.flinkdbt.cluster..", "io.github.flinkdbt.run..", "io.github.flinkdbt.testing..",
                        "io.github.flinkdbt.report..", "io.github.flinkdbt.mojo..")
                .check(classes);
        noClasses().that().resideInAPackage("io.github.flinkdbt.planner..")
                .should().dependOnClassesThat().resideInAnyPackage("io.github.flinkdbt.report..",
                        "io.github.flinkdbt.cluster..", "io.github.flinkdbt.run..", "io.github.flinkdbt.mojo..")
                .check(classes);
        noClasses().that().resideInAPackage("io.github.flinkdbt.cluster..")
                .should().dependOnClassesThat().resideInAnyPackage("io.github.flinkdbt.run..",
                        "io.github.flinkdbt.report..", "io.github.flinkdbt.mojo..")
                .check(classes);
        noClasses().that().resideInAPackage("io.github.flinkdbt.run..")
                .should().dependOnClassesThat().resideInAnyPackage("io.github.flinkdbt.report..",
                        "io.github.flinkdbt.testing..", "io.github.flinkdbt.mojo..")
                .check(classes);
        noClasses().that().resideInAPackage("io.github.flinkdbt.testing..")
                .should().dependOnClassesThat().resideInAnyPackage("io.github.flinkdbt.report..",
                        "io.github.flinkdbt.mojo..")
                .check(classes);
    }
}
