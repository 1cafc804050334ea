package io.chat4all.hub.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.chat4all.hub.contracts.events.ConversationChange;
import io.chat4all.hub.contracts.events.ConversationChanged;
import io.chat4all.hub.contracts.kafka.Topics;
import io.chat4all.hub.localstack.engine.EngineKind;
import io.chat4all.hub.localstack.junit.HubApi;
import io.chat4all.hub.localstack.junit.HubStack;
import io.chat4all.hub.localstack.junit.TestStack;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

/** Conversations and membership over the real HTTP API, with their events on the real broker. */
@HubStack({EngineKind.KAFKA, EngineKind.POSTGRES, EngineKind.S3, EngineKind.ELASTICSEARCH})
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "hub.gateway.max-group-members=3")
@ActiveProfiles("test")
class ConversationsTest {

    @Value("${local.server.port}")
    int port;
    private HubApi api;
    private UUID alice;
    private UUID bob;
    private UUID carol;
    private String aliceToken;
    private String bobToken;
    private String carolToken;

    @BeforeEach
    void createUsers() {
        api = new HubApi(port);
        String admin = api.login("admin", "test-admin-password");
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        alice = api.createUser(admin, "alice-" + suffix, "alice-password");
        bob = api.createUser(admin, "bob-" + suffix, "bob-password");
        carol = api.createUser(admin, "carol-" + suffix, "carol-password");
        aliceToken = api.login("alice-" + suffix, "alice-password");
        bobToken = api.login("bob-" + suffix, "bob-password");
        carolToken = api.login("carol-" + suffix, "carol-password");
    }

