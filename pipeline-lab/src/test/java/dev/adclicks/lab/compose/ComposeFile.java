package dev.adclicks.lab.compose;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.Yaml;

import dev.adclicks.infra.KafkaCredentials;

/** The repository's {@code docker-compose.yml}, read as plain data. */
record ComposeFile(Map<String, Map<String, Object>> services) {

    static final Path PATH = Path.of(System.getProperty("compose.file", "../docker-compose.yml"));

    @SuppressWarnings("unchecked")
    static ComposeFile read() {
        try (Reader reader = Files.newBufferedReader(PATH)) {
            Map<String, Object> root = new Yaml().load(reader);
            return new ComposeFile((Map<String, Map<String, Object>>) root.get("services"));
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + PATH.toAbsolutePath(), e);
        }
    }

    Map<String, Object> service(String name) {
        Map<String, Object> service = services.get(name);
        if (service == null) {
            throw new IllegalArgumentException("No service " + name + " in " + PATH + ": " + services.keySet());
        }
        return service;
    }

    /** How many containers compose runs for the service: its {@code deploy.replicas}, else 1. */
    int replicas(String name) {
        Object deploy = service(name).get("deploy");
        if (deploy instanceof Map<?, ?> settings && settings.get("replicas") instanceof Number replicas) {
            return replicas.intValue();
        }
        return 1;
    }

    /** The service's environment as compose passes it (map or KEY=value list form). */
    Map<String, String> environment(String name) {
        Object environment = service(name).get("environment");
        Map<String, String> variables = new LinkedHashMap<>();
        if (environment instanceof Map<?, ?> map) {
            map.forEach((key, value) -> variables.put(String.valueOf(key), value == null ? "" : String.valueOf(value)));
        }
        else if (environment instanceof List<?> list) {
            for (Object entry : list) {
                String[] pair = String.valueOf(entry).split("=", 2);
                variables.put(pair[0], pair.length > 1 ? pair[1] : "");
            }
        }
        return variables;
    }

    /** {@code depends_on} as service name to condition (the short list form means service_started). */
    @SuppressWarnings("unchecked")
    Map<String, String> dependsOn(String name) {
        Object dependsOn = service(name).get("depends_on");
        Map<String, String> conditions = new LinkedHashMap<>();
        if (dependsOn instanceof Map<?, ?> map) {
            map.forEach((service, spec) -> conditions.put(String.valueOf(service),
                    String.valueOf(((Map<String, Object>) spec).getOrDefault("condition", "service_started"))));
        }
        else if (dependsOn instanceof List<?> list) {
            list.forEach(service -> conditions.put(String.valueOf(service), "service_started"));
        }
        return conditions;
    }

    /**
     * The environment variable Spring Boot binds to {@code property}: dots become underscores, dashes
     * are dropped, letters are upper case ({@code relay.replication-factor} is
     * {@code RELAY_REPLICATIONFACTOR}).
     */
    static String environmentVariable(String property) {
        return dev.adclicks.lab.ServiceProcess.environmentVariable(property);
    }

    /**
     * The Kafka credentials {@code service} authenticates with: the username and password of its
     * {@code SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG} (a SCRAM login module line).
     */
    KafkaCredentials kafkaCredentials(String service) {
        String jaas = environment(service).get("SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG");
        Matcher matcher = jaas == null ? null : JAAS_SCRAM_LOGIN.matcher(jaas);
        if (matcher == null || !matcher.matches()) {
            throw new IllegalStateException(service + " has no SCRAM login in SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG: "
                    + jaas);
        }
        return new KafkaCredentials(matcher.group(1), matcher.group(2));
    }

    private static final Pattern JAAS_SCRAM_LOGIN = Pattern.compile(
            "org\\.apache\\.kafka\\.common\\.security\\.scram\\.ScramLoginModule required username=\"([^\"]+)\" password=\"([^\"]+)\";");

    /** A setting given as a list or as one string (e.g. {@code command}), as a list of strings. */
    List<String> stringList(String name, String key) {
        Object value = service(name).get(key);
        if (value instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        return value == null ? List.of() : List.of(String.valueOf(value));
    }
}
