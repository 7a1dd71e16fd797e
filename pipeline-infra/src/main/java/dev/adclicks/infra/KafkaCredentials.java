package dev.adclicks.infra;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * A SASL/SCRAM-SHA-512 principal and its password, as a Kafka client presents them. The password
 * never appears in {@link #toString()}.
 */
public record KafkaCredentials(String username, String password) {

    /** The only mechanism the project's secured clusters enable. */
    public static final String MECHANISM = "SCRAM-SHA-512";

    public KafkaCredentials {
        // the JAAS line quotes both, and Kafka's StorageTool splits its SCRAM argument on commas
        if (!username.matches("[A-Za-z0-9._-]+") || !password.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("Kafka user names and passwords here are [A-Za-z0-9._-]+");
        }
    }

    /** {@code username} with a new random password (128 bits). */
    public static KafkaCredentials random(String username) {
        byte[] secret = new byte[16];
        new SecureRandom().nextBytes(secret);
        return new KafkaCredentials(username, HexFormat.of().formatHex(secret));
    }

    /** {@code User:<username>}: how ACLs and {@code super.users} name this principal. */
    public String principal() {
        return "User:" + username;
    }

    /** The client's {@code sasl.jaas.config}. */
    public String jaasConfig() {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + username
                + "\" password=\"" + password + "\";";
    }

    @Override
    public String toString() {
        return "KafkaCredentials[" + username + "]";
    }
}
