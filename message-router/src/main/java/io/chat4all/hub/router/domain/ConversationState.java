package io.chat4all.hub.router.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What the router knows of one conversation: its membership (current and recent versions), the
 * last {@code seq} it handed out, and how many accepted messages wait for a membership version it
 * has not seen yet.
 *
 * @param version  the newest membership version seen (0 = none yet)
 * @param history  recent membership versions, oldest first, the newest last
 * @param lastSeq  the last sequence number assigned (0 = none yet)
 * @param pending  messages waiting in the pending store for this conversation
 */
public record ConversationState(long version, List<Membership> history, long lastSeq, long pending) {

    /** Membership versions kept, so a message is routed to the members it was accepted against. */
    public static final int HISTORY_LIMIT = 32;

    /** The members of one membership version. */
    public record Membership(long version, List<UUID> members) {

        public Membership {
            members = List.copyOf(members);
        }
    }

    public ConversationState {
        history = history == null ? List.of() : List.copyOf(history);
    }

    public static ConversationState unknown() {
        return new ConversationState(0, List.of(), 0, 0);
    }

    /** Applies a membership change; an older or repeated version changes nothing. */
    public ConversationState withMembership(long newVersion, List<UUID> members) {
        if (newVersion <= version) {
            return this;
        }
        List<Membership> next = new ArrayList<>(history);
        next.add(new Membership(newVersion, members));
        while (next.size() > HISTORY_LIMIT) {
            next.remove(0);
        }
        return new ConversationState(newVersion, next, lastSeq, pending);
    }

    /** True once the router has seen membership version {@code required} (or a later one). */
    public boolean knows(long required) {
        return !history.isEmpty() && version >= required;
    }

    /**
     * The members as of {@code requested}: the newest kept version not after it. A version older
     * than everything kept falls back to the oldest kept one.
     */
    public Optional<List<UUID>> membersAt(long requested) {
        if (history.isEmpty()) {
            return Optional.empty();
        }
        for (int i = history.size() - 1; i >= 0; i--) {
            if (history.get(i).version() <= requested) {
                return Optional.of(history.get(i).members());
            }
        }
        return Optional.of(history.get(0).members());
    }

    public ConversationState withNextSeq() {
        return new ConversationState(version, history, lastSeq + 1, pending);
    }

    public ConversationState withPending(long delta) {
        return new ConversationState(version, history, lastSeq, Math.max(0, pending + delta));
    }
}
