package io.github.flinkdbt.mojo;

import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.building.SettingsProblem;
import org.apache.maven.settings.crypto.DefaultSettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.apache.maven.settings.crypto.SettingsDecryptionResult;

/** The {@code <server>}s of {@code settings.xml} that hold what must not be in a POM. */
final class SettingsServers {

    private SettingsServers() {}

    /**
     * The server {@code serverId}, its encrypted passwords decrypted; null when no id is given.
     *
     * @param property the property that named it, for the message when there is no such server
     */
    static Server find(String serverId, String property, MavenSession session, SettingsDecrypter decrypter)
            throws MojoExecutionException {
        if (serverId == null || serverId.isBlank()) {
            return null;
        }
        Server server = session.getSettings().getServer(serverId.trim());
        if (server == null) {
            throw new MojoExecutionException("-D" + property + "=" + serverId + " names no <server> in "
                    + "settings.xml. Add one to ~/.m2/settings.xml: <servers><server><id>" + serverId.trim()
                    + "</id><username>…</username><password>…</password></server></servers>");
        }
        SettingsDecryptionResult decrypted = decrypter.decrypt(new DefaultSettingsDecryptionRequest(server));
        for (SettingsProblem problem : decrypted.getProblems()) {
            if (problem.getSeverity() != SettingsProblem.Severity.WARNING) {
                throw new MojoExecutionException(
                        "The <server> " + serverId + " of settings.xml: " + problem.getMessage());
            }
        }
        return decrypted.getServer();
    }
}
