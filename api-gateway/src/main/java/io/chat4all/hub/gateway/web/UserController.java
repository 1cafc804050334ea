package io.chat4all.hub.gateway.web;

import io.chat4all.hub.contracts.events.Channel;
import io.chat4all.hub.gateway.domain.Role;
import io.chat4all.hub.gateway.domain.User;
import io.chat4all.hub.gateway.messaging.OutboxRelay;
import io.chat4all.hub.gateway.persistence.Jdbc;
import io.chat4all.hub.gateway.persistence.UserRepository;
import io.chat4all.hub.gateway.security.HubPrincipal;
import io.chat4all.hub.gateway.security.PasswordHashing;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** {@code POST /v1/users} (admins) and {@code GET /v1/users/me}. */
@RestController
class UserController {

    private final UserRepository users;
    private final PasswordHashing hashing;
    private final OutboxRelay relay;
    private final Jdbc jdbc;

    UserController(UserRepository users, PasswordHashing hashing, OutboxRelay relay, Jdbc jdbc) {
        this.users = users;
        this.hashing = hashing;
        this.relay = relay;
        this.jdbc = jdbc;
    }

    /** Addresses on external channels: WhatsApp in E.164 ({@code +5511987654321}), Instagram an IGSID. */
    record Channels(@Pattern(regexp = "\\+[1-9][0-9]{6,14}", message = "must be an E.164 number like +5511987654321") String whatsapp,
                    @Pattern(regexp = "[0-9]{5,32}", message = "must be an Instagram-scoped id (digits)") String instagram) {

        Map<Channel, String> toMap() {
            Map<Channel, String> map = new EnumMap<>(Channel.class);
            if (whatsapp != null) {
                map.put(Channel.WHATSAPP, whatsapp);
            }
            if (instagram != null) {
                map.put(Channel.INSTAGRAM, instagram);
            }
            return map;
        }

        static Channels of(Map<Channel, String> map) {
            return new Channels(map.get(Channel.WHATSAPP), map.get(Channel.INSTAGRAM));
        }
    }

    record CreateUserRequest(
            @NotBlank @Pattern(regexp = "[a-z0-9][a-z0-9._-]{2,63}",
                    message = "must be 3 to 64 lower-case letters, digits, '.', '_' or '-'") String username,
            @NotBlank @Size(min = 8, max = 72, message = "must be 8 to 72 characters") String password,
            @NotBlank @Size(max = 200) String displayName,
            @Valid Channels channels) {
    }

    record UserResponse(UUID userId, String username, String displayName, Channels channels, Instant createdAt) {

        static UserResponse of(User user) {
            return new UserResponse(user.userId(), user.username(), user.displayName(), Channels.of(user.channels()),
                    user.createdAt());
        }
    }

    @PostMapping(path = "/v1/users", consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    Mono<UserResponse> create(@Valid @RequestBody CreateUserRequest request) {
        User user = new User(UUID.randomUUID(), request.username(), request.displayName(), Role.USER,
                request.channels() == null ? Map.of() : request.channels().toMap(), Instant.now().truncatedTo(ChronoUnit.MILLIS));
        return hashing.encode(request.password()).flatMap(hash -> jdbc.call(() -> {
            try {
                return users.create(user, hash);
            } catch (DuplicateKeyException e) {
                throw new ApiException(HttpStatus.CONFLICT, "Username taken",
                        "a user named '" + request.username() + "' exists already");
            }
        })).doOnSuccess(created -> relay.nudge()).map(UserResponse::of);
    }

    @GetMapping("/v1/users/me")
    Mono<UserResponse> me(@AuthenticationPrincipal HubPrincipal principal) {
        return jdbc.call(() -> users.findById(principal.userId()).map(UserResponse::of)
                .orElseThrow(() -> ApiException.notFound("user " + principal.userId())));
    }
}
