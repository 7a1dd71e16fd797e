package dev.adclicks.infra;

import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A class-data archive of the Kafka nodes' classes (the JDK's application class-data sharing, as a
 * dynamic archive): one node is started once with {@code -XX:ArchiveClassesAtExit}, takes a little
 * traffic and shuts down, and the JVM writes the classes it loaded, parsed and verified; every node
 * after starts with {@code -XX:SharedArchiveFile} and maps them instead of loading them from the
 * jars. A cluster starts and a broker restarts seconds sooner when nothing else competes for the
 * cores, not measurably sooner in the lab's default run (docs/recovery.md has the figures). The
 * JVM's default {@code -Xshare:auto} keeps it safe: a JVM that cannot use the archive starts
 * without it (for a changed jar it logs "Unable to use shared archive" to the node's log).
 *
 * <p>The archive is kept in {@code java.io.tmpdir}, one per JDK and
 * {@value LocalKafkaNode#JVM_OPTIONS_PROPERTY}, with a key file of the jars it was trained on and
 * their sizes and dates (the JVM refuses an archive whose jars changed): a new Kafka
 * version, a rebuilt jar or another checkout trains it again. A file lock keeps two JVMs from
 * training it at once. The JDK archives classes from jars only: when the nodes' classpath holds a
 * directory (this module's own tests, which run from {@code target/classes}), the nodes start
 * without an archive. {@value #PROPERTY}{@code =false} turns it off (to measure what it saves).
 *
 * <p>Hand-written: Kafka ships no archive of its classes, and the JDK offers the two flags, not an
 * API that trains an archive. (The services' class caches are trained by the lab's
 * {@code ServiceLaunch}, from Spring Boot's own training run.)
 */
final class BrokerClassArchive {

    /** System property: {@code false} starts the Kafka nodes without the class archive. */
    static final String PROPERTY = "infra.kafka.class-archive";

    /** Part of the key: a change to how the training runs trains a new archive. */
    private static final String RECIPE = "combined node, topic, transaction, read_committed group, SIGTERM";

    private static final Logger log = LoggerFactory.getLogger(BrokerClassArchive.class);

    /** The archive once ready, empty if none can be used; null until first asked. */
    private static Optional<Path> archive;

    private BrokerClassArchive() {
    }

    /**
     * The JVM options that start a Kafka node from the archive; on first use in this JVM, trains the
     * archive if there is none yet, by handing {@code training} the option that writes it.
     */
    static synchronized List<String> options(Consumer<String> training) {
        if (archive == null) {
            archive = prepare(training);
        }
        return archive.map(file -> List.of("-XX:SharedArchiveFile=" + file)).orElse(List.of());
    }

    private static Optional<Path> prepare(Consumer<String> training) {
        if (!Boolean.parseBoolean(System.getProperty(PROPERTY, "true"))) {
            return Optional.empty();
        }
        String classpath = LocalKafkaNode.brokerClasspath();
        Optional<String> directory = Arrays.stream(classpath.split(File.pathSeparator))
                .filter(entry -> Files.isDirectory(Paths.get(entry))).findFirst();
        if (directory.isPresent()) {
            log.info("Kafka nodes start without a class archive: {} on their classpath is a directory", directory.get());
            return Optional.empty();
        }
        Path dir = Paths.get(System.getProperty("java.io.tmpdir"), "adclicks-kafka-class-archive");
        // one archive per JDK and JVM options; it serves the classpath in its key file
        String slot = sha256(String.join("\n", RECIPE, Paths.get(System.getProperty("java.home")).toAbsolutePath()
                .toString(), System.getProperty("java.vm.version"),
                System.getProperty(LocalKafkaNode.JVM_OPTIONS_PROPERTY, "")));
        Path file = dir.resolve(slot + ".jsa");
        Path keyFile = dir.resolve(slot + ".key");
        try {
            // the JVM refuses an archive whose jars changed size or date since it was written
            String key = jarsAndDates(classpath);
            Files.createDirectories(dir);
            try (FileChannel lockFile = FileChannel.open(dir.resolve(slot + ".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock lock = lockFile.lock()) {
                if (Files.isRegularFile(file) && Files.isRegularFile(keyFile) && Files.readString(keyFile).equals(key)) {
                    return Optional.of(file);
                }
                Path partial = dir.resolve(slot + ".jsa.partial");
                Files.deleteIfExists(keyFile);
                Files.deleteIfExists(partial);
                long started = System.nanoTime();
                training.accept("-XX:ArchiveClassesAtExit=" + partial);
                if (!Files.isRegularFile(partial)) {
                    log.warn("Kafka nodes start without a class archive: the training node wrote no {}", partial);
                    return Optional.empty();
                }
                Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                Files.writeString(keyFile, key);
                log.info("Kafka nodes' class archive trained in {} s: {}",
                        String.format("%.1f", (System.nanoTime() - started) / 1e9), file);
                return Optional.of(file);
            }
        }
        catch (IOException | RuntimeException e) {
            // a cache: without it the nodes start as they would anyway, only slower
            log.warn("Kafka nodes start without a class archive: training it failed", e);
            return Optional.empty();
        }
    }

    /** Each classpath entry with its size and modification time. */
    private static String jarsAndDates(String classpath) throws IOException {
        StringBuilder key = new StringBuilder();
        for (String entry : classpath.split(File.pathSeparator)) {
            Path jar = Paths.get(entry);
            key.append(entry).append(' ').append(Files.size(jar)).append(' ')
                    .append(Files.getLastModifiedTime(jar).toMillis()).append('\n');
        }
        return key.toString();
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
