package io.chat4all.hub.indexer.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Debezium's JSON change envelope of a {@code messages} row, read into index operations. */
class ChangeParserTest {

    private final ChangeParser parser = new ChangeParser("messages",
            (key, preview) -> key.equals("users/u/texts/m") ? "the whole large text" : "unexpected key " + key);

    private static String envelope(String op, String before, String after) {
        return "{\"before\":" + before + ",\"after\":" + after + ",\"source\":{\"version\":\"3.6.1.Final\","
                + "\"connector\":\"postgresql\",\"name\":\"chat4all\",\"ts_ms\":1795436100123,\"db\":\"chat4all\","
                + "\"schema\":\"public\",\"table\":\"messages\",\"lsn\":27395072},\"op\":\"" + op + "\",\"ts_ms\":1795436100200}";
    }

    private static String row(String payload) {
        return "{\"msg_id\":123456789012345678,\"message_id\":\"6f1c1f7e-0d6a-4e1e-8f59-0a3c2b1d4e5f\","
                + "\"conversation_id\":\"0b0e6f1a-3c34-4a51-9d61-3f0f1a2b3c4d\",\"seq\":7,"
                + "\"sender_id\":\"11111111-1111-1111-1111-111111111111\",\"payload\":" + payload + ","
                + "\"metadata\":\"{}\",\"channels\":[\"whatsapp\"],"
                + "\"participants\":[\"11111111-1111-1111-1111-111111111111\",\"22222222-2222-2222-2222-222222222222\"],"
                + "\"request_hash\":\"x\",\"accepted_at\":\"2026-11-30T23:59:59.500000Z\",\"routed_at\":\"2026-11-30T23:59:59.600000Z\"}";
    }

    @Test
    void shouldReadAnInsertIntoADocumentInTheMonthlyIndexOfItsAcceptance() {
        MessageChange change = parser.parse(envelope("c", "null", row("\"{\\\"type\\\": \\\"text\\\", \\\"text\\\": \\\"Olá, pedido 42\\\"}\"")));

        assertThat(change.kind()).isEqualTo(MessageChange.Kind.UPSERT);
        assertThat(change.index()).isEqualTo("messages-2026.11");
        assertThat(change.messageId()).isEqualTo("6f1c1f7e-0d6a-4e1e-8f59-0a3c2b1d4e5f");
        assertThat(change.lsn()).isEqualTo(27395072L);
        assertThat(change.committedAt()).isEqualTo(Instant.ofEpochMilli(1795436100123L));
        assertThat(change.live()).isTrue();
        assertThat(change.document()).containsEntry("text", "Olá, pedido 42").containsEntry("seq", 7L)
                .containsEntry("msg_id", 123456789012345678L).containsEntry("payload_type", "text")
                .containsEntry("created_at", "2026-11-30T23:59:59.500Z");
        assertThat(change.document().get("participants")).asList().hasSize(2);
    }

    @Test
    void shouldIndexNothingOfAnEncryptedPayloadAndTheWholeTextOfALargeOne() {
        MessageChange encrypted = parser.parse(envelope("r", "null",
                row("\"{\\\"type\\\":\\\"encrypted\\\",\\\"ciphertext\\\":\\\"c2VjcmV0\\\",\\\"nonce\\\":\\\"bg==\\\"}\"")));
        assertThat(encrypted.document()).doesNotContainKey("text").containsEntry("payload_type", "encrypted");
        assertThat(encrypted.document().toString()).doesNotContain("c2VjcmV0");
        assertThat(encrypted.live()).as("a snapshot read").isFalse();

        MessageChange large = parser.parse(envelope("c", "null", row("\"{\\\"type\\\":\\\"text\\\",\\\"text\\\":\\\"the whole…\\\","
                + "\\\"ref\\\":{\\\"object_key\\\":\\\"users/u/texts/m\\\",\\\"size\\\":40000,\\\"sha256\\\":\\\"ab\\\"}}\"")));
        assertThat(large.document()).containsEntry("text", "the whole large text");
    }

    @Test
    void shouldReadADeleteFromTheOldRow() {
        MessageChange change = parser.parse(envelope("d", row("\"{}\""), "null"));
        assertThat(change.kind()).isEqualTo(MessageChange.Kind.DELETE);
        assertThat(change.index()).isEqualTo("messages-2026.11");
        assertThat(change.document()).isNull();
    }

    @Test
    void shouldRefuseWhatIsNotAMessageChange() {
        assertThatThrownBy(() -> parser.parse("not json")).isInstanceOf(ChangeParser.UnreadableChangeException.class);
        assertThatThrownBy(() -> parser.parse(envelope("t", "null", "null")))
                .isInstanceOf(ChangeParser.UnreadableChangeException.class).hasMessageContaining("unknown change operation");
        assertThatThrownBy(() -> parser.parse(envelope("d", "{\"msg_id\":1}", "null")))
                .as("a delete without the old row (replica identity not FULL)")
                .isInstanceOf(ChangeParser.UnreadableChangeException.class).hasMessageContaining("replica identity");
    }
}
