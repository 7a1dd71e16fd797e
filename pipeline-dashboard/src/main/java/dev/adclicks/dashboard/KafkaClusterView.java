package dev.adclicks.dashboard;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.DescribeConfigsResult;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsResult;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.springframework.stereotype.Component;

import dev.adclicks.dashboard.PipelineStatus.Broker;
import dev.adclicks.dashboard.PipelineStatus.Cluster;
import dev.adclicks.dashboard.PipelineStatus.Partition;
import dev.adclicks.model.Topics;

/**
 * The Kafka cluster as the page shows it: which brokers are up, and for every partition of the
 * pipeline's topics ({@link Topics#ALL}) its leader, its replicas and which of them are in sync.
 * The three admin calls (brokers, topics, their {@code min.insync.replicas}) run at once and are
 * given {@code dashboard.timeout} together: when the cluster does not answer in that time the view is
 * unknown for this refresh, and the page waits no longer for it.
 */
@Component
class KafkaClusterView {

    private final Admin admin;
    private final long timeoutNanos;

    KafkaClusterView(Admin dashboardAdmin, DashboardProperties properties) {
        this.admin = dashboardAdmin;
        this.timeoutNanos = properties.timeout().toNanos();
    }

    Cluster read() throws ExecutionException, InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeoutNanos;
        int timeoutMs = (int) TimeUnit.NANOSECONDS.toMillis(timeoutNanos);
        // fenced brokers too: a broker that stopped heartbeating is still registered, and shown down
        DescribeClusterResult cluster = admin.describeCluster(
                new DescribeClusterOptions().includeFencedBrokers(true).timeoutMs(timeoutMs));
        DescribeTopicsResult topics = admin.describeTopics(Topics.ALL, new DescribeTopicsOptions().timeoutMs(timeoutMs));
        DescribeConfigsResult configs = admin.describeConfigs(
                Topics.ALL.stream().map(topic -> new ConfigResource(ConfigResource.Type.TOPIC, topic)).toList(),
                new DescribeConfigsOptions().timeoutMs(timeoutMs));

        Collection<Node> nodes = cluster.nodes().get(remaining(deadline), TimeUnit.NANOSECONDS);
        Map<String, TopicDescription> described = new LinkedHashMap<>();
        Map<String, Integer> minInsyncReplicas = new LinkedHashMap<>();
        List<String> notCreated = new ArrayList<>();
        for (String topic : Topics.ALL) {
            try {
                described.put(topic, topics.topicNameValues().get(topic).get(remaining(deadline), TimeUnit.NANOSECONDS));
                Config config = configs.values().get(new ConfigResource(ConfigResource.Type.TOPIC, topic))
                        .get(remaining(deadline), TimeUnit.NANOSECONDS);
                ConfigEntry minIsr = config.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG);
                if (minIsr != null && minIsr.value() != null) {
                    minInsyncReplicas.put(topic, Integer.valueOf(minIsr.value()));
                }
            }
            catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
                notCreated.add(topic);
            }
        }
        return cluster(nodes, described, minInsyncReplicas, notCreated);
    }

    /**
     * The view from what the admin calls returned. A broker is up when it is registered and not
     * fenced (the controller fences a broker whose heartbeats stop, after its session timeout); a
     * broker that holds replicas but is not registered at all is listed as down, without an address.
     */
    static Cluster cluster(Collection<Node> nodes, Map<String, TopicDescription> topics,
            Map<String, Integer> minInsyncReplicas, List<String> notCreated) {
        List<Partition> partitions = new ArrayList<>();
        Map<Integer, Integer> leaderships = new TreeMap<>();
        for (TopicDescription topic : topics.values()) {
            Integer minIsr = minInsyncReplicas.get(topic.name());
            for (TopicPartitionInfo info : topic.partitions().stream()
                    .sorted(Comparator.comparingInt(TopicPartitionInfo::partition)).toList()) {
                Integer leader = info.leader() == null || info.leader().id() < 0 ? null : info.leader().id();
                List<Integer> replicas = info.replicas().stream().map(Node::id).toList();
                List<Integer> isr = info.isr().stream().map(Node::id).toList();
                if (leader != null) {
                    leaderships.merge(leader, 1, Integer::sum);
                }
                partitions.add(new Partition(topic.name(), info.partition(), leader, replicas, isr, minIsr,
                        isr.size() < replicas.size(), minIsr != null && isr.size() < minIsr));
            }
        }

        Map<Integer, Broker> brokers = new TreeMap<>();
        for (Node node : nodes) {
            brokers.put(node.id(), new Broker(node.id(), node.host(), node.port(), !node.isFenced(),
                    leaderships.getOrDefault(node.id(), 0)));
        }
        for (Partition partition : partitions) {
            for (int replica : partition.replicas()) {
                brokers.computeIfAbsent(replica,
                        id -> new Broker(id, null, null, false, leaderships.getOrDefault(id, 0)));
            }
        }
        return new Cluster(List.copyOf(brokers.values()), partitions, List.copyOf(notCreated),
                (int) partitions.stream().filter(Partition::underReplicated).count(),
                (int) partitions.stream().filter(Partition::belowMinIsr).count(),
                (int) partitions.stream().filter(p -> p.leader() == null).count());
    }

    private static long remaining(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }
}
