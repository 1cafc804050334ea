package io.chat4all.hub.autoconfigure;

import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * {@code GET /actuator/health/<unknown>/<more>} answers 404 instead of 500. Spring Boot's health
 * endpoint fails an assertion ("'contributor' must not be null") for a nested path whose first
 * segment names no composite, which the error handler turns into a 500 and an ERROR log line that
 * anyone on the network could produce at will. Health contributors never throw (a failing one is
 * reported DOWN), so an {@link IllegalStateException} out of a health sub-path is always this
 * bad path.
 */
public final class HealthPathGuard implements WebFilter, Ordered {

    private final String healthPrefix;

    public HealthPathGuard(String actuatorBasePath) {
        String base = actuatorBasePath.endsWith("/") ? actuatorBasePath.substring(0, actuatorBasePath.length() - 1)
                : actuatorBasePath;
        this.healthPrefix = base + "/health/";
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!exchange.getRequest().getPath().pathWithinApplication().value().startsWith(healthPrefix)) {
            return chain.filter(exchange);
        }
        return chain.filter(exchange).onErrorResume(IllegalStateException.class,
                e -> Mono.error(new ResponseStatusException(HttpStatus.NOT_FOUND, "no such health component")));
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
