package io.chat4all.hub.autoconfigure;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Puts the actuator (health, metrics) on a port of its own unless {@code MANAGEMENT_SERVER_PORT}
 * says where: the service's HTTP port + {@value #OFFSET} (the gateway's 8080 → 9080). The public
 * port then serves the API only, and the management port can stay inside the deployment's network.
 * A random HTTP port (0, the tests) gives a random management port;
 * {@code MANAGEMENT_SERVER_PORT} equal to {@code SERVER_PORT} puts both back on one port.
 */
public final class ManagementPortDefault implements EnvironmentPostProcessor, Ordered {

    static final int OFFSET = 1000;
    private static final String PROPERTY = "management.server.port";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (environment.containsProperty(PROPERTY)) {
            return;
        }
        Integer port = environment.getProperty("server.port", Integer.class, 8080);
        if (port < 0) {
            return;
        }
        int management = port == 0 ? 0 : port + OFFSET;
        if (management > 65_535) {
            throw new IllegalStateException("SERVER_PORT " + port + " leaves no default management port (it + "
                    + OFFSET + " is beyond 65535): set MANAGEMENT_SERVER_PORT");
        }
        environment.getPropertySources().addLast(new MapPropertySource("hubManagementPort",
                Map.of(PROPERTY, Integer.toString(management))));
    }

    /** After the configuration files are read, so {@code server.port} is known. */
    @Override
    public int getOrder() {
        return ConfigDataEnvironmentPostProcessor.ORDER + 1;
    }
}
