package io.github.flinkdbt.api;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * How to get into a remote cluster's REST API: headers sent with every request (an
 * {@code Authorization} for basic auth or a token) and the trust store its TLS certificate is
 * checked against. From a {@code settings.xml} {@code <server>}; never printed: {@link #toString()}
 * names what is set, not its value.
 *
 * @param headers sent with every request to the cluster
 * @param trustStore a PKCS12 or JKS trust store for an https URL; null for the JVM's own
 * @param trustStorePassword its password; null for none
 */
public record RemoteAccess(Map<String, String> headers, Path trustStore, String trustStorePassword) {

    /** Nothing: plain requests, the JVM's trusted certificates. */
    public static final RemoteAccess NONE = new RemoteAccess(Map.of(), null, null);

    public RemoteAccess {
        headers = new TreeMap<>(headers);
    }

    public boolean nothingSet() {
        return headers.isEmpty() && trustStore == null;
    }

    @Override
    public String toString() {
        return "RemoteAccess[headers=" + headers.keySet() + ", trustStore=" + trustStore
                + (trustStorePassword == null ? "" : ", trustStorePassword=****") + "]";
    }
}
