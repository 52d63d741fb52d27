package io.github.flinkdbt;

import io.github.flinkdbt.run.DeployedPlans;
import io.github.flinkdbt.state.Baseline;
import java.nio.file.Path;

/** Reads the baseline a request names: a compile output, a bundle, or what a home last ran. */
final class Baselines {

    private Baselines() {}

    static Baseline load(Path path, String project) {
        if (path == null) {
            return Baseline.none();
        }
        if (!java.nio.file.Files.exists(path)) {
            throw new FlinkDbtException("The baseline " + path + " does not exist.\nGive an earlier compile output "
                    + "(-Dflink-dbt.baseline=<dir>), a bundle (<groupId>:<artifactId>:<version>) or 'deployed'.");
        }
        return DeployedPlans.isHome(path) ? DeployedPlans.baseline(path, project) : Baseline.load(path);
    }

    /** A hash of every plan file under the baseline, so a compile against other plans is not up to date. */
    static String fingerprint(Path path) {
        if (path == null || !java.nio.file.Files.exists(path)) {
            return "none";
        }
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(path, 4)) {
            java.security.MessageDigest digest = java.security.MessageDigest.getInstance("SHA-256");
            for (Path file : files.filter(java.nio.file.Files::isRegularFile)
                    .filter(f -> f.getFileName().toString().equals("plan.json") || f.toString().endsWith(".jar")
                            || (f.getParent().getFileName().toString().equals("plans")
                                    && f.toString().endsWith(".json")))
                    .sorted().toList()) {
                digest.update(path.relativize(file).toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                digest.update(java.nio.file.Files.readAllBytes(file));
            }
            return java.util.HexFormat.of().formatHex(digest.digest());
        } catch (java.io.IOException | java.security.NoSuchAlgorithmException e) {
            return "unreadable " + e;
        }
    }
}
