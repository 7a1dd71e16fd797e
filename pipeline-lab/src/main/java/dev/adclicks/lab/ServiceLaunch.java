package dev.adclicks.lab;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import dev.adclicks.infra.ChildProcesses;
import dev.adclicks.infra.Directories;

/**
 * How the lab starts a service's JVM: which {@code java}, and either the Boot jar as built or, by
 * default, the jar extracted with the JVM's class cache trained on it, as Spring Boot documents it
 * (docs/recovery.md, with the start times it saves):
 * <ul>
 * <li>Java 25 or later: the AOT cache (JEP 483/514), {@code -XX:AOTCacheOutput} in the training run,
 * {@code -XX:AOTCache} after; classes only, without the method profiles (JEP 515) of the training
 * run, which made the first minute under load slower;</li>
 * <li>Java 17-24: a dynamic CDS archive, {@code -XX:ArchiveClassesAtExit}, then
 * {@code -XX:SharedArchiveFile}.</li>
 * </ul>
 * The training run starts the service with {@code -Dspring.context.exit=onRefresh} and its
 * {@code training} profile (no broker or database needed), the same as the Dockerfile's; in that
 * profile the producer, the relay and the sink also load the classes of kafka-clients, whose network
 * and SASL classes the refresh alone does not reach ({@code KafkaClientsTrainingAutoConfiguration}).
 * It runs
 * once per jar, JDK and JVM options, and is kept next to the jars ({@code .class-cache/}) until the
 * jar's content changes.
 *
 * <p>The JDK: {@value #JAVA_HOME_PROPERTY} if set; else the newest JDK of version 25 or later in
 * {@value #JDK_DIR} (the machines this project runs on have Temurin 25 there besides the default
 * JDK 17); else the lab's own.
 *
 * <p>Hand-written: starting a JVM with the right flags for a trained cache is a few lines of
 * process handling that neither Spring Boot nor the JDK offers as an API.
 */
public record ServiceLaunch(Path javaCommand, List<String> jvmOptions, String classpath, String mainClass) {

    /** System property: the home of the JDK the services run on. */
    public static final String JAVA_HOME_PROPERTY = "lab.java.home";

    /** System property: {@code false} starts the Boot jars as built, without the class cache. */
    public static final String CLASS_CACHE_PROPERTY = "lab.class-cache";

    /** Where a JDK of version 25 or later is looked for when {@value #JAVA_HOME_PROPERTY} is not set. */
    public static final String JDK_DIR = "/usr/lib/jvm";

    private static final Duration TRAINING_TIMEOUT = Duration.ofMinutes(3);

    /** Part of the cache's key: a change to how the training runs retrains every cache. */
    private static final String TRAINING_RECIPE = "onRefresh, training profile, no AOT training data, C1 only";

    private static final Map<Path, ServiceLaunch> LAUNCHES = new ConcurrentHashMap<>();
    private static final Map<Path, Object> LOCKS = new ConcurrentHashMap<>();

