package io.chat4all.hub.router.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.chat4all.hub.contracts.events.Channel;
import io.chat4all.hub.contracts.events.ChannelOutbound;
import io.chat4all.hub.contracts.events.ConversationChange;
import io.chat4all.hub.contracts.events.ConversationChanged;
import io.chat4all.hub.contracts.events.ConversationType;
import io.chat4all.hub.contracts.events.DeliveryStatus;
import io.chat4all.hub.contracts.events.DeliveryStatusChanged;
import io.chat4all.hub.contracts.events.Direction;
import io.chat4all.hub.contracts.events.MessageAccepted;
import io.chat4all.hub.contracts.events.MessageRouted;
import io.chat4all.hub.contracts.events.ParticipantMessage;
import io.chat4all.hub.contracts.events.Payload;
import io.chat4all.hub.contracts.events.UserChanged;
import io.chat4all.hub.contracts.ids.SnowflakeIdGenerator;
import io.chat4all.hub.contracts.kafka.TopicSpec;
import io.chat4all.hub.contracts.kafka.Topics;
import io.chat4all.hub.router.domain.ConversationState;
import io.chat4all.hub.router.domain.RoutedMark;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real wired topology (same builder, same streams settings as the service) in a
 * TopologyTestDriver. Unreadable records are covered against a real broker in
 * MessageRouterApplicationTest: the test driver does not write the records exception handlers
 * return for the dead-letter topic.
 */
class RouterTopologyTest {

    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private static final RouterTopology.Settings SETTINGS = new RouterTopology.Settings(Duration.ofMinutes(5),
            Duration.ofSeconds(30), Duration.ofDays(7), Duration.ofHours(1));

    private final UUID conversation = UUID.randomUUID();
    private final UUID alice = UUID.randomUUID();
    private final UUID bob = UUID.randomUUID();
    private final UUID carol = UUID.randomUUID();
    private final SnowflakeIdGenerator ids = new SnowflakeIdGenerator(1);

    @TempDir
    Path stateDir;
    private TopologyTestDriver driver;
    private TestInputTopic<UUID, MessageAccepted> accepted;
    private TestInputTopic<UUID, ConversationChanged> changes;
    private TestInputTopic<UUID, UserChanged> users;

