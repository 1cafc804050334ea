package io.chat4all.hub.gateway.auth;

import io.chat4all.hub.gateway.core.GatewayProperties;
import io.chat4all.hub.gateway.core.HubPrincipal;
import io.chat4all.hub.gateway.core.Jdbc;
import io.chat4all.hub.gateway.core.Problems;
import io.chat4all.hub.gateway.core.Quotas;
import io.chat4all.hub.gateway.core.Role;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.JwtReactiveAuthenticationManager;
import org.springframework.security.oauth2.server.resource.web.server.authentication.ServerBearerTokenAuthenticationConverter;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.authentication.ServerAuthenticationConverter;
import org.springframework.security.web.server.authorization.AuthorizationContext;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import reactor.core.publisher.Mono;

/**
 * Everything under {@code /v1} except {@code POST /v1/auth/token} needs a bearer token: a JWT from
 * {@code /v1/auth/token} (Spring Security's resource server, Nimbus underneath) or an API key.
 * Stateless: no session, no CSRF, no basic or form login. Failures answer problem+json.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    @Bean
    JwtKeys jwtKeys(GatewayProperties properties) {
        return JwtKeys.parse(properties.jwt().keys(), properties.jwt().allowEphemeralKeys());
    }

    @Bean
    TokenService tokenService(JwtKeys keys, GatewayProperties properties) {
        return new TokenService(keys, properties.jwt().ttl(), properties.jwt().issuer(), properties.jwt().audience(),
                Clock.systemUTC());
    }

    @Bean
    LoginThrottle loginThrottle(GatewayProperties properties, MeterRegistry meters) {
        return new LoginThrottle(properties.loginLimits(), meters);
    }

    @Bean
    Quotas quotas(GatewayProperties properties, MeterRegistry meters) {
        return new Quotas(properties.quotas(), meters);
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return new BCryptPasswordEncoder();
    }

    /** Who may call each operation, in the OpenAPI document and Swagger UI ({@link RouteAccess}). */
    @Bean
    OpenApiCustomizer routeAccessDocumentation() {
        return RouteAccess.documented();
    }

    /** How a browser passes its token on the WebSocket handshake: {@code Sec-WebSocket-Protocol: chat4all.v1, bearer.<token>}. */
    public static final String WEBSOCKET_TOKEN_PREFIX = "bearer.";

    @Bean
    SecurityWebFilterChain securityFilterChain(ServerHttpSecurity http, JwtKeys keys, GatewayProperties properties,
                                               AccessRepository accessRepository, AccessControl access, Jdbc jdbc,
                                               Problems problems) {
        JwtReactiveAuthenticationManager tokens = new JwtReactiveAuthenticationManager(
                new KeyIdJwtDecoder(keys, properties.jwt().issuer(), properties.jwt().audience()));
        tokens.setJwtAuthenticationConverter(SecurityConfiguration::authenticated);
        ReactiveAuthenticationManager keysManager = apiKeyManager(accessRepository, access, jdbc,
                properties.authCache().apiKeyTtl());
        ReactiveAuthenticationManager verify = authentication -> {
            String token = ((BearerTokenAuthenticationToken) authentication).getToken();
            return ApiKeys.looksLikeKey(token) ? keysManager.authenticate(authentication) : tokens.authenticate(authentication);
        };
        ReactiveAuthenticationManager remembered = properties.authCache().size() == 0 ? verify
                : new AuthenticationCache(verify, properties.authCache().size(), Clock.systemUTC());
        // signatures and key lookups are remembered; whether access was taken back since is checked every time
        ReactiveAuthenticationManager bearer = authentication -> remembered.authenticate(authentication)
                .flatMap(access::verify);
        return http
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                // stateless: no request is ever saved for after a login, so no WebSession is looked up per request
                .requestCache(cache -> cache.requestCache(NoOpServerRequestCache.getInstance()))
                .authorizeExchange(exchanges -> RouteAccess.authorize(exchanges, SecurityConfiguration::usersOnly))
                .oauth2ResourceServer(resourceServer -> resourceServer
                        .bearerTokenConverter(bearerTokens())
                        .authenticationManagerResolver(exchange -> Mono.just(bearer))
                        .authenticationEntryPoint((exchange, e) -> problems.write(exchange, HttpStatus.UNAUTHORIZED,
                                "Unauthorized", "missing or invalid credentials", List.of(), null))
                        .accessDeniedHandler((exchange, e) -> problems.write(exchange, HttpStatus.FORBIDDEN,
                                "Forbidden", "you may not do this", List.of(), null)))
                .exceptionHandling(handling -> handling
                        .authenticationEntryPoint((exchange, e) -> problems.write(exchange, HttpStatus.UNAUTHORIZED,
                                "Unauthorized", "missing or invalid credentials", List.of(), null))
                        .accessDeniedHandler((exchange, e) -> problems.write(exchange, HttpStatus.FORBIDDEN,
                                "Forbidden", "you may not do this", List.of(), null)))
                .build();
    }

    private static Mono<AuthorizationResult> usersOnly(Mono<Authentication> authentication, AuthorizationContext context) {
        return authentication.<AuthorizationResult>map(a -> new AuthorizationDecision(a.isAuthenticated()
                        && a.getPrincipal() instanceof HubPrincipal principal && !principal.isIntegrator()))
                .defaultIfEmpty(new AuthorizationDecision(false));
    }

    /**
     * The bearer token of a request: the {@code Authorization} header, or, for the WebSocket
     * handshake only (browsers cannot set headers on it), a {@code bearer.<token>} entry of
     * {@code Sec-WebSocket-Protocol}, offered next to the protocol the server speaks. Never a
     * query parameter, so tokens stay out of URLs and access logs.
     */
    static ServerAuthenticationConverter bearerTokens() {
        ServerBearerTokenAuthenticationConverter headers = new ServerBearerTokenAuthenticationConverter();
        return exchange -> headers.convert(exchange).switchIfEmpty(Mono.defer(() -> {
            if (!"/v1/ws".equals(exchange.getRequest().getPath().value())) {
                return Mono.empty();
            }
            return Mono.justOrEmpty(exchange.getRequest().getHeaders().getOrEmpty("Sec-WebSocket-Protocol").stream()
                    .flatMap(value -> Arrays.stream(value.split(",")))
                    .map(String::trim)
                    .filter(protocol -> protocol.startsWith(WEBSOCKET_TOKEN_PREFIX)
                            && protocol.length() > WEBSOCKET_TOKEN_PREFIX.length())
                    .findFirst()
                    .map(protocol -> new BearerTokenAuthenticationToken(protocol.substring(WEBSOCKET_TOKEN_PREFIX.length()))));
        }));
    }

    private static ReactiveAuthenticationManager apiKeyManager(AccessRepository repository, AccessControl access, Jdbc jdbc,
                                                               Duration remembered) {
        return authentication -> {
            String key = ((BearerTokenAuthenticationToken) authentication).getToken();
            return jdbc.call(() -> repository.keyByHash(ApiKeys.hash(key)))
                    .flatMap(found -> found.map(k -> {
                                access.remember(k);
                                return Mono.<Authentication>just(AuthenticationCache.validUntil(
                                        AccessControl.authenticated(AccessControl.integrator(k)), Instant.now().plus(remembered)));
                            })
                            .orElseGet(() -> Mono.error(new InvalidBearerTokenException("unknown API key"))));
        };
    }

    private static Mono<org.springframework.security.authentication.AbstractAuthenticationToken> authenticated(Jwt jwt) {
        Number version = jwt.getClaim(TokenService.VERSION_CLAIM);
        HubPrincipal principal = new HubPrincipal(UUID.fromString(jwt.getSubject()), jwt.getClaimAsString(TokenService.USERNAME_CLAIM),
                Role.fromWire(jwt.getClaimAsString(TokenService.ROLE_CLAIM)),
                new HubPrincipal.Token(UUID.fromString(jwt.getId()), version == null ? 0 : version.intValue(), jwt.getExpiresAt()));
        return Mono.just(AuthenticationCache.validUntil(AccessControl.authenticated(principal), jwt.getExpiresAt()));
    }
}
