package io.chat4all.hub.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chat4all.hub.contracts.events.Channel;
import io.chat4all.hub.contracts.events.ChannelOutbound;
import io.chat4all.hub.contracts.events.ConversationChange;
import io.chat4all.hub.contracts.events.ConversationChanged;
import io.chat4all.hub.contracts.events.ConversationType;
import io.chat4all.hub.contracts.events.DeliveryStatus;
import io.chat4all.hub.contracts.events.DeliveryStatusChanged;
import io.chat4all.hub.contracts.events.Direction;
import io.chat4all.hub.contracts.events.HubEvent;
import io.chat4all.hub.contracts.events.InboundChannelMessage;
import io.chat4all.hub.contracts.events.MessageAccepted;
import io.chat4all.hub.contracts.events.MessageRouted;
import io.chat4all.hub.contracts.events.UserChanged;
import io.chat4all.hub.contracts.events.ParticipantMessage;
import io.chat4all.hub.contracts.events.Payload;
import io.chat4all.hub.contracts.kafka.EventJson;
import io.chat4all.hub.contracts.kafka.JsonSerde;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Each event has a golden JSON file. Reading the file must give the expected record and writing the
 * record must give the file: a change that breaks readers or writers of the wire format fails here.
 */
class GoldenEventsTest {

    private static final UUID CONVERSATION = UUID.fromString("3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f");
    private static final UUID MESSAGE = UUID.fromString("0b8e5c1a-2d3f-4e5a-9b6c-7d8e9f0a1b2c");
    private static final UUID ALICE = UUID.fromString("a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d");
    private static final UUID BOB = UUID.fromString("b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e");
    private static final UUID CAROL = UUID.fromString("e5f6a7b8-c9d0-4e1f-8a2b-4c5d6e7f8a9b");
    private static final long MSG_ID = 185794460317442048L;

