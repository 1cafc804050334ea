package io.chat4all.hub.gateway.realtime;

import io.chat4all.hub.gateway.auth.AccessControl;
import io.chat4all.hub.gateway.core.HubPrincipal;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.springframework.stereotype.Component;

/**
 * The credentials open connections (SSE streams, WebSockets) were authenticated with. A request is
 * checked once; a connection lives on, so after every access poll ({@link AccessControl}) each one
 * is checked again from memory, and a connection whose token expired or was revoked (signed out,
 * user disabled or demoted) is told to end. One scan per poll for the whole instance: no timer
 * per connection.
 */
@Component
public class HeldCredentials implements AccessControl.Listener {

    private final Set<Held> held = ConcurrentHashMap.newKeySet();

    /** One connection's credential; {@link #release()} when the connection ends. */
    public final class Held {

        private final HubPrincipal principal;
        private final Consumer<AccessControl.Refusal> onRefused;

        private Held(HubPrincipal principal, Consumer<AccessControl.Refusal> onRefused) {
            this.principal = principal;
            this.onRefused = onRefused;
        }

        public void release() {
            held.remove(this);
        }
    }

    /** Watches {@code principal} until released; {@code onRefused} runs once, on a poll thread, when it may no longer go on. */
    public Held hold(HubPrincipal principal, Consumer<AccessControl.Refusal> onRefused) {
        Held entry = new Held(principal, onRefused);
        held.add(entry);
        return entry;
    }

    @Override
    public void revalidate(AccessControl access) {
        for (Held entry : held) {
            access.refusal(entry.principal).ifPresent(refusal -> {
                if (held.remove(entry)) {
                    entry.onRefused.accept(refusal);
                }
            });
        }
    }

    /** The stream code a refusal closes a connection with. */
    public static String code(AccessControl.Refusal refusal) {
        return refusal == AccessControl.Refusal.EXPIRED ? Subscriber.TOKEN_EXPIRED : Subscriber.REVOKED;
    }

    /** The sentence told to the client with {@link #code}. */
    public static String detail(AccessControl.Refusal refusal) {
        return refusal == AccessControl.Refusal.EXPIRED ? "the access token expired; reconnect with a new one and your last cursor"
                : "access was revoked (signed out, disabled or role changed)";
    }
}
