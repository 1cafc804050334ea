package io.chat4all.hub.bench;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.UUIDSerializer;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.web.reactive.function.server.HandlerStrategies;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import tools.jackson.databind.json.JsonMapper;

/**
 * The ceilings the {@code baselines} scenario drives with the same generator as the hub, run as a
 * JVM of its own like a hub service: WebFlux (functional endpoints on Reactor Netty, Jackson) with
 * {@code POST /bare} parsing a message body and answering 202 with no work, and {@code POST /kafka}
 * answering 202 only once the body is acknowledged by Kafka ({@code acks=all}, idempotent, the
 * gateway's producer settings). Arguments: port, Kafka bootstrap servers, topic.
 */
public final class BaselineServer {

    /** A {@code POST /v1/messages} body, parsed as the gateway parses it. */
    record MessageBody(String message_id, String conversation_id, Map<String, Object> payload) {
    }

    private BaselineServer() {
    }

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        JsonMapper json = JsonMapper.builder().build();
        KafkaProducer<UUID, byte[]> producer = new KafkaProducer<>(producerConfig(args[1]), new UUIDSerializer(),
                new ByteArraySerializer());
        String topic = args[2];
        RouterFunction<ServerResponse> routes = RouterFunctions.route()
                .POST("/bare", request -> parsed(request).flatMap(body -> accepted(body)))
                .POST("/kafka", request -> parsed(request).flatMap(body -> {
                    CompletableFuture<Void> acked = new CompletableFuture<>();
                    producer.send(new ProducerRecord<>(topic, UUID.fromString(body.conversation_id()),
                            json.writeValueAsBytes(body)), (metadata, failure) -> {
                                if (failure == null) {
                                    acked.complete(null);
                                } else {
                                    acked.completeExceptionally(failure);
                                }
                            });
                    return Mono.fromFuture(acked).then(accepted(body));
                }))
                .build();
        HttpHandler handler = RouterFunctions.toHttpHandler(routes, HandlerStrategies.withDefaults());
        DisposableServer server = HttpServer.create().host("127.0.0.1").port(port)
                .handle(new ReactorHttpHandlerAdapter(handler)).bindNow(Duration.ofSeconds(30));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.disposeNow();
            producer.close(Duration.ofSeconds(5));
        }));
        LoggerFactory.getLogger(BaselineServer.class).info("baseline server listening on 127.0.0.1:{}", port);
        server.onDispose().block();
    }

    private static Mono<MessageBody> parsed(ServerRequest request) {
        return request.bodyToMono(MessageBody.class);
    }

    private static Mono<ServerResponse> accepted(MessageBody body) {
        return ServerResponse.accepted().bodyValue(Map.of("message_id", body.message_id(), "status", "accepted"));
    }

    /** The gateway's producer settings. */
    static Properties producerConfig(String bootstrap) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        return config;
    }
}
