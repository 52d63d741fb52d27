package io.github.flinkdbt.mojo;

import java.util.Map;
import java.util.TreeMap;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.codehaus.plexus.util.xml.Xpp3Dom;

/**
 * An Iceberg catalog's secrets from a {@code settings.xml} {@code <server>}: its
 * {@code <username>}/{@code <password>} (encrypted ones too) as a JDBC catalog's
 * {@code jdbc.user}/{@code jdbc.password} or a REST catalog's OAuth2 client {@code credential}
 * ({@code id:secret}), and every element of its {@code <configuration>} as the catalog property of
 * that name ({@code <token>}, {@code <credential>}, {@code <s3.secret-access-key>}, …).
 */
final class CatalogSecrets {

    private CatalogSecrets() {}

    static Map<String, String> of(
            String serverId, String catalogType, MavenSession session, SettingsDecrypter decrypter)
            throws MojoExecutionException {
        Server server = SettingsServers.find(serverId, PropertyNames.CATALOG_SERVER_ID, session, decrypter);
        Map<String, String> secrets = new TreeMap<>();
        if (server == null) {
            return secrets;
        }
        if (server.getUsername() != null) {
            String password = server.getPassword() == null ? "" : server.getPassword();
            if (catalogType.equals("jdbc")) {
                secrets.put("jdbc.user", server.getUsername());
                secrets.put("jdbc.password", password);
            } else {
                secrets.put("credential", server.getUsername() + ":" + password);
            }
        }
        if (server.getConfiguration() instanceof Xpp3Dom configuration) {
            for (Xpp3Dom property : configuration.getChildren()) {
                secrets.put(
                        property.getName(),
                        property.getValue() == null ? "" : property.getValue().trim());
            }
        }
        return secrets;
    }
}