    static Stream<Arguments> goldenEvents() {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("order_id", "4512");
        metadata.put("priority", 2);
        metadata.put("tags", List.of("shipping"));
        metadata.put("note", null);
        return Stream.of(
                Arguments.of("message-accepted.json", new MessageAccepted(
                        UUID.fromString("6f1c2a4e-9b7d-4c3e-8a51-0d2f3b4c5d6e"),
                        Instant.parse("2026-11-23T10:15:30.123Z"), MSG_ID, MESSAGE, CONVERSATION, ALICE, 3,
                        new Payload.Text("Olá! Your order #4512 has shipped."),
                        List.of(Channel.WHATSAPP, Channel.INSTAGRAM), metadata,
                        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")),
                Arguments.of("participant-message.json", new ParticipantMessage(
                        UUID.fromString("7a2d3b5f-0c8e-4d4f-9b62-1e3f4c5d6e7f"),
                        Instant.parse("2026-11-23T10:15:30.180Z"), BOB, Direction.INCOMING, MSG_ID, MESSAGE,
                        CONVERSATION, 42, ALICE,
                        new Payload.Encrypted("q83vEjRWeJA=", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYX", "xsalsa20-poly1305"),
                        Map.of(), Instant.parse("2026-11-23T10:15:30.123Z"))),
                Arguments.of("channel-outbound.json", new ChannelOutbound(
                        UUID.fromString("8b3e4c6a-1d9f-4e5a-8c73-2f4a5b6c7d8e"),
                        Instant.parse("2026-11-23T10:15:30.185Z"),
                        UUID.fromString("c3d4e5f6-a7b8-4c9d-8e0f-2a3b4c5d6e7f"), MSG_ID, MESSAGE, CONVERSATION, 42,
                        ALICE, BOB, Channel.WHATSAPP, "5511987654321",
                        new Payload.File("d4e5f6a7-b8c9-4d0e-9f1a-3b4c5d6e7f8a", "invoice.pdf"))),
                Arguments.of("delivery-status-changed.json", new DeliveryStatusChanged(
                        UUID.fromString("9c4f5d7b-2e0a-4f6b-9d84-3a5b6c7d8e9f"),
                        Instant.parse("2026-11-23T10:15:31.002Z"), MSG_ID, MESSAGE, CONVERSATION, BOB,
                        Channel.WHATSAPP, DeliveryStatus.FAILED,
                        "wamid.HBgNNTUxMTk4NzY1NDMyMRUCABEYEjQ1RkE2QjE3QzVEMTIzNDU2AA==",
                        new DeliveryStatusChanged.DeliveryError("131026", "Message undeliverable"))),
                Arguments.of("user-changed.json", new UserChanged(
                        UUID.fromString("be61f7d9-4a2c-4b8d-9fa6-5c7d8e9fa0b1"), Instant.parse("2026-11-23T08:30:00Z"),
                        BOB, "bob", "Bob Souza",
                        Map.of(Channel.WHATSAPP, "5511987654321", Channel.INSTAGRAM, "17841400000000000"), false)),
                Arguments.of("message-routed.json", new MessageRouted(
                        UUID.fromString("cf72a8ea-5b3d-4c9e-8ab7-6d8e9fa0b1c2"),
                        Instant.parse("2026-11-23T10:15:30.175Z"), MSG_ID, MESSAGE, CONVERSATION, 42, ALICE,
                        new Payload.Text("Olá! Your order #4512 has shipped."), List.of(Channel.WHATSAPP),
                        Map.of("order_id", "4512"), List.of(ALICE, BOB),
                        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                        Instant.parse("2026-11-23T10:15:30.123Z"))),
                Arguments.of("conversation-changed.json", new ConversationChanged(
                        UUID.fromString("ad50e6c8-3f1b-4a7c-8e95-4b6c7d8e9fa0"),
                        Instant.parse("2026-11-23T09:00:00Z"), CONVERSATION, 3, ConversationChange.MEMBER_ADDED,
                        ConversationType.GROUP, "Order 4512", List.of(ALICE, BOB, CAROL), CAROL, ALICE)),
                Arguments.of("inbound-channel-message.json", new InboundChannelMessage(
                        UUID.fromString("d1e2f3a4-b5c6-4d7e-8f90-a1b2c3d4e5f6"),
                        Instant.parse("2026-11-23T11:02:03.456Z"), Channel.WHATSAPP,
                        "wamid.HBgNNTUxMTk4NzY1NDMyMRUCABIYFjNFQjBCNkQ3RjE5OEFBNkU2QTg0AA==", "5511987654321",
                        "15550001000", "Bruna", new Payload.Text("Where is my order?"),
                        Instant.parse("2026-11-23T11:02:02Z"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldenEvents")
    void shouldReadGoldenFileAsExpectedEvent(String file, HubEvent expected) {
        HubEvent read = serdeFor(expected).deserialize("any", golden(file));

        assertThat(read).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldenEvents")
    void shouldWriteEventAsGoldenFile(String file, HubEvent event) {
        byte[] written = serdeFor(event).serialize("any", event);

        assertThat(tree(written)).isEqualTo(tree(golden(file)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldenEvents")
    void shouldIgnoreFieldsAddedByNewerWriters(String file, HubEvent expected) {
        ObjectNode newer = (ObjectNode) tree(golden(file));
        newer.put("added_in_a_later_version", "readers must not care");
        newer.putObject("another_addition").put("nested", true);

        HubEvent read = serdeFor(expected).deserialize("any", newer.toString().getBytes(StandardCharsets.UTF_8));

        assertThat(read).isEqualTo(expected);
    }

    @Test
    void shouldFailWithSerializationExceptionOnUnreadableRecord() {
        JsonSerde<MessageAccepted> serde = new JsonSerde<>(MessageAccepted.class);

        assertThatThrownBy(() -> serde.deserialize("messages.accepted", "{not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("messages.accepted");
        assertThatThrownBy(() -> serde.deserialize("messages.accepted",
                "{\"payload\":{\"type\":\"text\"},\"channels\":[\"carrier-pigeon\"]}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class);
    }

    @Test
    void shouldWriteEveryStatusWithItsLowerCaseWireName() {
        assertThat(Arrays.stream(DeliveryStatus.values()).map(DeliveryStatus::wireName))
                .containsExactly("accepted", "in_transit", "sent", "delivered", "read", "failed");
    }

    @SuppressWarnings("unchecked")
    private static JsonSerde<HubEvent> serdeFor(HubEvent event) {
        return (JsonSerde<HubEvent>) new JsonSerde<>(event.getClass());
    }

    private static JsonNode tree(byte[] json) {
        return EventJson.mapper().readTree(json);
    }

    private static byte[] golden(String file) {
        try (InputStream in = GoldenEventsTest.class.getResourceAsStream("/golden/" + file)) {
            assertThat(in).as("golden file %s", file).isNotNull();
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
