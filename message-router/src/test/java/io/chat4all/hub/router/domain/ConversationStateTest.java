package io.chat4all.hub.router.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.chat4all.hub.contracts.kafka.JsonSerde;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ConversationStateTest {

    private final JsonSerde<ConversationState> serde = new JsonSerde<>(ConversationState.class);

    @Test
    void shouldStayTheSizeOfOneMemberListWhateverTheChurn() {
        List<UUID> members = new ArrayList<>(IntStream.range(0, 1000).mapToObj(i -> UUID.randomUUID()).toList());
        ConversationState state = ConversationState.unknown().withMembership(1, members);
        for (long version = 2; version <= 200; version++) {
            if (version % 2 == 0) {
                members.add(UUID.randomUUID());
            } else {
                members.remove(0);
            }
            state = state.withMembership(version, members);
        }

        byte[] stored = serde.serialize("store", state);

        assertThat(stored.length).as("one list of 1,000 ids plus 32 one-id changes").isLessThan(50_000);
        assertThat(serde.deserialize("store", stored)).isEqualTo(state);
        assertThat(state.changes()).hasSize(ConversationState.CHANGES_LIMIT);
    }

    @Test
    void shouldGiveTheMembersOfEachKeptVersion() {
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        UUID c = UUID.randomUUID();
        ConversationState state = ConversationState.unknown()
                .withMembership(1, List.of(a, b))
                .withMembership(2, List.of(a, b, c))
                .withMembership(3, List.of(a, c))
                .withMembership(3, List.of(a))
                .withMembership(2, List.of(b));

        assertThat(state.membersAt(1)).contains(List.of(a, b));
        assertThat(state.membersAt(2)).hasValueSatisfying(m -> assertThat(m).containsExactlyInAnyOrder(a, b, c));
        assertThat(state.membersAt(3)).contains(List.of(a, c));
        assertThat(state.membersAt(7)).as("a version not seen yet is not asked for; the newest is the answer")
                .contains(List.of(a, c));
        assertThat(state.knows(3)).isTrue();
        assertThat(state.knows(4)).isFalse();
        assertThat(ConversationState.unknown().membersAt(1)).isEmpty();
    }

    @Test
    void shouldReadAStateStoredWithFullMemberListsPerVersion() {
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        UUID c = UUID.randomUUID();
        String legacy = "{\"version\":6,\"history\":[{\"version\":5,\"members\":[\"" + a + "\",\"" + b + "\"]},"
                + "{\"version\":6,\"members\":[\"" + a + "\",\"" + c + "\"]}],\"last_seq\":41,\"pending\":0}";

        ConversationState state = serde.deserialize("store", legacy.getBytes(java.nio.charset.StandardCharsets.UTF_8));

        assertThat(state.version()).isEqualTo(6);
        assertThat(state.lastSeq()).isEqualTo(41);
        assertThat(state.membersAt(6)).contains(List.of(a, c));
        assertThat(state.membersAt(5)).hasValueSatisfying(m -> assertThat(m).containsExactlyInAnyOrder(a, b));
    }
}
