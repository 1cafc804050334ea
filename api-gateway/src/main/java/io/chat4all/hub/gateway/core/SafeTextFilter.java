package io.chat4all.hub.gateway.core;

import java.util.List;
import java.util.Map;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Query parameters under the same rule as JSON bodies ({@link SafeText}): a decoded value with
 * U+0000 or an unpaired surrogate is a 400 naming the parameter, before authentication or any
 * handler runs.
 */
@Component
@Order(-200)
class SafeTextFilter implements WebFilter {

    private final Problems problems;

    SafeTextFilter(Problems problems) {
        this.problems = problems;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        for (Map.Entry<String, List<String>> parameter : exchange.getRequest().getQueryParams().entrySet()) {
            String problem = SafeText.problem(parameter.getKey()) != null ? SafeText.problem(parameter.getKey())
                    : parameter.getValue().stream().map(v -> v == null ? null : SafeText.problem(v))
                            .filter(p -> p != null).findFirst().orElse(null);
            if (problem != null) {
                return problems.write(exchange, HttpStatus.BAD_REQUEST, "Invalid request",
                        "the request has invalid parameters",
                        List.of(new ApiException.FieldProblem(SafeText.printable(parameter.getKey()), problem)), null);
            }
        }
        return chain.filter(exchange);
    }
}
