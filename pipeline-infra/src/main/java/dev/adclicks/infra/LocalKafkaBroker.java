package dev.adclicks.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, combined broker + controller) in its own JVM, started
 * from the {@code kafka_2.13} jars. Its data survives {@link #stop()} / {@link #start()}, so a
 * broker restart is a real one; {@link #close()} also deletes the data.
 *
 * <p>Started {@linkplain #startWithFaultProxy with a fault proxy}, the broker listens on its own
 * port but advertises the proxy's, so every client connection (the bootstrap one and every one
 * that metadata leads to) passes through the {@link KafkaFaultProxy}.
 */
public final class LocalKafkaBroker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalKafkaBroker.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Path dir;
    /** The broker's own PLAINTEXT listener. */
    private final int port;
    private final int controllerPort;
    /** In front of {@link #port} and advertised instead of it; null when clients connect directly. */
    private final KafkaFaultProxy faultProxy;
    private Process process;

    private LocalKafkaBroker(Path dir, int port, int controllerPort, KafkaFaultProxy faultProxy) {
        this.dir = dir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.faultProxy = faultProxy;
    }

    /** Formats the storage and starts the broker on free loopback ports. */
    public static LocalKafkaBroker start(Path baseDir) {
        return start(baseDir, false);
    }

    /**
     * Like {@link #start(Path)}, with a {@link KafkaFaultProxy} in front: the broker advertises the
     * proxy's port, so {@link #bootstrapServers()} and every address clients learn from metadata
     * lead through it. The proxy keeps its port across {@link #stop()} / {@link #start()}.
     */
    public static LocalKafkaBroker startWithFaultProxy(Path baseDir) {
        return start(baseDir, true);
    }

    private static LocalKafkaBroker start(Path baseDir, boolean withFaultProxy) {
        KafkaFaultProxy proxy = null;
        try {
            Path dir = Files.createTempDirectory(baseDir, "kafka-");
            int port = FreePorts.next();
            if (withFaultProxy) {
                proxy = KafkaFaultProxy.start("127.0.0.1", port);
                while (proxy.port() == port) { // the OS may hand out the port FreePorts just released
                    proxy.close();
                    proxy = KafkaFaultProxy.start("127.0.0.1", port);
                }
            }
            LocalKafkaBroker broker = new LocalKafkaBroker(dir, port, FreePorts.next(), proxy);
            broker.writeConfig();
            broker.format();
            broker.start();
            return broker;
        }
        catch (IOException e) {
            closeQuietly(proxy);
            throw new UncheckedIOException("Cannot prepare the local Kafka broker", e);
        }
        catch (RuntimeException e) {
            closeQuietly(proxy);
            throw e;
        }
    }

    private static void closeQuietly(KafkaFaultProxy proxy) {
        if (proxy != null) {
            proxy.close();
        }
    }

    /** Where clients connect: the fault proxy if there is one, else the broker itself. */
    public String bootstrapServers() {
        return "127.0.0.1:" + advertisedPort();
    }

    /** The fault proxy in front of this broker, if it was started with one. */
    public Optional<KafkaFaultProxy> faultProxy() {
        return Optional.ofNullable(faultProxy);
    }

    private int advertisedPort() {
        return faultProxy == null ? port : faultProxy.port();
    }

    public Path logFile() {
        return dir.resolve("broker.log");
    }

    private Path configFile() {
        return dir.resolve("server.properties");
    }

    private void writeConfig() throws IOException {
        String config = String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                // With a fault proxy, the proxy's port: clients that follow metadata still pass through it.
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + advertisedPort(),
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "inter.broker.listener.name=PLAINTEXT",
                "log.dirs=" + dir.resolve("data"),
                "num.partitions=3",
                // Topics are declared by the services that own them; a typo must not create one.
                "auto.create.topics.enable=false",
                // One node: every internal topic has replication factor 1 and min ISR 1. Without the
                // transaction-log settings initTransactions() waits for 3 replicas and times out.
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=10",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "transaction.state.log.num.partitions=10",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "") ;
        Files.writeString(configFile(), config);
        Files.writeString(dir.resolve("log4j2.properties"), String.join("\n",
                "status=warn",
                "appender.console.type=Console",
                "appender.console.name=STDOUT",
                "appender.console.layout.type=PatternLayout",
                "appender.console.layout.pattern=[%d] %p %m (%c)%n",
                "rootLogger.level=INFO",
                "rootLogger.appenderRef.stdout.ref=STDOUT",
                "logger.kafka.name=org.apache.kafka",
                "logger.kafka.level=WARN",
                "logger.server.name=kafka.server.KafkaRaftServer",
                "logger.server.level=INFO",
                ""));
    }

    private void format() throws IOException {
        Process format = new ProcessBuilder(javaCommand("kafka.tools.StorageTool", "format",
                "-t", Uuid.randomUuid().toString(), "-c", configFile().toString()))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("format.log").toFile())
                .start();
        try {
            if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
                format.destroyForcibly();
                throw new IllegalStateException("Kafka storage format failed:\n"
                        + Files.readString(dir.resolve("format.log")));
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while formatting Kafka storage", e);
        }
    }

    /** Starts (or restarts) the broker on the same ports and data, and waits until it serves. */
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        try {
            process = new ProcessBuilder(javaCommand(OrphanGuard.class.getName(), "kafka.Kafka", configFile().toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
                    .start();
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot start the local Kafka broker", e);
        }
        awaitServing();
        if (faultProxy == null) {
            log.info("Local Kafka broker serving at {} (pid {}, log {})", bootstrapServers(), process.pid(), logFile());
        }
        else {
            log.info("Local Kafka broker serving at {} through its fault proxy (broker port {}, pid {}, log {})",
                    bootstrapServers(), port, process.pid(), logFile());
        }
    }

    /** Stops the broker (SIGTERM, then SIGKILL after 30 s); data and ports are kept for {@link #start()}. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        ChildProcesses.terminate(process, 30);
        process = null;
    }

    @Override
    public void close() {
        try {
            stop();
        }
        finally {
            closeQuietly(faultProxy);
            Directories.deleteRecursively(dir);
        }
    }

    private void awaitServing() {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000))) {
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("The local Kafka broker exited with " + process.exitValue()
                            + "; its log " + logFile() + " ends with:\n" + ChildProcesses.tail(logFile()));
                }
                try {
                    if (!admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                }
                catch (Exception notYet) {
                    // not serving yet: asked again below until the deadline
                }
                if (Instant.now().isAfter(deadline)) {
                    stop();
                    throw new IllegalStateException("The local Kafka broker did not serve within " + START_TIMEOUT
                            + "; its log ends with:\n" + ChildProcesses.tail(logFile()));
                }
                Thread.sleep(200);
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the Kafka broker", e);
        }
    }

    private List<String> javaCommand(String mainClass, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xms128m");
        command.add("-Xmx512m");
        command.add("-XX:+UseSerialGC");
        command.add("-Djava.awt.headless=true");
        command.add("-Dlog4j2.configurationFile=" + dir.resolve("log4j2.properties").toUri());
        command.add("-D" + OrphanGuard.PARENT_PID_PROPERTY + "=" + ProcessHandle.current().pid());
        command.add("-cp");
        command.add(brokerClasspath());
        command.add(mainClass);
        command.addAll(List.of(args));
        return command;
    }

    /**
     * The broker's own classpath: the kafka_2.13 jars and a log4j binding, listed at build time in
     * {@code kafka-broker.classpath} (they are optional dependencies, so they never reach a
     * service's classpath), plus this module for {@link OrphanGuard}.
     */
    private static String brokerClasspath() {
        try (InputStream in = LocalKafkaBroker.class.getResourceAsStream("kafka-broker.classpath")) {
            if (in == null) {
                throw new IllegalStateException("kafka-broker.classpath is missing: build pipeline-infra with Maven");
            }
            String dependencies = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            String self = Paths.get(LocalKafkaBroker.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .toString();
            return self + java.io.File.pathSeparator + dependencies;
        }
        catch (IOException | java.net.URISyntaxException e) {
            throw new IllegalStateException("Cannot read the Kafka broker classpath", e);
        }
    }
}
