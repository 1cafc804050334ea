package io.chat4all.hub.autoconfigure;

import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.IdentityHashMap;
import java.util.Map;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SerializationException;
import org.springframework.kafka.support.serializer.DeserializationException;

/**
 * Whose fault a failure is, decided from the exception alone, and so what to do about it (a
 * consumer with a record, the gateway with a request):
 * <ul>
 *   <li>{@link Kind#DATA}: the record itself can never succeed (PostgreSQL SQLState classes 22 and
 *       23, unreadable or unwritable bytes, a record too large for the broker, a {@link Permanent}
 *       error of the service's own). A consumer dead-letters the record at once.</li>
 *   <li>{@link Kind#DEPENDENCY}: an engine is away (connection refused or lost, pool timeout,
 *       server shutting down, serialization conflicts, retriable broker errors). Not the record's
 *       fault: a consumer retries with capped backoff until the engine is back, so an outage sends
 *       nothing to the dead-letter topic and keeps the order; the gateway answers 503.</li>
 *   <li>{@link Kind#UNKNOWN}: anything else (a bug). A consumer retries a bounded number of times,
 *       then dead-letters.</li>
 * </ul>
 */
public record Fault(Kind kind, String reason) {

    private static final int MAX_REASON = 500;

    public enum Kind {
        DATA, DEPENDENCY, UNKNOWN;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * An error a service raises for a record that can never be processed (validation, a delivery
     * whose retries ran out): dead-lettered at once with its message as the reason.
     */
    public interface Permanent {
    }

    /**
     * An error a service raises when something it depends on refuses all work for now (a
     * provider refusing the adapter's credentials): retried like an engine outage, never
     * dead-lettered.
     */
    public interface Outage {
    }

    /** Classifies {@code error} by the first cause (outermost first) that says something definite. */
    public static Fault of(Throwable error) {
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable t = error; t != null && seen.put(t, Boolean.TRUE) == null; t = t.getCause()) {
            Kind kind = kindOf(t);
            if (kind != null) {
                return new Fault(kind, describe(t));
            }
        }
        return new Fault(Kind.UNKNOWN, describe(rootCause(error)));
    }

    private static Kind kindOf(Throwable t) {
        if (t instanceof Permanent || t instanceof DeserializationException || t instanceof SerializationException
                || t instanceof RecordTooLargeException || t instanceof SQLDataException
                || t instanceof SQLIntegrityConstraintViolationException) {
            return Kind.DATA;
        }
        if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().length() >= 2) {
            Kind bySqlState = bySqlState(sql.getSQLState());
            if (bySqlState != null) {
                return bySqlState;
            }
        }
        if (t instanceof Outage || t instanceof SQLTransientException || t instanceof SQLRecoverableException || t instanceof RetriableException
                || t instanceof ConnectException || t instanceof NoRouteToHostException
                || t instanceof UnknownHostException || t instanceof SocketException
                || t instanceof InterruptedIOException) {
            return Kind.DEPENDENCY;
        }
        return null;
    }

    /**
     * PostgreSQL's classes: 22 data exception (U+0000 in jsonb, out of range, invalid encoding),
     * 23 integrity constraint; 08 connection, 40 transaction rollback (serialization, deadlock), 53
     * insufficient resources, 57 operator intervention (shutdown), 58 system error.
     */
    private static Kind bySqlState(String state) {
        switch (state.substring(0, 2)) {
            case "22":
            case "23":
                return Kind.DATA;
            case "08":
            case "40":
            case "53":
            case "57":
            case "58":
                return Kind.DEPENDENCY;
            default:
                return null;
        }
    }

    /**
     * The exception's type and first line: enough to act on, without what drivers append after it
     * (PostgreSQL's "Where:" quotes the offending JSON, i.e. message content).
     */
    private static String describe(Throwable error) {
        Throwable t = error;
        // A JDBC batch reports "Batch entry 3 INSERT …"; the server's own error is the next one.
        while (t instanceof SQLException sql && sql.getNextException() != null && sql.getNextException() != t) {
            t = sql.getNextException();
        }
        String message = t.getMessage() == null ? "" : t.getMessage().strip();
        int newline = message.indexOf('\n');
        if (newline >= 0) {
            message = message.substring(0, newline).strip();
        }
        if (t instanceof SQLException sql && sql.getSQLState() != null) {
            message = "SQLState " + sql.getSQLState() + ": " + message;
        }
        String reason = t.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
        return reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) + "…" : reason;
    }

    private static Throwable rootCause(Throwable error) {
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        Throwable root = error;
        while (root.getCause() != null && seen.put(root, Boolean.TRUE) == null) {
            root = root.getCause();
        }
        return root;
    }
}
