package io.chat4all.hub.gateway.conversations;

import io.chat4all.hub.contracts.events.ConversationType;
import io.chat4all.hub.gateway.core.ApiException;
import io.chat4all.hub.gateway.core.Cursors;
import io.chat4all.hub.gateway.core.GatewayProperties;
import io.chat4all.hub.gateway.core.HubPrincipal;
import io.chat4all.hub.gateway.core.Jdbc;
import io.chat4all.hub.gateway.core.OutboxRelay;
import io.chat4all.hub.gateway.core.Quotas;
import io.chat4all.hub.gateway.users.UserRepository;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Conversations: create, list, get, add and remove members. A conversation the caller is not a
 * member of answers 404 (ids cannot be probed). Integrators (API keys) may act on any conversation.
 */
@RestController
class ConversationController {

    private final ConversationRepository conversations;
    private final UserRepository users;
    private final OutboxRelay relay;
    private final Jdbc jdbc;
    private final int maxGroupMembers;
    private final Quotas quotas;

    ConversationController(ConversationRepository conversations, UserRepository users, OutboxRelay relay, Jdbc jdbc,
                           GatewayProperties properties, Quotas quotas) {
        this.quotas = quotas;
        this.conversations = conversations;
        this.users = users;
        this.relay = relay;
        this.jdbc = jdbc;
        this.maxGroupMembers = properties.maxGroupMembers();
    }

    record CreateRequest(@NotNull @Pattern(regexp = "private|group", message = "must be 'private' or 'group'") String type,
                         @NotNull List<@NotNull UUID> members,
                         @Size(max = 200) String name) {
    }

    record AddMemberRequest(@NotNull UUID userId) {
    }

    /** {@code owner_id} and {@code admins}: a group's roles (absent for a private conversation). */
    record ConversationResponse(UUID conversationId, String type, String name, List<UUID> members, long lastSeq,
                                Instant createdAt, Instant lastActivityAt, UUID ownerId, List<UUID> admins) {

        static ConversationResponse of(Conversation c) {
            boolean group = c.type() == ConversationType.GROUP;
            return new ConversationResponse(c.conversationId(), c.type().wireName(), c.name(), c.members(), c.lastSeq(),
                    c.createdAt(), c.lastActivityAt(), group ? c.ownerId() : null, group ? c.admins() : null);
        }
    }

    record ConversationPage(List<ConversationResponse> conversations, String nextCursor) {
    }

