package io.chat4all.hub.gateway.auth;

import io.chat4all.hub.gateway.core.Role;
import java.util.List;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.security.authorization.ReactiveAuthorizationManager;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.authorization.AuthorizationContext;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Who may call which route, in one table: the security filter chain enforces it and the OpenAPI
 * document (and so Swagger UI) states it on every operation ({@code x-hub-access} and a line of
 * its description). The first rule that matches decides; a path under no rule is public.
 */
final class RouteAccess {

    /** What a route asks of its caller. */
    enum Access {
        PUBLIC("public", "No credentials needed."),
        AUTHENTICATED("authenticated", "Needs a user's token or an API key."),
        USERS("users", "Needs a user's token: API keys are refused (403)."),
        ADMIN("admin", "Needs an administrator: a token of a user with role `admin`, or an API key.");

        final String wire;
        final String description;

        Access(String wire, String description) {
            this.wire = wire;
            this.description = description;
        }
    }

    record Rule(HttpMethod method, List<PathPattern> patterns, Access access) {

        boolean matches(HttpMethod requestMethod, String path) {
            PathContainer container = PathContainer.parsePath(path);
            return (method == null || method.equals(requestMethod)) && patterns.stream().anyMatch(p -> p.matches(container));
        }
    }

    static final List<Rule> RULES = List.of(
            rule(HttpMethod.POST, Access.PUBLIC, "/v1/auth/token"),
            rule(null, Access.ADMIN, "/v1/users"),
            rule(HttpMethod.PATCH, Access.ADMIN, "/v1/users/*"),
            rule(null, Access.ADMIN, "/v1/api-keys", "/v1/api-keys/**"),
            rule(null, Access.ADMIN, "/v1/admin/**"),
            // a user's own conversations: refused to API keys (on /v1/ws before the upgrade)
            rule(HttpMethod.GET, Access.USERS, "/v1/stream"),
            rule(null, Access.USERS, "/v1/ws"),
            rule(null, Access.AUTHENTICATED, "/v1/**"));

    private RouteAccess() {
    }

    private static Rule rule(HttpMethod method, Access access, String... patterns) {
        return new Rule(method, List.of(patterns).stream().map(PathPatternParser.defaultInstance::parse).toList(), access);
    }

    static Access of(HttpMethod method, String path) {
        return RULES.stream().filter(rule -> rule.matches(method, path)).map(Rule::access).findFirst().orElse(Access.PUBLIC);
    }

    /** The table as Spring Security rules. */
    static void authorize(ServerHttpSecurity.AuthorizeExchangeSpec exchanges,
                          ReactiveAuthorizationManager<AuthorizationContext> usersOnly) {
        for (Rule rule : RULES) {
            String[] patterns = rule.patterns().stream().map(PathPattern::getPatternString).toArray(String[]::new);
            ServerHttpSecurity.AuthorizeExchangeSpec.Access matched = rule.method() == null
                    ? exchanges.pathMatchers(patterns) : exchanges.pathMatchers(rule.method(), patterns);
            switch (rule.access()) {
                case PUBLIC -> matched.permitAll();
                case AUTHENTICATED -> matched.authenticated();
                case USERS -> matched.access(usersOnly);
                case ADMIN -> matched.hasRole(Role.ADMIN.name());
            }
        }
        exchanges.anyExchange().permitAll();
    }

    /** Each operation of the document says who may call it; public ones need no security scheme. */
    static OpenApiCustomizer documented() {
        return openApi -> {
            if (openApi.getPaths() == null) {
                return;
            }
            openApi.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
                Access access = of(HttpMethod.valueOf(method.name()), path);
                operation.addExtension("x-hub-access", access.wire);
                operation.setDescription(operation.getDescription() == null ? access.description
                        : access.description + "\n\n" + operation.getDescription());
                if (access == Access.PUBLIC) {
                    operation.setSecurity(List.of());
                }
            }));
        };
    }
}
