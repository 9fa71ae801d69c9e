/*
 * Part of the marketplace embedded Elasticsearch launcher (services/elasticsearch).
 *
 * Lives in org.elasticsearch.node because Node(NodeConstruction),
 * NodeConstruction.prepareConstruction and NodeServiceProvider are
 * package-private. Runs on the plain class path, so the split package is legal.
 */
package org.elasticsearch.node;

import org.elasticsearch.env.Environment;
import org.elasticsearch.plugins.ClasspathPluginsService;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.plugins.PluginsLoader;
import org.elasticsearch.plugins.PluginsService;

import java.util.Collection;
import java.util.List;

/**
 * A real (non-mock) {@link Node} whose plugins/modules are classes on the class path.
 *
 * <p>It is constructed directly, not through {@code org.elasticsearch.bootstrap.Elasticsearch},
 * so the distribution's bootstrap phase (root check, security manager / entitlements,
 * bootstrap checks, native init) does not run; see services/elasticsearch/README.md.
 */
public class EmbeddedNode extends Node {

    private final List<Class<? extends Plugin>> classpathPlugins;

    public EmbeddedNode(Environment environment, Collection<Class<? extends Plugin>> classpathPlugins) {
        super(NodeConstruction.prepareConstruction(environment, null, new ClasspathServiceProvider(classpathPlugins), true));
        this.classpathPlugins = List.copyOf(classpathPlugins);
    }

    public List<Class<? extends Plugin>> classpathPlugins() {
        return classpathPlugins;
    }

    private static final class ClasspathServiceProvider extends NodeServiceProvider {
        private final Collection<Class<? extends Plugin>> classpathPlugins;

        ClasspathServiceProvider(Collection<Class<? extends Plugin>> classpathPlugins) {
            this.classpathPlugins = classpathPlugins;
        }

        @Override
        PluginsService newPluginService(Environment environment, PluginsLoader pluginsLoader) {
            return new ClasspathPluginsService(environment.settings(), environment, classpathPlugins);
        }
    }
}
