package dev.adclicks.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

import dev.adclicks.infra.KafkaConnection;
import dev.adclicks.infra.KafkaCredentials;
import dev.adclicks.infra.PipelineInfrastructure;
import dev.adclicks.infra.TopicAdmin;
import dev.adclicks.model.Topics;

/**
 * Who may do what on the pipeline's Kafka: one principal per service and the least each one needs
 * (the README's ACL table, as code), provisioned by the operator, never by the services. On the
 * authenticated cluster no ACL means no access, and only the admin may create topics or change
 * ACLs, so each service can do exactly this:
 *
 * <table>
 * <caption>ACLs</caption>
 * <tr><th>principal</th><th>allowed</th></tr>
 * <tr><td>{@value #PRODUCER}</td><td>WRITE topic {@code ad-clicks} (WRITE implies DESCRIBE; an
 * idempotent producer needs nothing more on Kafka 3.0 and later: KIP-679)</td></tr>
 * <tr><td>{@value #RELAY}</td><td>READ topic {@code ad-clicks} and group {@code ad-event-relay};
 * WRITE topics {@code ad-events}, {@code ad-clicks-rejected}, {@code ad-clicks.DLT} and
 * {@code ad-event-relay.warm-up} (its start's made-up transactions); WRITE every
 * {@code TransactionalId} starting with {@code ad-event-relay-} (its transactional.id is that plus
 * its instance id)</td></tr>
 * <tr><td>{@value #SINK}</td><td>READ topic {@code ad-events} and group {@code ad-event-sink}; WRITE
 * topic {@code ad-events.DLT}</td></tr>
 * <tr><td>{@value #DASHBOARD}</td><td>DESCRIBE and DESCRIBE_CONFIGS on the pipeline's six topics (their
 * partitions, leaders, ISR, end offsets and {@code min.insync.replicas}); DESCRIBE on the two groups
 * (their committed offsets, for the lag). It reads no record and writes nothing.</td></tr>
 * </table>
 *
 * <p>Nothing is granted on the cluster resource, so no service creates topics (they exist before
 * the services start: {@link #provision}; the services' own topic declarations then find them and
 * create nothing) or alters ACLs, users or configs.
 */
public final class KafkaAccess {

    public static final String PRODUCER = "ad-click-producer";
    public static final String RELAY = "ad-event-relay";
    public static final String SINK = "ad-event-sink";
    /** The live page's principal (docker-compose.yml runs it; the lab does not). */
    public static final String DASHBOARD = "pipeline-dashboard";
    /** Every principal the pipeline's services run as. */
    public static final List<String> PRINCIPALS = List.of(PRODUCER, RELAY, SINK, DASHBOARD);
    /** The relay's consumer group (RelayProperties' default group-id). */
    public static final String RELAY_GROUP = "ad-event-relay";
    /** The sink's consumer group (spring.kafka.consumer.group-id in its application.yml). */
    public static final String SINK_GROUP = "ad-event-sink";
    /** Every relay's transactional.id starts with this (RelayProperties.transactionalId()). */
    public static final String RELAY_TRANSACTIONAL_ID_PREFIX = "ad-event-relay-";

    private KafkaAccess() {
    }

    /** The ACLs, for principals named as in {@code User:<name>}. */
    public static List<AclBinding> acls() {
        List<AclBinding> acls = new ArrayList<>();
        acls.add(allow(PRODUCER, ResourceType.TOPIC, Topics.AD_CLICKS, PatternType.LITERAL, AclOperation.WRITE));

        acls.add(allow(RELAY, ResourceType.TOPIC, Topics.AD_CLICKS, PatternType.LITERAL, AclOperation.READ));
        acls.add(allow(RELAY, ResourceType.GROUP, RELAY_GROUP, PatternType.LITERAL, AclOperation.READ));
        for (String topic : List.of(Topics.AD_EVENTS, Topics.AD_CLICKS_REJECTED, Topics.AD_CLICKS_DLT,
                Topics.RELAY_WARM_UP)) {
            acls.add(allow(RELAY, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.WRITE));
        }
        acls.add(allow(RELAY, ResourceType.TRANSACTIONAL_ID, RELAY_TRANSACTIONAL_ID_PREFIX, PatternType.PREFIXED,
                AclOperation.WRITE));

        acls.add(allow(SINK, ResourceType.TOPIC, Topics.AD_EVENTS, PatternType.LITERAL, AclOperation.READ));
        acls.add(allow(SINK, ResourceType.GROUP, SINK_GROUP, PatternType.LITERAL, AclOperation.READ));
        acls.add(allow(SINK, ResourceType.TOPIC, Topics.AD_EVENTS_DLT, PatternType.LITERAL, AclOperation.WRITE));

        for (String topic : Topics.ALL) {
            acls.add(allow(DASHBOARD, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.DESCRIBE));
            acls.add(allow(DASHBOARD, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.DESCRIBE_CONFIGS));
        }
        for (String group : List.of(RELAY_GROUP, SINK_GROUP)) {
            acls.add(allow(DASHBOARD, ResourceType.GROUP, group, PatternType.LITERAL, AclOperation.DESCRIBE));
        }
        return List.copyOf(acls);
    }

    /**
     * The operator's step before the services start, as the admin: creates the pipeline's topics
     * (replicated as the servers allow) and, on the authenticated cluster, the services' users (with
     * random passwords) and {@link #acls()}. Idempotent: the lab runs it before every pipeline it
     * starts.
     */
    public static void provision(PipelineInfrastructure infra) {
        provision(infra, infra::kafkaConnection);
    }

    /**
     * {@link #provision(PipelineInfrastructure)}, each of the {@link #PRINCIPALS} created by
     * {@code users} (given its name; e.g. with the password a deployment's configuration gives it).
     */
    public static void provision(PipelineInfrastructure infra, Function<String, KafkaConnection> users) {
        TopicAdmin.createIfAbsent(infra.kafkaAdminConnection(), Topics.declarations(Topics.ALL,
                infra.replicationFactor()));
        if (infra.kafkaAdminConnection().credentials().isEmpty()) {
            return; // the benchmark's plaintext baseline has no users and enforces no ACLs
        }
        for (String user : PRINCIPALS) {
            KafkaConnection connection = users.apply(user);
            if (!connection.credentials().map(KafkaCredentials::username).equals(Optional.of(user))) {
                throw new IllegalArgumentException("Principal " + user + " was given the connection " + connection);
            }
        }
        try (Admin admin = Admin.create(infra.kafkaAdminConnection().clientProperties())) {
            admin.createAcls(acls()).all().get(30, TimeUnit.SECONDS); // an existing binding is left as it is
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Cannot create the pipeline's ACLs", e);
        }
    }

    private static AclBinding allow(String user, ResourceType type, String name, PatternType pattern,
            AclOperation operation) {
        return new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry("User:" + user, "*", operation, AclPermissionType.ALLOW));
    }
}
