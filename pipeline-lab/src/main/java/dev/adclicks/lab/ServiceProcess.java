package dev.adclicks.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.adclicks.infra.ChildProcesses;
import dev.adclicks.infra.FreePorts;
import dev.adclicks.infra.OrphanGuard;

/**
 * One packaged service running as its own OS process, so the lab can stop, kill and restart it
 * like an operator or a crash would. How its JVM starts (which JDK; by default its Boot jar
 * extracted, with a trained class cache) is {@link ServiceLaunch}'s.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    /**
     * The JIT compiler threads run at nice 10, every other thread at nice 0. A freshly started service
     * compiles hot code with C1 and C2 for its first minute, on two cores shared with the brokers,
     * MariaDB and the other services; at the default priority the compilers took those cores from
     * the threads that serve the load. Niced, they run on what is left: the benchmark's first 60 s
     * p99 202 -> row was 479-680 ms with the cluster fresh in seven runs against 765-898 ms in four
     * without, and 354-510 ms after the restart against 400-735 ms (docs/recovery.md, "JIT
     * compilers at a lower priority"). {@code ThreadPriorityPolicy=1} makes
     * the JVM apply thread priorities as nice values; {@code CompilerThreadPriority=10} is the
     * compilers' nice value. The {@code JavaPriorityN_To_OSPriority=0} options keep every other
     * thread at nice 0: as root (as the lab runs) the JVM would otherwise give its own and Java's
     * high-priority threads negative nice values (VM thread, GC threads -4); as any other user (the
     * Dockerfile's user 10001) the kernel refuses those anyway, the JVM says so in a warning at start
     * and the compilers alone are niced. With these options both run the same. The Dockerfile's
     * entry point has the same options.
     */
    static final String COMPILERS_AT_LOWER_PRIORITY = "-XX:ThreadPriorityPolicy=1 -XX:CompilerThreadPriority=10"
            + " -XX:JavaPriority6_To_OSPriority=0 -XX:JavaPriority7_To_OSPriority=0"
            + " -XX:JavaPriority8_To_OSPriority=0 -XX:JavaPriority9_To_OSPriority=0"
            + " -XX:JavaPriority10_To_OSPriority=0";

    /** System property: the JVM options of every service process. */
    public static final String JVM_OPTIONS_PROPERTY = "lab.jvm.options";

    /**
     * {@code -XX:MetaspaceSize=128m}: the serial collector collects the whole heap each time the class
     * metadata outgrows its threshold, about 21 MB at first; a service loads more than that, so each
     * service process had one or two such full collections of 151-566 ms on two busy cores, some
     * under load (GC logs of the benchmark). With the threshold above what a service loads (26-36 MB
     * in a flight recording of the benchmark's services), none (docs/recovery.md). It commits no
     * memory by itself. The Dockerfile's entry point has it too.
     * <p>
     * {@link #COMPILERS_AT_LOWER_PRIORITY}: the JIT compilers yield the cores to the work in the first
     * minute after a start.
     */
    private static final String DEFAULT_JVM_OPTIONS = "-Xms64m -Xmx384m -XX:+UseSerialGC -XX:MetaspaceSize=128m "
            + COMPILERS_AT_LOWER_PRIORITY;

    /**
     * System property: JVM options appended to {@value #JVM_OPTIONS_PROPERTY}'s. The build's
     * integration tests set {@code -XX:TieredStopAtLevel=1} here (root POM, failsafe): their
     * services are started and restarted often, on two cores shared with the brokers, MariaDB and
     * every other service, where C2's compile work slowed every start (docs/recovery.md). The
     * benchmark and {@code ./run-pipeline} keep the JVM's compilers.
     */
    public static final String EXTRA_JVM_OPTIONS_PROPERTY = "lab.jvm.extra-options";

    /**
     * The system properties {@code -D<prefix><property>=<value>} as service properties
     * {@code <property>=<value>}, sorted: how the lab and the benchmark pass settings to services.
     */
    public static Map<String, String> propertiesWithPrefix(String prefix) {
        Map<String, String> properties = new java.util.LinkedHashMap<>();
        System.getProperties().stringPropertyNames().stream().filter(name -> name.startsWith(prefix)).sorted()
                .forEach(name -> properties.put(name.substring(prefix.length()), System.getProperty(name)));
        return properties;
    }

    /**
     * The JVM options of every service process: small and frugal by default (the lab runs up to ten
     * JVMs on two cores); {@value #JVM_OPTIONS_PROPERTY} overrides them,
     * {@value #EXTRA_JVM_OPTIONS_PROPERTY} adds to them.
     */
    public static List<String> jvmOptions() {
        String options = System.getProperty(JVM_OPTIONS_PROPERTY, DEFAULT_JVM_OPTIONS) + " "
                + System.getProperty(EXTRA_JVM_OPTIONS_PROPERTY, "");
        return List.of(options.trim().split("\\s+"));
    }

    private final String name;
    private final Path jar;
    private final int port;
    private final int managementPort;
    private final Map<String, String> properties;
    private final Map<String, String> environment;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process process;

    public ServiceProcess(String name, Path jar, int port, Map<String, String> properties, Path logDir) {
        this(name, jar, port, properties, Map.of(), logDir);
    }

    /**
     * @param port the public port ({@code server.port}); actuator answers on a free port of its own
     *        ({@code management.server.port}, {@link #managementPort()}), as in production
     * @param properties passed as {@code --name=value} arguments, except secrets (a name containing
     *        {@code password} or ending in {@code jaas.config}), which go into the environment, as
     *        {@link #environmentVariable} names them, so that no process listing shows them
     * @param environment environment variables on top of this JVM's (e.g. those docker compose would set)
     */
    public ServiceProcess(String name, Path jar, int port, Map<String, String> properties,
            Map<String, String> environment, Path logDir) {
        this.name = name;
        this.jar = jar;
        this.port = port;
        this.managementPort = FreePorts.next();
        this.properties = Map.copyOf(properties);
        this.environment = Map.copyOf(environment);
        this.log = logDir.resolve(name + ".log");
    }

    public String name() {
        return name;
    }

    /** A property it is started with ({@code --name=value}), or null. */
    public String property(String name) {
        return properties.get(name);
    }

    public int port() {
        return port;
    }

    /** On the public port: the service's API. */
    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    public int managementPort() {
        return managementPort;
    }

    /** On the management port: {@code /actuator/...}. */
    public URI managementUri(String path) {
        return URI.create("http://127.0.0.1:" + managementPort + path);
    }

    /**
     * The environment variable Spring Boot binds to {@code property}: dots become underscores, dashes
     * are dropped, letters are upper case ({@code relay.replication-factor} is
     * {@code RELAY_REPLICATIONFACTOR}).
     */
    public static String environmentVariable(String property) {
        return property.replace("-", "").replace('.', '_').toUpperCase(java.util.Locale.ROOT);
    }

    private static boolean isSecret(String property) {
        return property.contains("password") || property.endsWith("jaas.config");
    }

    public Path log() {
        return log;
    }

    public long pid() {
        return process.pid();
    }

    /** Starts the process; {@link #awaitHealthy()} waits until it serves. */
    public synchronized ServiceProcess start() {
        return start(Map.of());
    }

    /** Starts the process with {@code extra} properties on top of its own (e.g. a fault hook). */
    public synchronized ServiceProcess start(Map<String, String> extra) {
        if (process != null && process.isAlive()) {
            return this;
        }
        // the extracted jar with its trained class cache (ServiceLaunch), under OrphanGuard
        // its temporary files (Tomcat's work directories) next to its log, not in /tmp: a process the
        // lab kills cannot delete them, and the lab kills many
        Path tmpDir = log.toAbsolutePath().resolveSibling("tmp").resolve(name);
        List<String> command = new ArrayList<>(ServiceLaunch.of(jar, jvmOptions()).command(
                List.of("-D" + OrphanGuard.PARENT_PID_PROPERTY + "=" + ProcessHandle.current().pid(),
                        "-Djava.io.tmpdir=" + tmpDir),
                codeSourceOf(OrphanGuard.class), OrphanGuard.class.getName()));
        command.add("--server.port=" + port);
        command.add("--management.server.port=" + managementPort);
        Map<String, String> secrets = new java.util.LinkedHashMap<>();
        Map<String, String> all = new java.util.LinkedHashMap<>(properties);
        all.putAll(extra);
        all.forEach((key, value) -> {
            if (isSecret(key)) {
                secrets.put(environmentVariable(key), value);
            }
            else {
                command.add("--" + key + "=" + value);
            }
        });
        try {
            Files.createDirectories(log.getParent());
            Files.createDirectories(tmpDir);
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().putAll(environment);
            builder.environment().putAll(secrets);
            process = builder
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + name, e);
        }
        return this;
    }

    public ServiceProcess awaitHealthy() {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (!isHealthy()) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; its log " + log
                        + " ends with:\n" + tail());
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException(name + " not healthy after " + START_TIMEOUT + "; log " + log
                        + " ends with:\n" + tail());
            }
            sleep(250);
        }
        return this;
    }

    public boolean isHealthy() {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(managementUri("/actuator/health"))
                    .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().contains("\"UP\"");
        }
        catch (IOException e) {
            return false;
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A clean stop: SIGTERM, Spring's graceful shutdown; SIGKILL after 30 s. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        ChildProcesses.terminate(process, 30);
        process = null;
    }

    /** SIGKILL: no shutdown hooks, no graceful anything — a crash. */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(30));
    }

    /** SIGSTOP: the process is frozen (a GC pause, a stalled VM) but its sockets stay open. */
    public void pause() {
        signal("STOP");
    }

    /** SIGCONT: a paused process carries on where it was, unaware that time passed. */
    public void resume() {
        signal("CONT");
    }

    /**
     * SIGQUIT: the JVM writes a dump of its threads to its output, i.e. into {@link #log()}, and
     * carries on. For a test that gave up waiting on the service: where it was stuck.
     */
    public void dumpThreads() {
        signal("QUIT");
    }

    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** Waits until the process has exited (e.g. halted by a fault hook); returns its exit code. */
    public int awaitExit(Duration timeout) {
        Process current;
        synchronized (this) {
            current = process;
        }
        try {
            if (current == null) {
                return 0;
            }
            if (!current.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(name + " did not exit within " + timeout + "; log ends with:\n" + tail());
            }
            synchronized (this) {
                process = null;
            }
            return current.exitValue();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid())).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + pid() + " failed");
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        stop();
    }

    public String tail() {
        return ChildProcesses.tail(log);
    }

    private static String codeSourceOf(Class<?> type) {
        try {
            return Paths.get(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        }
        catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }
}