    @PostMapping(path = "/v1/conversations", consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    Mono<ConversationResponse> create(@Valid @RequestBody CreateRequest request, @AuthenticationPrincipal HubPrincipal caller) {
        quotas.enforce(caller, Quotas.Kind.CONVERSATIONS, 1);
        ConversationType type = ConversationType.fromWire(request.type());
        Set<UUID> members = new LinkedHashSet<>();
        if (!caller.isIntegrator()) {
            members.add(caller.userId());
        }
        members.addAll(request.members());
        if (type == ConversationType.PRIVATE && members.size() != 2) {
            throw ApiException.invalid("members", "a private conversation has exactly two members (the caller included),"
                    + " found " + members.size());
        }
        if (members.isEmpty()) {
            throw ApiException.invalid("members", "must not be empty");
        }
        if (members.size() > maxGroupMembers) {
            throw ApiException.invalid("members", "a group has at most " + maxGroupMembers + " members, the caller"
                    + " included; found " + members.size());
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return jdbc.call(() -> {
            List<UUID> unknown = users.missing(members, caller.userId(), caller.isIntegrator());
            if (!unknown.isEmpty()) {
                throw ApiException.invalid("members", "unknown user ids: "
                        + unknown.stream().map(UUID::toString).collect(Collectors.joining(", ")));
            }
            return conversations.create(UUID.randomUUID(), type, request.name(), new ArrayList<>(members), caller.userId(),
                    caller.isIntegrator() ? null : caller.userId(), now);
        }).doOnSuccess(created -> relay.nudge()).map(ConversationResponse::of);
    }

    @GetMapping("/v1/conversations")
    Mono<ConversationPage> list(@RequestParam(required = false) String cursor, @RequestParam(required = false) Integer limit,
                                @AuthenticationPrincipal HubPrincipal caller) {
        int size = Cursors.limit(limit);
        ConversationRepository.Position position = Cursors.decode(cursor,
                parts -> new ConversationRepository.Position(Instant.parse(parts.get(0)), UUID.fromString(parts.get(1))));
        return jdbc.call(() -> conversations.listFor(caller.userId(), position, size + 1)).map(found -> {
            List<Conversation> page = found.subList(0, Math.min(size, found.size()));
            String next = found.size() > size ? Cursors.encode(page.get(page.size() - 1).lastActivityAt().toString(),
                    page.get(page.size() - 1).conversationId().toString()) : null;
            return new ConversationPage(page.stream().map(ConversationResponse::of).toList(), next);
        });
    }

    @GetMapping("/v1/conversations/{id}")
    Mono<ConversationResponse> get(@PathVariable UUID id, @AuthenticationPrincipal HubPrincipal caller) {
        return visible(id, caller).map(ConversationResponse::of);
    }

    @PostMapping(path = "/v1/conversations/{id}/members", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<ConversationResponse> addMember(@PathVariable UUID id, @Valid @RequestBody AddMemberRequest request,
                                         @AuthenticationPrincipal HubPrincipal caller) {
        return visible(id, caller).flatMap(conversation -> {
            requireGroup(conversation);
            return jdbc.call(() -> {
                if (!users.missing(List.of(request.userId()), caller.userId(), caller.isIntegrator()).isEmpty()) {
                    throw ApiException.invalid("user_id", "unknown user id: " + request.userId());
                }
                try {
                    return conversations.addMember(id, request.userId(), caller.userId(), caller.isIntegrator(),
                            Instant.now().truncatedTo(ChronoUnit.MICROS), maxGroupMembers);
                } catch (ConversationRepository.GroupFullException e) {
                    throw new ApiException(HttpStatus.CONFLICT, "Group full", e.getMessage());
                } catch (ConversationRepository.NotAllowedException e) {
                    throw new ApiException(HttpStatus.FORBIDDEN, "Forbidden", e.getMessage());
                }
            });
        }).doOnSuccess(change -> relay.nudge()).map(change -> ConversationResponse.of(change.conversation()));
    }

    @DeleteMapping("/v1/conversations/{id}/members/{user_id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> removeMember(@PathVariable UUID id, @PathVariable("user_id") UUID userId, @AuthenticationPrincipal HubPrincipal caller) {
        return visible(id, caller).flatMap(conversation -> {
            requireGroup(conversation);
            return jdbc.call(() -> {
                try {
                    return conversations.removeMember(id, userId, caller.userId(), caller.isIntegrator(),
                                    Instant.now().truncatedTo(ChronoUnit.MICROS))
                            .orElseThrow(() -> ApiException.notFound("member " + userId + " of conversation " + id));
                } catch (ConversationRepository.NotAllowedException e) {
                    throw new ApiException(HttpStatus.FORBIDDEN, "Forbidden", e.getMessage());
                }
            });
        }).doOnSuccess(change -> relay.nudge()).then();
    }

    record RoleRequest(@NotNull @Pattern(regexp = "owner|admin|member", message = "must be 'owner', 'admin' or 'member'")
                       String role) {
    }

    /**
     * {@code PATCH /v1/conversations/{id}/members/{user_id}} {@code {role}} (a group's owner, or an
     * integrator): makes a member an admin or a member again, or the owner (the old owner becomes
     * an admin).
     */
    @PatchMapping(path = "/v1/conversations/{id}/members/{user_id}", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<ConversationResponse> changeRole(@PathVariable UUID id, @PathVariable("user_id") UUID userId,
                                          @Valid @RequestBody RoleRequest request, @AuthenticationPrincipal HubPrincipal caller) {
        return visible(id, caller).flatMap(conversation -> {
            requireGroup(conversation);
            return jdbc.call(() -> {
                try {
                    return conversations.changeRole(id, userId, Conversation.MemberRole.fromWire(request.role()), caller.userId(),
                                    caller.isIntegrator())
                            .orElseThrow(() -> ApiException.notFound("member " + userId + " of conversation " + id));
                } catch (ConversationRepository.NotAllowedException e) {
                    throw new ApiException(HttpStatus.FORBIDDEN, "Forbidden", e.getMessage());
                }
            });
        }).map(ConversationResponse::of);
    }

    /** The conversation if the caller may see it; 404 otherwise, whether it exists or not. */
    private Mono<Conversation> visible(UUID id, HubPrincipal caller) {
        return jdbc.call(() -> conversations.find(id)
                .filter(c -> caller.isIntegrator() || c.hasMember(caller.userId()))
                .orElseThrow(() -> ApiException.notFound("conversation " + id)));
    }

    private static void requireGroup(Conversation conversation) {
        if (conversation.type() != ConversationType.GROUP) {
            throw new ApiException(HttpStatus.CONFLICT, "Not a group", "members of a private conversation cannot change");
        }
    }
}