    /**
     * Trains the class cache of every service jar in the folder {@code args[0]}, two at a time: the
     * build's {@code package} phase runs it, on a machine not yet busy with the tests' servers, so
     * that the tests and {@code ./run-pipeline} find the caches ready.
     */
    public static void main(String[] args) throws Exception {
        List<Path> jars;
        try (Stream<Path> files = Files.list(Paths.get(args[0]))) {
            jars = files.filter(file -> file.getFileName().toString().endsWith(".jar")).sorted().toList();
        }
        long started = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Callable<ServiceLaunch>> trainings = jars.stream()
                    .map(jar -> (Callable<ServiceLaunch>) () -> of(jar, ServiceProcess.jvmOptions())).toList();
            for (Future<ServiceLaunch> training : pool.invokeAll(trainings)) {
                training.get();
            }
        }
        finally {
            pool.shutdown();
        }
        System.out.printf("Class caches of %d service jars ready on %s in %.1f s%n", jars.size(), javaHome(),
                (System.nanoTime() - started) / 1e9);
    }

    /** The launch of {@code jar} with {@code jvmOptions}; trains the class cache on first use. */
    public static ServiceLaunch of(Path jar, List<String> jvmOptions) {
        Path java = javaHome().resolve("bin").resolve("java");
        if (!Boolean.parseBoolean(System.getProperty(CLASS_CACHE_PROPERTY, "true"))) {
            return new ServiceLaunch(java, jvmOptions, jar.toString(), "org.springframework.boot.loader.launch.JarLauncher");
        }
        Path key = jar.toAbsolutePath().normalize();
        synchronized (LOCKS.computeIfAbsent(key, k -> new Object())) {
            return LAUNCHES.computeIfAbsent(key, k -> trained(java, jar, jvmOptions));
        }
    }

    /** The command line up to (excluding) the main class's arguments, with {@code extraClasspath} appended. */
    public List<String> command(List<String> systemProperties, String extraClasspath, String wrapperMainClass) {
        List<String> command = new ArrayList<>();
        command.add(javaCommand.toString());
        command.addAll(jvmOptions);
        command.addAll(systemProperties);
        command.add("-cp");
        // appended after the trained classpath: the cache stays valid (its classpath is a prefix)
        command.add(classpath + File.pathSeparator + extraClasspath);
        command.add(wrapperMainClass);
        command.add(mainClass);
        return command;
    }

    /** The JDK the services run on (see the class comment). */
    public static Path javaHome() {
        String configured = System.getProperty(JAVA_HOME_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Paths.get(configured);
        }
        Path own = Paths.get(System.getProperty("java.home"));
        if (featureVersion(own) >= 25) {
            return own;
        }
        try (Stream<Path> homes = Files.list(Paths.get(JDK_DIR))) {
            return homes.filter(home -> Files.isExecutable(home.resolve("bin/java")) && featureVersion(home) >= 25)
                    .max(Comparator.comparingInt(ServiceLaunch::featureVersion)).orElse(own);
        }
        catch (IOException e) {
            return own;
        }
    }

    /** The JDK's feature version from its {@code release} file (25 for "25.0.3"), 0 if unknown. */
    static int featureVersion(Path home) {
        try {
            Optional<String> line = Files.readAllLines(home.resolve("release")).stream()
                    .filter(l -> l.startsWith("JAVA_VERSION=")).findFirst();
            if (line.isEmpty()) {
                return 0;
            }
            String version = line.get().substring("JAVA_VERSION=".length()).replace("\"", "");
            return Integer.parseInt(version.split("[.+-]")[0]);
        }
        catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    private static ServiceLaunch trained(Path java, Path jar, List<String> jvmOptions) {
        boolean aotCache = featureVersion(java.getParent().getParent()) >= 25;
        String service = jar.getFileName().toString().replaceFirst("\\.jar$", "");
        Path dir = jar.toAbsolutePath().getParent().resolve(".class-cache").resolve(service);
        Path extracted = dir.resolve("app");
        Path appJar = extracted.resolve(jar.getFileName());
        Path archive = dir.resolve(aotCache ? "app.aot" : "app.jsa");
        Path keyFile = dir.resolve("key");
        try {
            // the jar's content, not its date: ./run-pipeline repackages the same jars before every run
            // without the compiler level: the training runs C1 only whatever the launch runs, and the
            // cache (classes, no compiled code) serves both (the build's tests launch C1 only)
            String key = String.join("\n", TRAINING_RECIPE, jar.toAbsolutePath().toString(), sha256(jar),
                    java.toRealPath().toString(), String.join(" ", jvmOptions.stream()
                            .filter(option -> !option.startsWith("-XX:TieredStopAtLevel=")).toList()));
            String mainClass;
            if (Files.isRegularFile(keyFile) && Files.readString(keyFile).equals(key) && Files.isRegularFile(archive)) {
                mainClass = mainClass(appJar);
            }
            else {
                Directories.deleteRecursively(dir);
                Files.createDirectories(dir);
                run(dir.resolve("extract.log"), List.of(java.toString(), "-Djarmode=tools", "-jar", jar.toString(),
                        "extract", "--force", "--destination", extracted.toString()));
                mainClass = mainClass(appJar);
                Path partial = dir.resolve(archive.getFileName() + ".partial");
                List<String> training = new ArrayList<>();
                training.add(java.toString());
                training.addAll(jvmOptions);
                if (aotCache) {
                    // classes only, no method profiles: a training run that stops at the refreshed
                    // context profiles start-up code, and with those profiles the first minute under
                    // load had twice the p99 (docs/recovery.md)
                    training.addAll(List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:-AOTRecordTraining"));
                }
                // The training run's compiled code is thrown away (the cache holds classes only):
                // C2's compile work there is waste. C1 only halved the sink's training CPU (52 -> 28 s
                // user) and its cache starts the service as fast (docs/recovery.md). Not a launch option:
                // the services themselves run with the JVM's default compilers.
                training.add("-XX:TieredStopAtLevel=1");
                training.add(aotCache ? "-XX:AOTCacheOutput=" + partial : "-XX:ArchiveClassesAtExit=" + partial);
                training.add("-Dspring.context.exit=onRefresh");
                training.addAll(List.of("-cp", appJar.toString(), mainClass, "--spring.profiles.active=training",
                        "--server.port=0", "--management.server.port=0"));
                run(dir.resolve("training.log"), training);
                if (!Files.isRegularFile(partial)) {
                    throw new IllegalStateException("The training run of " + service + " wrote no " + partial
                            + "; its log " + dir.resolve("training.log") + " ends with:\n"
                            + ChildProcesses.tail(dir.resolve("training.log")));
                }
                Files.move(partial, archive, StandardCopyOption.REPLACE_EXISTING);
                Files.writeString(keyFile, key);
            }
            List<String> options = new ArrayList<>(jvmOptions);
            options.add(aotCache ? "-XX:AOTCache=" + archive : "-XX:SharedArchiveFile=" + archive);
            return new ServiceLaunch(java, List.copyOf(options), appJar.toString(), mainClass);
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare the class cache of " + jar, e);
        }
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                digest.update(buffer, 0, read);
            }
            return HexFormat.of().formatHex(digest.digest());
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String mainClass(Path appJar) throws IOException {
        try (JarFile jar = new JarFile(appJar.toFile())) {
            return jar.getManifest().getMainAttributes().getValue("Main-Class");
        }
    }

    private static void run(Path log, List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
        try {
            if (!process.waitFor(TRAINING_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within "
                        + TRAINING_TIMEOUT + "; log " + log);
            }
        }
        catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited with " + process.exitValue()
                    + "; its log " + log + " ends with:\n" + ChildProcesses.tail(log));
        }
    }
}
