package io.chat4all.hub.router.domain;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * What the router knows of one conversation's membership: its current members and the recent
 * membership changes (as deltas, so the record stays the size of one member list whatever the
 * churn). {@code lastSeq} and {@code pending} are what states written before {@link Counters} had
 * a store of their own carried; they are read once, then the counters store holds them.
 *
 * @param version the newest membership version seen (0 = none yet)
 * @param members the members at {@code version}, in the order the last change listed them
 * @param changes recent membership changes, oldest first, at most {@link #CHANGES_LIMIT}
 * @param lastSeq the last sequence number assigned, as of the last state written by an earlier version
 * @param pending messages waiting in the pending store, as of that state
 */
public record ConversationState(long version, List<UUID> members, List<Change> changes, long lastSeq, long pending) {

    /** Membership changes kept, so a message is routed to the members it was accepted against. */
    public static final int CHANGES_LIMIT = 32;

    /** Who joined and who left in the step to {@code version} from the version before it. */
    public record Change(long version, List<UUID> added, List<UUID> removed) {

        public Change {
            added = added == null ? List.of() : List.copyOf(added);
            removed = removed == null ? List.of() : List.copyOf(removed);
        }
    }

    /** The members of one membership version: how states were written before changes were deltas. */
    public record Membership(long version, List<UUID> members) {

        public Membership {
            members = members == null ? List.of() : List.copyOf(members);
        }
    }

    public ConversationState {
        members = members == null ? List.of() : List.copyOf(members);
        changes = changes == null ? List.of() : List.copyOf(changes);
    }

    /**
     * Reads a stored state, also one written before changes were kept as deltas (its
     * {@code history} held the full member list of each recent version).
     */
    @JsonCreator
    static ConversationState read(@JsonProperty("version") long version, @JsonProperty("members") List<UUID> members,
                                  @JsonProperty("changes") List<Change> changes, @JsonProperty("last_seq") long lastSeq,
                                  @JsonProperty("pending") long pending,
                                  @JsonProperty("history") List<Membership> history) {
        if (members != null || history == null || history.isEmpty()) {
            return new ConversationState(version, members, changes, lastSeq, pending);
        }
        ConversationState state = new ConversationState(0, List.of(), List.of(), lastSeq, pending);
        for (Membership membership : history) {
            state = state.withMembership(membership.version(), membership.members());
        }
        return new ConversationState(version, state.members(), state.changes().subList(1, state.changes().size()),
                lastSeq, pending);
    }

    public static ConversationState unknown() {
        return new ConversationState(0, List.of(), List.of(), 0, 0);
    }

    /** Applies a membership change; an older or repeated version changes nothing. */
    public ConversationState withMembership(long newVersion, List<UUID> newMembers) {
        if (newVersion <= version) {
            return this;
        }
        Set<UUID> before = new LinkedHashSet<>(members);
        Set<UUID> after = new LinkedHashSet<>(newMembers);
        List<UUID> added = new ArrayList<>();
        for (UUID member : after) {
            if (!before.contains(member)) {
                added.add(member);
            }
        }
        List<UUID> removed = new ArrayList<>();
        for (UUID member : before) {
            if (!after.contains(member)) {
                removed.add(member);
            }
        }
        List<Change> next = new ArrayList<>(changes);
        next.add(new Change(newVersion, added, removed));
        while (next.size() > CHANGES_LIMIT) {
            next.remove(0);
        }
        return new ConversationState(newVersion, List.copyOf(after), next, lastSeq, pending);
    }

    /** True once the router has seen membership version {@code required} (or a later one). */
    public boolean knows(long required) {
        return version > 0 && version >= required;
    }

    /**
     * The members as of {@code requested}: the current members with the kept changes after it
     * undone, newest first. A version older than every kept change gets the oldest members known.
     */
    public Optional<List<UUID>> membersAt(long requested) {
        if (version == 0) {
            return Optional.empty();
        }
        if (requested >= version) {
            return Optional.of(members);
        }
        Set<UUID> at = new LinkedHashSet<>(members);
        for (int i = changes.size() - 1; i >= 0 && changes.get(i).version() > requested; i--) {
            Change change = changes.get(i);
            change.added().forEach(at::remove);
            at.addAll(change.removed());
        }
        return Optional.of(List.copyOf(at));
    }
}
