package io.chat4all.hub.bench;

import io.chat4all.hub.localstack.junit.HubApi;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The users and group conversations a scenario's load runs between, created through the public API
 * (each run has its own, so runs never share state), and the requests a chat client makes.
 */
final class Population {

    private static final String[] WORDS = ("pedido entrega status cliente order shipped hello thanks today tomorrow "
            + "invoice payment confirmed tracking number address delivery window support ticket").split(" ");

    /** A user of the run, logged in. */
    record Member(UUID id, String token) {
    }

    /** A group conversation of the run and its members. */
    record Room(String id, List<Member> members) {
    }

    private final String gatewayUrl;
    private final List<Member> users;
    private final List<Room> rooms;

    private Population(String gatewayUrl, List<Member> users, List<Room> rooms) {
        this.gatewayUrl = gatewayUrl;
        this.users = users;
        this.rooms = rooms;
    }

    /**
     * {@code userCount} users and {@code roomCount} groups of {@code minSize}–{@code maxSize} distinct
     * members, each created by its first member.
     */
    static Population create(String gatewayUrl, String adminPassword, int userCount, int roomCount, int minSize,
                             int maxSize) {
        HubApi api = new HubApi(gatewayUrl);
        String admin = api.login("admin", adminPassword);
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<Member> users = new ArrayList<>();
        for (int i = 0; i < userCount; i++) {
            String name = "bench-" + run + "-" + i;
            UUID id = api.createUser(admin, name, "bench-password");
            users.add(new Member(id, api.login(name, "bench-password")));
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        List<Room> rooms = new ArrayList<>();
        for (int r = 0; r < roomCount; r++) {
            int size = Math.min(userCount, minSize + random.nextInt(maxSize - minSize + 1));
            List<Member> members = random.ints(0, userCount).distinct().limit(size).mapToObj(users::get).toList();
            rooms.add(new Room(create(api, members), members));
        }
        return new Population(gatewayUrl, users, rooms);
    }

    /** Rooms with chosen members: {@code memberIndexes.get(r)} are the user indexes of room r. */
    static Population withRooms(String gatewayUrl, String adminPassword, int userCount, List<List<Integer>> memberIndexes) {
        Population plain = create(gatewayUrl, adminPassword, userCount, 0, 1, 1);
        HubApi api = new HubApi(gatewayUrl);
        List<Room> rooms = memberIndexes.stream().map(indexes -> {
            List<Member> members = indexes.stream().map(plain.users::get).toList();
            return new Room(create(api, members), members);
        }).toList();
        return new Population(gatewayUrl, plain.users, rooms);
    }

    private static String create(HubApi api, List<Member> members) {
        String others = members.stream().skip(1).map(m -> "\"" + m.id() + "\"").collect(Collectors.joining(","));
        HubApi.Response created = api.post("/v1/conversations", members.get(0).token(),
                "{\"type\":\"group\",\"name\":\"bench\",\"members\":[" + others + "]}");
        if (created.status() != 201) {
            throw new IllegalStateException("creating a bench conversation failed: " + created.status() + " " + created.raw());
        }
        return created.body().path("conversation_id").asString();
    }

    List<Member> users() {
        return users;
    }

    List<Room> rooms() {
        return rooms;
    }

    Room randomRoom() {
        return rooms.get(ThreadLocalRandom.current().nextInt(rooms.size()));
    }

    /** {@code POST /v1/messages}: a text of 200 B – 2 KB from {@code from} into {@code room}. */
    LoadDriver.Request send(Member from, String room, UUID messageId) {
        return LoadDriver.Request.post(URI.create(gatewayUrl + "/v1/messages"), from.token(), messageBody(room, messageId));
    }

    /** A {@code POST /v1/messages} body with a random text of 200 B – 2 KB. */
    static String messageBody(String room, UUID messageId) {
        return "{\"message_id\":\"" + messageId + "\",\"conversation_id\":\"" + room
                + "\",\"payload\":{\"type\":\"text\",\"text\":\"" + text(200, 2000) + "\"}}";
    }

    /** {@code GET} of a path of the public API as {@code as}. */
    LoadDriver.Request get(Member as, String path) {
        return LoadDriver.Request.get(URI.create(gatewayUrl + path), as.token());
    }

    /** Words up to a random length between {@code min} and {@code max} characters. */
    static String text(int min, int max) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int length = min + random.nextInt(max - min + 1);
        StringBuilder text = new StringBuilder(length + 16);
        while (text.length() < length) {
            text.append(WORDS[random.nextInt(WORDS.length)]).append(' ');
        }
        return text.substring(0, length);
    }

    static List<Integer> range(int from, int to) {
        return IntStream.range(from, to).boxed().toList();
    }
}