    @BeforeEach
    void startDriver() {
        StreamsBuilder builder = new StreamsBuilder();
        RouterTopology.build(builder, SETTINGS);
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "router-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        config.putAll(RouterTopology.requiredStreamsConfig());
        driver = new TopologyTestDriver(builder.build(), config, T0);
        accepted = input(Topics.MESSAGES_ACCEPTED);
        changes = input(Topics.CONVERSATION_CHANGES);
        users = input(Topics.USER_CHANGES);
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    @Test
    void shouldAssignGapFreeSeqInAcceptOrderAndGiveEveryMemberACopy() {
        membership(1, ConversationChange.CREATED, alice, bob, carol);

        for (int i = 0; i < 5; i++) {
            accepted.pipeInput(conversation, message(i % 2 == 0 ? alice : bob, 1, "hello " + i));
        }

        List<MessageRouted> routed = output(Topics.MESSAGES_ROUTED).readValuesToList();
        assertThat(routed).extracting(MessageRouted::seq).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(routed).extracting(r -> ((Payload.Text) r.payload()).text())
                .containsExactly("hello 0", "hello 1", "hello 2", "hello 3", "hello 4");
        assertThat(routed.get(0).participants()).containsExactlyInAnyOrder(alice, bob, carol);

        List<TestRecord<UUID, ParticipantMessage>> copies = output(Topics.PARTICIPANT_MESSAGES).readRecordsToList();
        assertThat(copies).hasSize(15);
        assertThat(copies).allSatisfy(copy -> assertThat(copy.key()).isEqualTo(copy.value().ownerId()));
        for (UUID member : List.of(alice, bob, carol)) {
            assertThat(copies).filteredOn(copy -> copy.key().equals(member)).extracting(copy -> copy.value().seq())
                    .containsExactly(1L, 2L, 3L, 4L, 5L);
        }
        assertThat(copies.get(0).value().direction()).isEqualTo(copies.get(0).key().equals(alice)
                ? Direction.OUTGOING : Direction.INCOMING);

        List<DeliveryStatusChanged> statuses = output(Topics.MESSAGE_STATUS).readValuesToList();
        assertThat(statuses).hasSize(5).allSatisfy(s -> assertThat(s.status()).isEqualTo(DeliveryStatus.IN_TRANSIT));
    }

    @Test
    void shouldDeliverOnEveryRequestedChannelARecipientHasAnAddressOn() {
        users.pipeInput(bob, user(bob, Map.of(Channel.WHATSAPP, "5511987654321")));
        users.pipeInput(carol, user(carol, Map.of(Channel.WHATSAPP, "5511912345678", Channel.INSTAGRAM, "1784140000")));
        users.pipeInput(alice, user(alice, Map.of(Channel.WHATSAPP, "5511900000000")));
        membership(1, ConversationChange.CREATED, alice, bob, carol);

        accepted.pipeInput(conversation, message(alice, 1, "order shipped", Channel.WHATSAPP, Channel.INSTAGRAM));

        List<TestRecord<UUID, ChannelOutbound>> whatsapp = output(Topics.WHATSAPP_OUTBOUND).readRecordsToList();
        List<TestRecord<UUID, ChannelOutbound>> instagram = output(Topics.INSTAGRAM_OUTBOUND).readRecordsToList();
        assertThat(whatsapp).extracting(TestRecord::key).containsExactlyInAnyOrder(bob, carol);
        assertThat(whatsapp).extracting(r -> r.value().recipientAddress())
                .containsExactlyInAnyOrder("5511987654321", "5511912345678");
        assertThat(instagram).extracting(TestRecord::key).containsExactly(carol);
        assertThat(instagram.get(0).value().seq()).isEqualTo(1);
        assertThat(whatsapp.get(0).value().deliveryId()).isNotEqualTo(whatsapp.get(1).value().deliveryId());
        List<DeliveryStatusChanged> statuses = output(Topics.MESSAGE_STATUS).readValuesToList();
        assertThat(statuses).as("one in_transit per delivery, then the message-wide step")
                .extracting(s -> s.recipientId() + "/" + s.channel() + "/" + s.status().wireName())
                .containsExactlyInAnyOrder(bob + "/WHATSAPP/in_transit", carol + "/WHATSAPP/in_transit",
                        carol + "/INSTAGRAM/in_transit", "null/null/in_transit");
    }

    @Test
    void shouldHoldMessagesUntilTheirMembershipVersionArrivesAndKeepAcceptOrder() {
        membership(1, ConversationChange.CREATED, alice, bob);

        accepted.pipeInput(conversation, message(carol, 2, "first from the new member"));
        accepted.pipeInput(conversation, message(alice, 1, "second, checked against the old version"));
        assertThat(output(Topics.MESSAGES_ROUTED).isEmpty()).as("nothing routed before version 2 is known").isTrue();

        membership(2, ConversationChange.MEMBER_ADDED, alice, bob, carol);

        List<MessageRouted> routed = output(Topics.MESSAGES_ROUTED).readValuesToList();
        assertThat(routed).extracting(r -> ((Payload.Text) r.payload()).text())
                .containsExactly("first from the new member", "second, checked against the old version");
        assertThat(routed).extracting(MessageRouted::seq).containsExactly(1L, 2L);
        assertThat(routed.get(0).participants()).containsExactlyInAnyOrder(alice, bob, carol);
        assertThat(routed.get(1).participants()).as("routed to the members it was accepted against")
                .containsExactlyInAnyOrder(alice, bob);
    }

    @Test
    void shouldNotDeliverToAMemberRemovedBeforeTheMessageWasAccepted() {
        membership(1, ConversationChange.CREATED, alice, bob, carol);
        membership(2, ConversationChange.MEMBER_REMOVED, alice, bob);

        accepted.pipeInput(conversation, message(alice, 2, "after carol left"));

        assertThat(output(Topics.PARTICIPANT_MESSAGES).readKeyValuesToMap().keySet()).containsExactlyInAnyOrder(alice, bob);
    }

    @Test
    void shouldIgnoreARepublishedCopyAndDeadLetterADifferentBodyUnderTheSameMessageId() {
        membership(1, ConversationChange.CREATED, alice, bob);
        MessageAccepted original = message(alice, 1, "once");
        accepted.pipeInput(conversation, original);
        accepted.pipeInput(conversation, original);
        MessageAccepted conflicting = new MessageAccepted(UUID.randomUUID(), T0, ids.nextId(), original.messageId(),
                conversation, alice, 1, new Payload.Text("changed"), List.of(), Map.of(), "another-hash");
        accepted.pipeInput(conversation, conflicting);

        assertThat(output(Topics.MESSAGES_ROUTED).readValuesToList()).hasSize(1);
        List<TestRecord<UUID, MessageAccepted>> letters = output(RouterTopology.ACCEPTED_DEAD_LETTERS).readRecordsToList();
        assertThat(letters).hasSize(1);
        assertThat(letters.get(0).value().requestHash()).isEqualTo("another-hash");
        assertThat(reason(letters.get(0))).contains("was routed already (seq 1)");
    }

    @Test
    void shouldRouteTheSameMessageIdFromTwoSendersAsTwoMessages() {
        membership(1, ConversationChange.CREATED, alice, bob);
        MessageAccepted fromAlice = message(alice, 1, "alice's");
        MessageAccepted fromBob = new MessageAccepted(UUID.randomUUID(), T0, ids.nextId(), fromAlice.messageId(),
                conversation, bob, 1, new Payload.Text("bob's"), List.of(), Map.of(), "bob-hash");

        accepted.pipeInput(conversation, fromAlice);
        accepted.pipeInput(conversation, fromBob);
        accepted.pipeInput(conversation, fromBob);

        assertThat(output(Topics.MESSAGES_ROUTED).readValuesToList()).as("a message id is scoped to its sender")
                .extracting(MessageRouted::senderId, MessageRouted::seq).containsExactly(
                        org.assertj.core.groups.Tuple.tuple(alice, 1L), org.assertj.core.groups.Tuple.tuple(bob, 2L));
        assertThat(output(RouterTopology.ACCEPTED_DEAD_LETTERS).isEmpty()).isTrue();
    }

    @Test
    void shouldKeepRecognisingCopiesAndCountingSeqFromStateWrittenBeforeTheStoresWereSplit() {
        membership(1, ConversationChange.CREATED, alice, bob);
        KeyValueStore<UUID, ConversationState> conversations = driver.getKeyValueStore(RouterTopology.CONVERSATIONS_STORE);
        ConversationState known = conversations.get(conversation);
        conversations.put(conversation, new ConversationState(known.version(), known.members(), known.changes(), 41, 0));
        MessageAccepted routedLongAgo = message(alice, 1, "routed by the previous version");
        driver.<UUID, RoutedMark>getKeyValueStore(RouterTopology.ROUTED_STORE).put(routedLongAgo.messageId(),
                new RoutedMark(41, routedLongAgo.requestHash(), T0.toEpochMilli()));

        accepted.pipeInput(conversation, routedLongAgo);
        accepted.pipeInput(conversation, message(alice, 1, "the next one"));

        assertThat(output(Topics.MESSAGES_ROUTED).readValuesToList()).as("the old copy ignored, seq continued")
                .extracting(MessageRouted::seq).containsExactly(42L);
        assertThat(output(RouterTopology.ACCEPTED_DEAD_LETTERS).isEmpty()).isTrue();
    }

    @Test
    void shouldDeadLetterAMessageFromANonMember() {
        membership(1, ConversationChange.CREATED, alice, bob);

        accepted.pipeInput(conversation, message(carol, 1, "not mine to send"));

        assertThat(output(Topics.MESSAGES_ROUTED).isEmpty()).isTrue();
        List<TestRecord<UUID, MessageAccepted>> letters = output(RouterTopology.ACCEPTED_DEAD_LETTERS).readRecordsToList();
        assertThat(letters).hasSize(1);
        assertThat(reason(letters.get(0))).contains("is not a member");
        List<DeliveryStatusChanged> statuses = output(Topics.MESSAGE_STATUS).readValuesToList();
        assertThat(statuses).as("the sender sees it fail, it does not stay accepted").singleElement().satisfies(s -> {
            assertThat(s.status()).isEqualTo(DeliveryStatus.FAILED);
            assertThat(s.recipientId()).isNull();
            assertThat(s.error().code()).isEqualTo("not_routable");
            assertThat(s.error().reason()).contains("is not a member");
        });
    }

    @Test
    void shouldDeadLetterMessagesWhoseMembershipNeverArrivesAndReleaseTheOnesBehindThem() {
        membership(1, ConversationChange.CREATED, alice, bob);
        accepted.pipeInput(conversation, message(alice, 9, "checked against a version that never comes"));
        accepted.pipeInput(conversation, message(bob, 1, "queued behind it"));

        driver.advanceWallClockTime(Duration.ofMinutes(6));

        List<TestRecord<UUID, MessageAccepted>> letters = output(RouterTopology.ACCEPTED_DEAD_LETTERS).readRecordsToList();
        assertThat(letters).hasSize(1);
        assertThat(reason(letters.get(0))).contains("did not arrive within");
        assertThat(output(Topics.MESSAGES_ROUTED).readValuesToList()).extracting(r -> ((Payload.Text) r.payload()).text())
                .containsExactly("queued behind it");
    }

    private void membership(long version, ConversationChange change, UUID... members) {
        changes.pipeInput(conversation, new ConversationChanged(UUID.randomUUID(), T0, conversation, version, change,
                ConversationType.GROUP, "team", List.of(members), null, alice));
    }

    private MessageAccepted message(UUID sender, long membershipVersion, String text, Channel... channels) {
        return new MessageAccepted(UUID.randomUUID(), T0, ids.nextId(), UUID.randomUUID(), conversation, sender,
                membershipVersion, new Payload.Text(text), List.of(channels), Map.of(), "hash-of-" + text);
    }

    private static UserChanged user(UUID id, Map<Channel, String> addresses) {
        return new UserChanged(UUID.randomUUID(), T0, id, "user-" + id, "User", addresses, false);
    }

    private static String reason(TestRecord<?, ?> record) {
        return new String(record.headers().lastHeader(ConversationRouter.REASON_HEADER).value(), StandardCharsets.UTF_8);
    }

    private <V> TestInputTopic<UUID, V> input(TopicSpec<UUID, V> topic) {
        return driver.createInputTopic(topic.name(), topic.keySerde().serializer(), topic.valueSerde().serializer());
    }

    private <V> TestOutputTopic<UUID, V> output(TopicSpec<UUID, V> topic) {
        return driver.createOutputTopic(topic.name(), topic.keySerde().deserializer(), topic.valueSerde().deserializer());
    }
}
