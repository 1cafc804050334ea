package io.chat4all.hub.localstack.process;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Port checks with errors that name the port, its owner in the stack, and the fix. */
public final class Ports {

    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ports() {
    }

    public static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public static boolean isListening(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * A port nobody listens on right now (for test stacks), chosen below the kernel's ephemeral range
     * so that no outgoing connection can take it between this check and the engine's bind, and never
     * the same port twice in one JVM.
     */
    public static int freePort() {
        int[] range = unassignedRange();
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = range[0] + RANDOM.nextInt(range[1] - range[0]);
            if (!HANDED_OUT.contains(port) && isFree(port) && HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new StackException("cannot find a free TCP port on 127.0.0.1 between " + range[0] + " and " + range[1],
                "stop processes that listen on many local ports, or widen the range below the ephemeral ports"
                        + " (/proc/sys/net/ipv4/ip_local_port_range)");
    }

    /** [from, to): the ports below the ephemeral range, leaving the well-known and registered low ports alone. */
    static int[] unassignedRange() {
        int ephemeralLow = 32768;
        try {
            String[] bounds = Files.readString(EPHEMERAL_RANGE).trim().split("\\s+");
            ephemeralLow = Integer.parseInt(bounds[0]);
        } catch (IOException | RuntimeException e) {
            // not Linux, or unreadable: keep the kernel's usual default
        }
        int to = Math.max(ephemeralLow, 12_000);
        int from = Math.max(10_000, to - 20_000);
        return new int[] {from, to};
    }
}
