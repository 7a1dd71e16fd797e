package dev.adclicks.infra;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Picks ports that are free right now (servers bind them a moment later), below the kernel's
 * ephemeral range (Linux: 32768-60999). A port from that range, which is what binding port 0
 * returns, can be taken in that moment by any outgoing connection on the machine, and the lab
 * opens thousands: a broker once failed to start its listener that way ("Unable to start acceptor").
 * Below it, only another server could take it. Ports are handed out in turn from a start that
 * depends on the process id, so no port is handed out twice by one JVM and two JVMs rarely meet.
 *
 * <p>Hand-written: no library in the project picks ports outside the ephemeral range.
 */
public final class FreePorts {

    private static final int FIRST = 10_000;
    private static final int COUNT = 22_000; // 10000-31999

    private static final AtomicInteger NEXT = new AtomicInteger(
            (int) ((ProcessHandle.current().pid() * 7_919) % COUNT));

    private FreePorts() {
    }

    public static int next() {
        for (int attempt = 0; attempt < COUNT; attempt++) {
            int port = FIRST + Math.floorMod(NEXT.getAndIncrement(), COUNT);
            if (bindable(port)) {
                return port;
            }
        }
        throw new IllegalStateException("No free port in " + FIRST + "-" + (FIRST + COUNT - 1));
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return socket.isBound();
        }
        catch (IOException e) {
            return false;
        }
    }
}
