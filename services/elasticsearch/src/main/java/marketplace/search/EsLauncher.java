package marketplace.search;

import org.elasticsearch.Build;
import org.elasticsearch.common.logging.LogConfigurator;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.node.EmbeddedNode;
import org.elasticsearch.node.InternalSettingsPreparer;
import org.elasticsearch.node.Node;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.transport.netty4.Netty4Plugin;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Starts a real single-node Elasticsearch bound to 127.0.0.1, built only from Maven Central jars.
 *
 * <p>Configuration comes from environment variables (services/elasticsearch.sh sets them):
 * <ul>
 *   <li>{@code ES_HOME} (required): data/, logs/, config/ and tmp/ live under it</li>
 *   <li>{@code ES_PORT} (default 9200): HTTP port</li>
 *   <li>{@code ES_TRANSPORT_PORT} (default 9300-9399): transport port or range</li>
 *   <li>{@code ES_CLUSTER_NAME} (default marketplace)</li>
 * </ul>
 * An optional {@code $ES_HOME/config/elasticsearch.yml} is honoured for extra settings.
 */
public final class EsLauncher {

    /**
     * transport-netty4 (HTTP + transport) from Maven Central, plus small stand-ins for the parts of the
     * distribution-only modules rest-root (GET /) and analysis-common (whitespace/keyword tokenizers) we need.
     */
    static final List<Class<? extends Plugin>> MODULES = List.of(
        Netty4Plugin.class,
        RootEndpointPlugin.class,
        BasicAnalysisPlugin.class
    );

    private EsLauncher() {}

    public static void main(String[] args) throws Exception {
        String homeEnv = System.getenv("ES_HOME");
        if (homeEnv == null || homeEnv.isBlank()) {
            System.err.println("EsLauncher: ES_HOME must be set");
            System.exit(2);
        }
        Path home = Path.of(homeEnv).toAbsolutePath().normalize();
        String httpPort = env("ES_PORT", "9200");
        String transportPort = env("ES_TRANSPORT_PORT", "9300-9399");
        String clusterName = env("ES_CLUSTER_NAME", "marketplace");
        String nodeName = env("ES_NODE_NAME", "marketplace-es");

        Path config = home.resolve("config");
        Path data = home.resolve("data");
        Path logs = home.resolve("logs");
        for (Path dir : List.of(config, data, logs, home.resolve("plugins"), home.resolve("modules"))) {
            Files.createDirectories(dir);
        }
        writeLoggingConfig(config);

        Settings settings = Settings.builder()
            .put(Environment.PATH_HOME_SETTING.getKey(), home.toString())
            .putList(Environment.PATH_DATA_SETTING.getKey(), data.toString())
            .put(Environment.PATH_LOGS_SETTING.getKey(), logs.toString())
            .put("cluster.name", clusterName)
            .put("node.name", nodeName)
            // loopback only, single node, no discovery
            .put("network.host", "127.0.0.1")
            .put("http.port", httpPort)
            .put("transport.port", transportPort)
            .put("discovery.type", "single-node")
            // a fairly full dev disk must not flip indices to read-only
            .put("cluster.routing.allocation.disk.threshold_enabled", false)
            .build();

        Environment environment = InternalSettingsPreparer.prepareEnvironment(settings, Map.of(), config, () -> nodeName);
        LogConfigurator.setNodeName(Node.NODE_NAME_SETTING.get(environment.settings()));
        LogConfigurator.setClusterName(environment.settings().get("cluster.name"));
        LogConfigurator.configure(environment, true);

        final Node node;
        try {
            node = new EmbeddedNode(environment, MODULES);
        } catch (Throwable t) {
            fail("failed to construct node", t);
            return;
        }

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.prepareForClose();
                node.close();
                if (node.awaitClose(30, TimeUnit.SECONDS) == false) {
                    System.err.println("EsLauncher: node did not close within 30s");
                }
            } catch (Throwable t) {
                t.printStackTrace();
            } finally {
                stopped.countDown();
            }
        }, "es-launcher-shutdown"));

        try {
            node.start();
        } catch (Throwable t) {
            fail("failed to start node", t);
            return;
        }
        System.out.println("EsLauncher: Elasticsearch " + Build.current().version() + " started on http://127.0.0.1:" + httpPort
            + " (home " + home + ", java " + Runtime.version() + ")");
        // Node threads are daemons: keep the JVM alive until SIGTERM/SIGINT runs the shutdown hook.
        stopped.await();
    }

    private static String env(String name, String def) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? def : v.trim();
    }

    private static void writeLoggingConfig(Path config) throws IOException {
        try (InputStream in = EsLauncher.class.getResourceAsStream("log4j2.properties")) {
            if (in == null) {
                throw new IllegalStateException("log4j2.properties resource missing from launcher jar");
            }
            Files.copy(in, config.resolve("log4j2.properties"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void fail(String what, Throwable t) {
        t.printStackTrace();
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        // summary last, so it is inside the log tail that services/elasticsearch.sh prints
        System.err.println("EsLauncher: FATAL: " + what + ": " + t);
        if (root != t) {
            System.err.println("EsLauncher: root cause: " + root);
        }
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(1);
    }
}
