package io.chat4all.hub.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.listener.ListenerExecutionFailedException;

class FaultTest {

    @Test
    void shouldTreatPostgresDataAndConstraintErrorsAsTheRecordsFaultWhateverWrapsThem() {
        SQLException nul = new SQLException("ERROR: unsupported Unicode escape sequence\n  Where: JSON data, line 1: {\"text\":\"secret",
                "22P05");
        BatchUpdateException batch = new BatchUpdateException("Batch entry 0 INSERT INTO messages …", "22P05", new int[0]);
        batch.setNextException(nul);
        Exception wrapped = new ListenerExecutionFailedException("listener failed",
                new BatchListenerFailedException("cannot write", new RuntimeException("data access", batch), 0));

        Fault failure = Fault.of(wrapped);

        assertThat(failure.kind()).isEqualTo(Fault.Kind.DATA);
        assertThat(failure.reason()).isEqualTo("SQLException: SQLState 22P05: ERROR: unsupported Unicode escape sequence")
                .as("the reason never carries the content PostgreSQL quotes").doesNotContain("secret");
        assertThat(Fault.of(new SQLException("duplicate key", "23505")).kind()).isEqualTo(Fault.Kind.DATA);
        assertThat(Fault.of(new RecordTooLargeException("too large")).kind()).isEqualTo(Fault.Kind.DATA);
    }

    @Test
    void shouldWaitOutAnEngineThatIsAwayAndBoundEverythingElse() {
        assertThat(Fault.of(new RuntimeException(new SQLException("connection refused", "08001"))).kind())
                .isEqualTo(Fault.Kind.DEPENDENCY);
        assertThat(Fault.of(new SQLException("terminating connection due to administrator command", "57P01"))
                .kind()).isEqualTo(Fault.Kind.DEPENDENCY);
        assertThat(Fault.of(new SQLTransientConnectionException("pool timed out")).kind())
                .isEqualTo(Fault.Kind.DEPENDENCY);
        assertThat(Fault.of(new IllegalStateException(new ConnectException("refused"))).kind())
                .isEqualTo(Fault.Kind.DEPENDENCY);
        assertThat(Fault.of(new IllegalStateException("a bug")).kind()).isEqualTo(Fault.Kind.UNKNOWN);
        assertThat(Fault.of(new SQLException("syntax error", "42601")).kind()).isEqualTo(Fault.Kind.UNKNOWN);
    }

    @Test
    void shouldTakeAServicesPermanentErrorsAsDataErrors() {
        class Exhausted extends RuntimeException implements Fault.Permanent {
            Exhausted() {
                super("provider kept answering 503");
            }
        }
        Fault failure = Fault.of(new RuntimeException("wrapper", new Exhausted()));
        assertThat(failure.kind()).isEqualTo(Fault.Kind.DATA);
        assertThat(failure.reason()).isEqualTo("Exhausted: provider kept answering 503");
    }
}
