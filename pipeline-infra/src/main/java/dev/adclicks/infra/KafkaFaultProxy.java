package dev.adclicks.infra;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP proxy in front of a Kafka broker that can lose acks: the failure window the idempotent
 * producer closes.
 *
 * <p>Every connection is forwarded frame by frame (a Kafka frame is a 4-byte big-endian size
 * followed by that many bytes), unchanged. When {@linkplain #cutAfterProduceRequests armed}, the
 * proxy lets a Produce request through to the broker, waits for the broker's response to it,
 * drops that response and closes the connection. The broker has appended the batch; the client
 * never hears so, reconnects and sends the batch again. Without idempotence the batch is then in
 * the log twice; with it the broker recognises the producer id and sequence and appends nothing.
 *
 * <p>For this to reach every request, clients must not learn the broker's own address: the
 * broker has to advertise the proxy's (see {@link LocalKafkaCluster}), or
 * the first metadata response sends clients around the proxy.
 *
 * <p>{@linkplain #hold() Held}, the proxy forwards no frame in either direction until
 * {@linkplain #release() released}: the connections stay open, the requests and responses wait
 * (in the proxy and in the sockets' buffers). In front of a broker's replication listener this
 * holds back its followers' fetches.
 *
 * <p>Two threads per connection (client to broker, broker to client), plain blocking sockets.
 * A failure on one connection closes that connection only. {@link #close()} is idempotent.
 */
public final class KafkaFaultProxy implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaFaultProxy.class);

    private static final short PRODUCE_API_KEY = 0;
    /** apiKey, apiVersion, correlationId: the part of a request header every version has. */
    private static final int REQUEST_HEADER_FIXED = 2 + 2 + 4;
    private static final int CONNECT_TIMEOUT_MS = 5_000;

    private final String targetHost;
    private final int targetPort;
    private final ServerSocket server;
    private final ExecutorService connectionThreads;
    private final Thread acceptor;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicInteger connectionIds = new AtomicInteger();

    private final AtomicReference<Arming> arming = new AtomicReference<>(new Arming(0, 0, ""));
    /** Cuts a connection has claimed (its Produce request went through) and waits to make. */
    private final AtomicInteger pendingCuts = new AtomicInteger();
    private final AtomicInteger cutsDone = new AtomicInteger();
    /** Guards {@link #held}; notified on release. */
    private final Object gate = new Object();
    private boolean held;

    /**
     * What is armed: {@code remaining} cuts not yet claimed by a Produce request. A new arming
     * starts a new generation, so a claim of an older one that comes to nothing is not given back.
     */
    private record Arming(long generation, int remaining, String clientIdPrefix) {
    }

    /** A Produce request whose response this connection will drop. */
    private record Cut(int correlationId, String clientId, short apiVersion, long generation) {
    }

    private KafkaFaultProxy(String targetHost, int targetPort, ServerSocket server) {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.server = server;
        int port = server.getLocalPort();
        AtomicInteger threads = new AtomicInteger();
        this.connectionThreads = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "kafka-fault-proxy-" + port + "-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.acceptor = new Thread(this::acceptConnections, "kafka-fault-proxy-" + port + "-acceptor");
        this.acceptor.setDaemon(true);
    }

    /**
     * Listens on a free loopback port and forwards every connection to {@code targetHost:targetPort}.
     * The target need not be up yet: a connection it refuses is closed.
     */
    public static KafkaFaultProxy start(String targetHost, int targetPort) {
        ServerSocket server;
        try {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        }
        catch (IOException e) {
            throw new UncheckedIOException("The Kafka fault proxy cannot listen", e);
        }
        KafkaFaultProxy proxy = new KafkaFaultProxy(targetHost, targetPort, server);
        proxy.acceptor.start();
        log.info("Kafka fault proxy listening at {} and forwarding to {}:{}", proxy.bootstrapServers(), targetHost,
                targetPort);
        return proxy;
    }

    /** The port clients connect to. */
    public int port() {
        return server.getLocalPort();
    }

    /** {@code 127.0.0.1:<port>}, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port();
    }

    public int targetPort() {
        return targetPort;
    }

    /**
     * Arms the proxy: the next {@code count} Produce requests from a client whose {@code client.id}
     * starts with {@code clientIdPrefix} ({@code null} or empty: any client) reach the broker, but
     * their responses are dropped and their connections closed. Replaces an earlier arming; a cut
     * already waiting for its response still happens. At most one cut waits per connection, so
     * with several requests in flight the next cut falls on a later connection.
     *
     * <p>A Produce request with {@code acks=0} gets no response: a cut claimed by one is given back
     * when its connection closes.
     */
    public void cutAfterProduceRequests(int count, String clientIdPrefix) {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative: " + count);
        }
        String prefix = clientIdPrefix == null ? "" : clientIdPrefix;
        arming.updateAndGet(current -> new Arming(current.generation() + 1, count, prefix));
        log.info("Kafka fault proxy armed: the next {} Produce request(s) from client ids starting with '{}' "
                + "lose their acks", count, prefix);
    }

    /** The cuts made so far, in total. */
    public int cutsDone() {
        return cutsDone.get();
    }

    /** Whether a cut is still to be made (not yet claimed, or claimed and waiting for its response). */
    public boolean armed() {
        return arming.get().remaining() > 0 || pendingCuts.get() > 0;
    }

    /**
     * Stops forwarding: from now on no frame passes in either direction (a frame already half
     * forwarded is finished) until {@link #release()}.
     */
    public void hold() {
        synchronized (gate) {
            held = true;
        }
        log.info("Kafka fault proxy at port {} holds every frame (forwarding to port {})", port(), targetPort);
    }

    /** Forwards again what waited and what follows. */
    public void release() {
        synchronized (gate) {
            if (!held) {
                return;
            }
            held = false;
            gate.notifyAll();
        }
        log.info("Kafka fault proxy at port {} forwards again", port());
    }

    public boolean isHeld() {
        synchronized (gate) {
            return held;
        }
    }

    /** Blocks while the proxy is held; gives up (throws) when the connection or the proxy closes. */
    private void passGate(AtomicBoolean connectionClosed) throws IOException {
        synchronized (gate) {
            while (held) {
                if (connectionClosed.get() || closed.get()) {
                    throw new IOException("closed while held");
                }
                try {
                    gate.wait(200);
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted while held");
                }
            }
        }
    }

    /** A network blip: closes every open connection now, whatever is in flight. */
    public void cutAllConnections() {
        List<Connection> open = List.copyOf(connections);
        log.info("Kafka fault proxy cuts all {} open connection(s)", open.size());
        open.forEach(Connection::close);
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        closeQuietly(server);
        release();
        List.copyOf(connections).forEach(Connection::close);
        connectionThreads.shutdownNow();
        try {
            acceptor.join(5_000);
            if (!connectionThreads.awaitTermination(5, TimeUnit.SECONDS)) {
                log.warn("Kafka fault proxy threads did not end within 5 s");
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("Kafka fault proxy at port {} closed after {} cut(s)", port(), cutsDone());
    }

    private void acceptConnections() {
        while (!closed.get()) {
            Socket client;
            try {
                client = server.accept();
            }
            catch (IOException e) {
                if (!closed.get()) {
                    log.warn("Kafka fault proxy could not accept a connection", e);
                }
                continue;
            }
            try {
                Connection connection = new Connection(connectionIds.incrementAndGet(), client);
                connections.add(connection);
                if (closed.get()) {
                    connection.close();
                    return;
                }
                connectionThreads.execute(connection::forwardRequests);
            }
            catch (RejectedExecutionException e) {
                closeQuietly(client);
            }
            catch (RuntimeException e) {
                log.warn("Kafka fault proxy dropped a new connection", e);
                closeQuietly(client);
            }
        }
    }

    /** Claims one armed cut for a Produce request from {@code clientId}, if one is armed for it. */
    private Cut claimCut(int correlationId, String clientId, short apiVersion) {
        Arming before = arming.getAndUpdate(current -> matches(current, clientId)
                ? new Arming(current.generation(), current.remaining() - 1, current.clientIdPrefix())
                : current);
        if (!matches(before, clientId)) {
            return null;
        }
        pendingCuts.incrementAndGet();
        return new Cut(correlationId, clientId, apiVersion, before.generation());
    }

    private static boolean matches(Arming arming, String clientId) {
        return arming.remaining() > 0 && (arming.clientIdPrefix().isEmpty()
                || (clientId != null && clientId.startsWith(arming.clientIdPrefix())));
    }

    /** A claimed cut that was not made (its connection closed first): armed again, unless re-armed since. */
    private void giveBack(Cut cut) {
        pendingCuts.decrementAndGet();
        arming.updateAndGet(current -> current.generation() == cut.generation()
                ? new Arming(current.generation(), current.remaining() + 1, current.clientIdPrefix())
                : current);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        }
        catch (Exception ignored) {
            // closing anyway
        }
    }

    private final class Connection {

        private final int id;
        private final Socket client;
        private volatile Socket broker;
        private final AtomicReference<Cut> pendingCut = new AtomicReference<>();
        private final AtomicBoolean connectionClosed = new AtomicBoolean();

        Connection(int id, Socket client) {
            this.id = id;
            this.client = client;
        }

        /** Connects to the broker, starts the response direction, then forwards requests until either side ends. */
        void forwardRequests() {
            try {
                client.setTcpNoDelay(true);
                Socket socket = new Socket();
                socket.setTcpNoDelay(true);
                broker = socket;
                if (connectionClosed.get()) {
                    closeQuietly(socket);
                    return;
                }
                socket.connect(new InetSocketAddress(targetHost, targetPort), CONNECT_TIMEOUT_MS);
                connectionThreads.execute(this::forwardResponses);
                pumpRequests(new DataInputStream(new BufferedInputStream(client.getInputStream())),
                        new DataOutputStream(new BufferedOutputStream(socket.getOutputStream())));
            }
            catch (EOFException e) {
                log.debug("Connection {}: the client closed it", id);
            }
            catch (IOException e) {
                log.debug("Connection {} (client to broker) ended: {}", id, e.toString());
            }
            catch (RejectedExecutionException e) {
                log.debug("Connection {}: the proxy is closing", id);
            }
            catch (RuntimeException e) {
                log.warn("Connection {} (client to broker) failed", id, e);
            }
            finally {
                close();
            }
        }

        private void pumpRequests(DataInputStream in, DataOutputStream out) throws IOException {
            byte[] buffer = new byte[16 * 1024];
            while (true) {
                int size = in.readInt();
                if (size < REQUEST_HEADER_FIXED) {
                    throw new IOException("Not a Kafka request: frame size " + size);
                }
                short apiKey = in.readShort();
                short apiVersion = in.readShort();
                int correlationId = in.readInt();
                int read = REQUEST_HEADER_FIXED;
                // client_id: nullable string with an int16 length, in request header v1 and v2 alike
                String clientId = null;
                short clientIdLength = -1;
                byte[] clientIdBytes = new byte[0];
                if (size >= read + 2) {
                    clientIdLength = in.readShort();
                    read += 2;
                    if (clientIdLength > 0) {
                        if (read + clientIdLength > size) {
                            throw new IOException("Not a Kafka request: client_id longer than its frame");
                        }
                        clientIdBytes = in.readNBytes(clientIdLength);
                        if (clientIdBytes.length < clientIdLength) {
                            throw new EOFException();
                        }
                        read += clientIdLength;
                    }
                    clientId = clientIdLength < 0 ? null : new String(clientIdBytes, StandardCharsets.UTF_8);
                }
                passGate(connectionClosed);
                // Claimed before the request is forwarded, so its response cannot overtake the claim.
                if (apiKey == PRODUCE_API_KEY && pendingCut.get() == null) {
                    Cut cut = claimCut(correlationId, clientId, apiVersion);
                    if (cut != null) {
                        pendingCut.set(cut);
                        if (connectionClosed.get() && pendingCut.compareAndSet(cut, null)) {
                            giveBack(cut);
                        }
                    }
                }
                out.writeInt(size);
                out.writeShort(apiKey);
                out.writeShort(apiVersion);
                out.writeInt(correlationId);
                if (read > REQUEST_HEADER_FIXED) {
                    out.writeShort(clientIdLength);
                    out.write(clientIdBytes);
                }
                copy(in, out, size - read, buffer);
                out.flush();
            }
        }

        private void forwardResponses() {
            try {
                Socket socket = broker;
                DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
                DataOutputStream out = new DataOutputStream(new BufferedOutputStream(client.getOutputStream()));
                byte[] buffer = new byte[64 * 1024];
                while (true) {
                    int size = in.readInt();
                    if (size < 4) {
                        throw new IOException("Not a Kafka response: frame size " + size);
                    }
                    int correlationId = in.readInt();
                    passGate(connectionClosed);
                    Cut cut = pendingCut.get();
                    // Kafka answers in order per connection: this is the response to the claimed request.
                    if (cut != null && cut.correlationId() == correlationId && pendingCut.compareAndSet(cut, null)) {
                        pendingCuts.decrementAndGet();
                        int total = cutsDone.incrementAndGet();
                        log.info("Kafka fault proxy lost an ack: dropped the broker's response to Produce request "
                                + "correlationId={} (v{}) of client '{}' and closed connection {} (cut {} in total)",
                                correlationId, cut.apiVersion(), cut.clientId(), id, total);
                        return;
                    }
                    out.writeInt(size);
                    out.writeInt(correlationId);
                    copy(in, out, size - 4, buffer);
                    out.flush();
                }
            }
            catch (EOFException e) {
                log.debug("Connection {}: the broker closed it", id);
            }
            catch (IOException e) {
                log.debug("Connection {} (broker to client) ended: {}", id, e.toString());
            }
            catch (RuntimeException e) {
                log.warn("Connection {} (broker to client) failed", id, e);
            }
            finally {
                close();
            }
        }

        private static void copy(DataInputStream in, DataOutputStream out, int length, byte[] buffer)
                throws IOException {
            int remaining = length;
            while (remaining > 0) {
                int read = in.read(buffer, 0, Math.min(remaining, buffer.length));
                if (read < 0) {
                    throw new EOFException();
                }
                out.write(buffer, 0, read);
                remaining -= read;
            }
        }

        void close() {
            if (!connectionClosed.compareAndSet(false, true)) {
                return;
            }
            closeQuietly(client);
            closeQuietly(broker);
            connections.remove(this);
            Cut unmade = pendingCut.getAndSet(null);
            if (unmade != null) {
                giveBack(unmade);
            }
        }
    }
}
