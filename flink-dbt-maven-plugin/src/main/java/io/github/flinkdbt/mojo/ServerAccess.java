package io.github.flinkdbt.mojo;

import io.github.flinkdbt.api.RemoteAccess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.codehaus.plexus.util.xml.Xpp3Dom;

/**
 * A remote cluster's access from a {@code settings.xml} {@code <server>}, as Maven's own
 * repositories take theirs: {@code <username>}/{@code <password>} (encrypted ones too) for basic
 * auth, and in {@code <configuration>}: {@code <httpHeaders>} (wagon's form:
 * {@code <property><name>Authorization</name><value>Bearer …</value></property>}),
 * {@code <trustStore>} and {@code <trustStorePassword>}.
 */
final class ServerAccess {

    private ServerAccess() {}

    static RemoteAccess of(String serverId, MavenSession session, SettingsDecrypter decrypter, Path basedir)
            throws MojoExecutionException {
        Server server = SettingsServers.find(serverId, PropertyNames.SERVER_ID, session, decrypter);
        if (server == null) {
            return RemoteAccess.NONE;
        }
        Map<String, String> headers = new TreeMap<>();
        if (server.getUsername() != null) {
            String credentials =
                    server.getUsername() + ":" + (server.getPassword() == null ? "" : server.getPassword());
            headers.put(
                    "Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }
        Path trustStore = null;
        String trustStorePassword = null;
        if (server.getConfiguration() instanceof Xpp3Dom configuration) {
            Xpp3Dom httpHeaders = configuration.getChild("httpHeaders");
            if (httpHeaders != null) {
                for (Xpp3Dom property : httpHeaders.getChildren("property")) {
                    Xpp3Dom name = property.getChild("name");
                    Xpp3Dom value = property.getChild("value");
                    if (name == null || value == null) {
                        throw new MojoExecutionException("The <server> " + serverId + " of settings.xml has an "
                                + "<httpHeaders><property> without <name> or <value>.");
                    }
                    headers.put(
                            name.getValue().trim(),
                            value.getValue() == null ? "" : value.getValue().trim());
                }
            }
            Xpp3Dom store = configuration.getChild("trustStore");
            if (store != null && store.getValue() != null) {
                trustStore = basedir.resolve(store.getValue().trim())
                        .toAbsolutePath()
                        .normalize();
            }
            Xpp3Dom password = configuration.getChild("trustStorePassword");
            if (password != null) {
                trustStorePassword = password.getValue();
            }
        }
        return new RemoteAccess(headers, trustStore, trustStorePassword);
    }
}
