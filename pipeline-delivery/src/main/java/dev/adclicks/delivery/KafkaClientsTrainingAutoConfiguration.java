package dev.adclicks.delivery;

import java.io.File;
import java.net.URL;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Profile;

/**
 * In the class cache's training run only (the {@code training} profile): loads every class of the
 * kafka-clients jar it can, without initializing any, so that the AOT cache (CDS archive before
 * Java 25) holds them (the JDK leaves out those that fail verification without an optional
 * library). The training run stops once the context is refreshed and makes no Kafka client, so
 * without this the cache has none of the clients' network and SASL classes, among others, and a
 * service's first connection loads and verifies them from the jar on its cold JVM, on cores
 * its own start is using: the relay's fencing at launch, a cold JVM's first trip through that code,
 * took 2.4-3.3 s in the lab (docs/recovery.md, "Fencing while the application starts").
 *
 * <p>Hand-written: the JDK caches what a training run loads, and Spring Boot's training run is the
 * refresh; neither reaches classes the refresh does not use.
 */
@AutoConfiguration
@Profile("training")
public class KafkaClientsTrainingAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(KafkaClientsTrainingAutoConfiguration.class);

    /** A bean, so that the classes are loaded while the context is built, before the training run exits. */
    @Bean
    KafkaClientClasses kafkaClientClasses() {
        return KafkaClientClasses.load();
    }

    /** How many classes of the kafka-clients jar were loaded, and how many could not be. */
    public record KafkaClientClasses(int loaded, int notLoaded) {

        static KafkaClientClasses load() {
            ClassLoader loader = KafkaProducer.class.getClassLoader();
            URL location = KafkaProducer.class.getProtectionDomain().getCodeSource().getLocation();
            int loaded = 0;
            int notLoaded = 0;
            try (JarFile jar = new JarFile(new File(location.toURI()))) {
                for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements();) {
                    String name = entries.nextElement().getName();
                    if (!name.endsWith(".class") || name.startsWith("META-INF/") || name.endsWith("module-info.class")) {
                        continue;
                    }
                    try {
                        Class.forName(name.substring(0, name.length() - ".class".length()).replace('/', '.'), false,
                                loader);
                        loaded++;
                    }
                    catch (Throwable missingDependency) {
                        notLoaded++; // e.g. an optional library (compression, OAuth) not on the class path
                    }
                }
            }
            catch (Exception e) {
                // not a plain jar (a nested one in an unextracted Boot jar): train without them
                log.warn("Kafka client classes not loaded for the class cache from {}: {}", location, e.toString());
                return new KafkaClientClasses(0, 0);
            }
            log.info("Training run: {} classes of {} loaded for the class cache, {} not loadable here", loaded,
                    location, notLoaded);
            return new KafkaClientClasses(loaded, notLoaded);
        }
    }
}
