package dev.adclicks.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One KRaft node (broker, controller, or both) in its own JVM, started from the {@code kafka_2.13}
 * jars. It owns its private directory (config, data, log); {@link LocalKafkaCluster} writes its
 * configuration and decides when it serves. The data survives {@link #stop()} and {@link #kill()},
 * so a restart is a real one.
 */
final class LocalKafkaNode {

    private final int id;
    private final String role;
    private final Path dir;
    private final String maxHeap;
    private final List<String> classArchive;
    private final List<String> launchOnly;
    private Process process;

    /**
     * A node with its {@code config}; {@code classArchive}: the JVM options of the nodes' class
     * archive, for every JVM of the node ({@link BrokerClassArchive}); {@code launchOnly}: options
     * for the node's server JVM only, not its storage format (the archive's training option).
     */
    LocalKafkaNode(int id, String role, Path dir, String config, String maxHeap, List<String> classArchive,
            List<String> launchOnly) {
        this.id = id;
        this.role = role;
        this.dir = dir;
        this.maxHeap = maxHeap;
        this.classArchive = List.copyOf(classArchive);
        this.launchOnly = List.copyOf(launchOnly);
        try {
            Files.createDirectories(dir);
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
        catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare Kafka node " + id, e);
        }
    }

    int id() {
        return id;
    }

    String role() {
        return role;
    }

    Path logFile() {
        return dir.resolve("kafka.log");
    }

    private Path configFile() {
        return dir.resolve("server.properties");
    }

    /**
     * Formats the node's storage for {@code clusterId} (every node of a cluster gets the same), with
     * {@code extraArgs} (the SCRAM credentials to bootstrap the metadata log with: {@code -S ...}).
     */
    void format(String clusterId, List<String> extraArgs) {
        try {
            List<String> args = new ArrayList<>(List.of("format", "-t", clusterId, "-c", configFile().toString()));
            args.addAll(extraArgs);
            Process format = new ProcessBuilder(javaCommand(List.of(), "kafka.tools.StorageTool", args.toArray(String[]::new)))
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("format.log").toFile())
                    .start();
            if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
                format.destroyForcibly();
                throw new IllegalStateException("Kafka storage format of node " + id + " failed:\n"
                        + Files.readString(dir.resolve("format.log")));
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot format Kafka node " + id, e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while formatting Kafka node " + id, e);
        }
    }

    /** Starts the JVM if it is not running; the caller waits until it serves. */
    synchronized void launch() {
        if (isRunning()) {
            return;
        }
        try {
            process = new ProcessBuilder(javaCommand(launchOnly, OrphanGuard.class.getName(), "kafka.Kafka",
                    configFile().toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
                    .start();
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot start Kafka node " + id, e);
        }
    }

    synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Fails with the end of the node's log if its JVM has exited. */
    synchronized void checkAlive() {
        if (process != null && !process.isAlive()) {
            throw new IllegalStateException("Kafka node " + id + " (" + role + ") exited with " + process.exitValue()
                    + "; its log " + logFile() + " ends with:\n" + ChildProcesses.tail(logFile()));
        }
    }

    synchronized long pid() {
        return process == null ? -1 : process.pid();
    }

    /** A controlled shutdown: SIGTERM, then SIGKILL after 30 s. */
    synchronized void stop() {
        if (process == null) {
            return;
        }
        ChildProcesses.terminate(process, 30);
        process = null;
    }

    /** A crash: SIGKILL, no controlled shutdown, nothing flushed that was not already written. */
    synchronized void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    void deleteFiles() {
        Directories.deleteRecursively(dir);
    }

    /** System property: more JVM options for every Kafka node, separated by spaces. */
    public static final String JVM_OPTIONS_PROPERTY = "infra.kafka.jvm-options";

    private List<String> javaCommand(List<String> extraOptions, String mainClass, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xms64m");
        command.add("-Xmx" + maxHeap);
        command.add("-XX:+UseSerialGC");
        command.addAll(classArchive);
        command.addAll(extraOptions);
        for (String option : System.getProperty(JVM_OPTIONS_PROPERTY, "").trim().split("\\s+")) {
            if (!option.isEmpty()) {
                command.add(option);
            }
        }
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
     * The node's own classpath: the kafka_2.13 jars and a log4j binding, listed at build time in
     * {@code kafka-broker.classpath} (they are optional dependencies, so they never reach a
     * service's classpath), plus this module for {@link OrphanGuard}.
     */
    static String brokerClasspath() {
        try (InputStream in = LocalKafkaNode.class.getResourceAsStream("kafka-broker.classpath")) {
            if (in == null) {
                throw new IllegalStateException("kafka-broker.classpath is missing: build pipeline-infra with Maven");
            }
            String dependencies = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            String self = Paths.get(LocalKafkaNode.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .toString();
            return self + java.io.File.pathSeparator + dependencies;
        }
        catch (IOException | java.net.URISyntaxException e) {
            throw new IllegalStateException("Cannot read the Kafka broker classpath", e);
        }
    }
}
