package io.chat4all.hub.gateway.users;

import io.chat4all.hub.contracts.events.Channel;
import io.chat4all.hub.gateway.auth.AccessControl;
import io.chat4all.hub.gateway.auth.PasswordHashing;
import io.chat4all.hub.gateway.core.ApiException;
import io.chat4all.hub.gateway.core.Cursors;
import io.chat4all.hub.gateway.core.HubPrincipal;
import io.chat4all.hub.gateway.core.Jdbc;
import io.chat4all.hub.gateway.core.OutboxRelay;
import io.chat4all.hub.gateway.core.Role;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** {@code POST /v1/users} and {@code PATCH /v1/users/{id}} (admins), {@code GET /v1/users/me}. */
@RestController
class UserController {

    static final int MAX_QUERY_CHARS = 200;
    private static final String CURSOR_KIND = "users";

    private final UserRepository users;
    private final PasswordHashing hashing;
    private final OutboxRelay relay;
    private final Jdbc jdbc;
    private final AccessControl access;

    UserController(UserRepository users, PasswordHashing hashing, OutboxRelay relay, Jdbc jdbc, AccessControl access) {
        this.access = access;
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

    /** A user; {@code kind} ({@code user} or {@code contact}, a channel customer) and {@code disabled} in lists and updates. */
    record UserResponse(UUID userId, String username, String displayName, Channels channels, Instant createdAt, String role,
                        Boolean disabled, String kind) {

        static UserResponse of(User user) {
            return new UserResponse(user.userId(), user.username(), user.displayName(), Channels.of(user.channels()),
                    user.createdAt(), user.role().wireName(), null, null);
        }

        static UserResponse listed(UserRepository.Listed listed) {
            User user = listed.user();
            return new UserResponse(user.userId(), user.username(), user.displayName(), Channels.of(user.channels()),
                    user.createdAt(), user.role().wireName(), listed.disabled(), listed.contact() ? "contact" : "user");
        }
    }

    record UserPage(List<UserResponse> users, String nextCursor) {
    }

    /** What {@code PATCH /v1/users/{id}} may change; absent fields stay as they are. */
    record UpdateUserRequest(@Size(min = 1, max = 200) String displayName,
                             @Pattern(regexp = "user|admin", message = "must be 'user' or 'admin'") String role,
                             Boolean disabled, @Valid Channels channels) {
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

    /**
     * {@code PATCH /v1/users/{id}} (admins): display name, role, disabled, channels (replacing the
     * user's addresses; the change reaches the router and adapters on {@code users.changes}). A new role or disabling
     * signs the user out everywhere at once (their tokens and streams end; a disabled user cannot
     * sign in); the hub keeps at least one active admin (409).
     */
    @PatchMapping(path = "/v1/users/{id}", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<UserResponse> update(@PathVariable("id") UUID userId, @Valid @RequestBody UpdateUserRequest request) {
        UserRepository.Change change = new UserRepository.Change(request.displayName(),
                request.role() == null ? null : Role.fromWire(request.role()), request.disabled(),
                request.channels() == null ? null : request.channels().toMap());
        return jdbc.call(() -> {
            try {
                return users.change(userId, change).orElseThrow(() -> ApiException.notFound("user " + userId));
            } catch (UserRepository.LastAdminException e) {
                throw new ApiException(HttpStatus.CONFLICT, "Last admin", e.getMessage());
            }
        }).doOnNext(changed -> {
            access.changed(changed.access());
            relay.nudge();
        }).map(changed -> {
            UserResponse user = UserResponse.of(changed.user());
            return new UserResponse(user.userId(), user.username(), user.displayName(), user.channels(), user.createdAt(),
                    user.role(), changed.disabled(), null);
        });
    }

    /**
     * {@code GET /v1/users} (admins): users and channel contacts in username order, {@code limit}
     * per page (50, at most 200) with {@code next_cursor}; {@code q} keeps those whose username or
     * display name starts with it (any case) or whose WhatsApp number or Instagram id it is.
     */
    @GetMapping("/v1/users")
    Mono<UserPage> list(@RequestParam(required = false) String q, @RequestParam(required = false) String cursor,
                        @RequestParam(required = false) Integer limit) {
        int size = Cursors.limit(limit);
        String query = q == null || q.isBlank() ? null : q.strip();
        if (query != null && query.length() > MAX_QUERY_CHARS) {
            throw ApiException.invalid("q", "must be at most " + MAX_QUERY_CHARS + " characters");
        }
        String after = Cursors.decode(cursor, parts -> {
            if (parts.size() < 2 || !CURSOR_KIND.equals(parts.get(0))) {
                throw new IllegalArgumentException("not a user list cursor");
            }
            return String.join("|", parts.subList(1, parts.size()));
        });
        return jdbc.call(() -> users.page(query, after, size)).map(page -> {
            UserRepository.Listed last = page.size() < size ? null : page.get(page.size() - 1);
            return new UserPage(page.stream().map(UserResponse::listed).toList(),
                    last == null ? null : Cursors.encode(CURSOR_KIND, last.user().username()));
        });
    }

    @GetMapping("/v1/users/me")
    Mono<UserResponse> me(@AuthenticationPrincipal HubPrincipal principal) {
        return jdbc.call(() -> users.findById(principal.userId()).map(UserResponse::of)
                .orElseThrow(() -> ApiException.notFound("user " + principal.userId())));
    }
}