    @Test
    void shouldCreateAPrivateConversationWithTheCallerAndHideItFromOthers() {
        HubApi.Response created = api.post("/v1/conversations", aliceToken, "{\"type\":\"private\",\"members\":[\"" + bob + "\"]}");

        assertThat(created.status()).isEqualTo(201);
        String id = created.body().path("conversation_id").asString();
        assertThat(members(created)).containsExactlyInAnyOrder(alice.toString(), bob.toString());
        HubApi.Response read = api.get("/v1/conversations/" + id, bobToken);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.body().path("last_seq").asLong()).isZero();
        HubApi.Response hidden = api.get("/v1/conversations/" + id, carolToken);
        assertThat(hidden.status()).as("a non-member gets 404, not 403").isEqualTo(404);
        assertThat(api.get("/v1/conversations/" + UUID.randomUUID(), carolToken).body().path("detail"))
                .as("an unknown id looks the same").isNotNull();
        assertThat(api.post("/v1/conversations/" + id + "/members", aliceToken, "{\"user_id\":\"" + carol + "\"}").status())
                .isEqualTo(409);
    }

    @Test
    void shouldCapAGroupOnCreateAndOnAdd() {
        String admin = api.login("admin", "test-admin-password");
        UUID dave = api.createUser(admin, "dave-" + UUID.randomUUID().toString().substring(0, 8), "dave-password");
        HubApi.Response tooBig = api.post("/v1/conversations", aliceToken, "{\"type\":\"group\",\"members\":[\"" + bob
                + "\",\"" + carol + "\",\"" + dave + "\"]}");
        assertThat(tooBig.status()).isEqualTo(400);
        assertThat(tooBig.body().path("errors").get(0).path("field").asString()).isEqualTo("members");

        String id = api.post("/v1/conversations", aliceToken, "{\"type\":\"group\",\"members\":[\"" + bob + "\",\""
                + carol + "\"]}").body().path("conversation_id").asString();
        HubApi.Response full = api.post("/v1/conversations/" + id + "/members", aliceToken, "{\"user_id\":\"" + dave + "\"}");

        assertThat(full.status()).isEqualTo(409);
        assertThat(full.body().path("title").asString()).isEqualTo("Group full");
        assertThat(members(api.get("/v1/conversations/" + id, aliceToken))).hasSize(3);
    }

    @Test
    void shouldRejectInvalidConversationsNamingTheProblem() {
        UUID stranger = UUID.randomUUID();
        HubApi.Response unknown = api.post("/v1/conversations", aliceToken, "{\"type\":\"group\",\"members\":[\"" + bob + "\",\""
                + stranger + "\"]}");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.raw()).contains(stranger.toString()).doesNotContain(bob.toString());

        assertThat(api.post("/v1/conversations", aliceToken, "{\"type\":\"private\",\"members\":[\"" + bob + "\",\"" + carol
                + "\"]}").status()).isEqualTo(400);
        assertThat(api.post("/v1/conversations", aliceToken, "{\"type\":\"channel\",\"members\":[]}").body().path("errors")
                .get(0).path("field").asString()).isEqualTo("type");
        assertThat(api.get("/v1/conversations/not-a-uuid", aliceToken).status()).isEqualTo(400);
        assertThat(api.get("/v1/conversations?limit=500", aliceToken).status()).isEqualTo(400);
        assertThat(api.get("/v1/conversations?cursor=garbage!", aliceToken).status()).isEqualTo(400);
    }

    @Test
    void shouldChangeGroupMembershipAndPublishEveryVersion(TestStack stack) {
        String id = api.post("/v1/conversations", aliceToken, "{\"type\":\"group\",\"name\":\"team\",\"members\":[\"" + bob
                + "\"]}").body().path("conversation_id").asString();

        assertThat(api.post("/v1/conversations/" + id + "/members", bobToken, "{\"user_id\":\"" + carol + "\"}").status())
                .as("a plain member does not add others").isEqualTo(403);
        HubApi.Response added = api.post("/v1/conversations/" + id + "/members", aliceToken, "{\"user_id\":\"" + carol + "\"}");
        assertThat(added.status()).isEqualTo(200);
        assertThat(members(added)).containsExactlyInAnyOrder(alice.toString(), bob.toString(), carol.toString());
        assertThat(api.delete("/v1/conversations/" + id + "/members/" + bob, aliceToken).status()).isEqualTo(204);
        assertThat(api.get("/v1/conversations/" + id, bobToken).status()).as("a removed member no longer sees it").isEqualTo(404);
        assertThat(api.delete("/v1/conversations/" + id + "/members/" + bob, aliceToken).status()).isEqualTo(404);

        List<ConversationChanged> events = KafkaEvents.await(stack, Topics.CONVERSATION_CHANGES,
                e -> e.conversationId().toString().equals(id), 3);
        assertThat(events).extracting(ConversationChanged::version).containsExactly(1L, 2L, 3L);
        assertThat(events).extracting(ConversationChanged::change).containsExactly(ConversationChange.CREATED,
                ConversationChange.MEMBER_ADDED, ConversationChange.MEMBER_REMOVED);
        assertThat(events.get(2).members()).containsExactlyInAnyOrder(alice, carol);
    }

    @Test
    void shouldGiveTheCreatorTheGroupAndLetOnlyItsOwnerAndAdminsChangeOthers() {
        HubApi.Response created = api.post("/v1/conversations", aliceToken, "{\"type\":\"group\",\"members\":[\"" + bob
                + "\",\"" + carol + "\"]}");
        String id = created.body().path("conversation_id").asString();
        String group = "/v1/conversations/" + id;
        assertThat(created.body().path("owner_id").asString()).isEqualTo(alice.toString());
        assertThat(created.body().path("admins").isEmpty()).isTrue();

        assertThat(api.delete(group + "/members/" + carol, bobToken).status()).as("members do not remove others").isEqualTo(403);
        assertThat(api.patch(group + "/members/" + bob, carolToken, "{\"role\":\"admin\"}").status())
                .as("only the owner changes roles").isEqualTo(403);
        HubApi.Response promoted = api.patch(group + "/members/" + bob, aliceToken, "{\"role\":\"admin\"}");
        assertThat(promoted.status()).isEqualTo(200);
        assertThat(promoted.body().path("admins").get(0).asString()).isEqualTo(bob.toString());

        assertThat(api.delete(group + "/members/" + alice, bobToken).status()).as("an admin does not remove the owner")
                .isEqualTo(403);
        assertThat(api.delete(group + "/members/" + carol, bobToken).status()).as("an admin removes members").isEqualTo(204);
        assertThat(api.post(group + "/members", bobToken, "{\"user_id\":\"" + carol + "\"}").status()).as("and adds them")
                .isEqualTo(200);
        assertThat(api.delete(group + "/members/" + carol, carolToken).status()).as("anyone may leave").isEqualTo(204);

        HubApi.Response handedOn = api.patch(group + "/members/" + bob, aliceToken, "{\"role\":\"owner\"}");
        assertThat(handedOn.body().path("owner_id").asString()).isEqualTo(bob.toString());
        assertThat(handedOn.body().path("admins").get(0).asString()).as("the old owner stays an admin").isEqualTo(alice.toString());
        assertThat(api.post(group + "/members", bobToken, "{\"user_id\":\"" + carol + "\"}").status()).isEqualTo(200);
        assertThat(api.delete(group + "/members/" + bob, bobToken).status()).as("the owner leaves").isEqualTo(204);
        assertThat(api.get(group, carolToken).body().path("owner_id").asString())
                .as("the longest-standing admin takes the group on").isEqualTo(alice.toString());

        String pair = api.post("/v1/conversations", aliceToken, "{\"type\":\"private\",\"members\":[\"" + bob + "\"]}")
                .body().path("conversation_id").asString();
        assertThat(api.get("/v1/conversations/" + pair, aliceToken).body().has("owner_id")).isFalse();
        assertThat(api.patch("/v1/conversations/" + pair + "/members/" + bob, aliceToken, "{\"role\":\"admin\"}").status())
                .isBetween(400, 499);
    }

    @Test
    void shouldListTheCallersConversationsNewestActivityFirstAcrossPages() {
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(0, api.post("/v1/conversations", carolToken, "{\"type\":\"group\",\"members\":[\"" + bob + "\"]}")
                    .body().path("conversation_id").asString());
        }

        List<String> listed = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            HubApi.Response page = api.get("/v1/conversations?limit=2" + (cursor == null ? "" : "&cursor=" + cursor), carolToken);
            assertThat(page.status()).isEqualTo(200);
            page.body().path("conversations").forEach(c -> listed.add(c.path("conversation_id").asString()));
            cursor = page.body().path("next_cursor").isMissingNode() || page.body().path("next_cursor").isNull()
                    ? null : page.body().path("next_cursor").asString();
            pages++;
        } while (cursor != null && pages < 10);

        assertThat(listed).containsExactlyElementsOf(created);
        assertThat(pages).isEqualTo(3);
    }

    private static List<String> members(HubApi.Response response) {
        List<String> members = new ArrayList<>();
        response.body().path("members").forEach(m -> members.add(m.asString()));
        return members;
    }
}
