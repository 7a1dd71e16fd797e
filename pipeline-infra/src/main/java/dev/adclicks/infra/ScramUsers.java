package dev.adclicks.infra;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;

/**
 * SCRAM-SHA-512 users as an operator creates them, on either backend: through the super user's
 * admin client ({@code alterUserScramCredentials}, the user created or its password set), then
 * waiting until each broker authenticates the user: the controller has it at once, a broker learns
 * it from the metadata log a moment later, and a client that comes too early is refused.
 */
final class ScramUsers {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final Map<String, Object> QUICK = Map.of(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000,
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);

    private ScramUsers() {
    }

    /** Creates {@code user} (or sets its password) as {@code admin}; returns once every broker address authenticates it. */
    static void upsert(KafkaConnection admin, KafkaCredentials user, List<String> brokerAddresses) {
        try (Admin client = Admin.create(admin.clientProperties(QUICK))) {
            client.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(user.username(),
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), user.password())))
                    .all().get(30, TimeUnit.SECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating Kafka user " + user.username(), e);
        }
        catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Cannot create Kafka user " + user.username(), e);
        }
        for (String address : brokerAddresses) {
            awaitAuthenticated(KafkaConnection.authenticated(address, user));
        }
    }

    /** Returns once a client of {@code connection} is authenticated (and answered). */
    static void awaitAuthenticated(KafkaConnection connection) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            try (Admin probe = Admin.create(connection.clientProperties(QUICK))) {
                probe.describeCluster().clusterId().get(5, TimeUnit.SECONDS);
                return;
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for the broker", e);
            }
            catch (ExecutionException | TimeoutException | RuntimeException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("No broker at " + connection.bootstrapServers() + " authenticated "
                            + connection.credentials().map(KafkaCredentials::username).orElse("?") + " within "
                            + TIMEOUT, e);
                }
            }
            try {
                Thread.sleep(200); // the probe's own timeouts pace it when the broker does not answer
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for the broker", e);
            }
        }
    }
}
