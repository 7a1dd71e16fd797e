package dev.adclicks.dashboard;

import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.Test;

import dev.adclicks.dashboard.PipelineStatus.Broker;
import dev.adclicks.dashboard.PipelineStatus.Cluster;
import dev.adclicks.dashboard.PipelineStatus.Partition;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the page is told about a cluster, from what Kafka's admin calls answer: the answers as the
 * Admin client builds them for three brokers, all up, one down, and two down. (The same on a real
 * broker: {@code ClusterViewIT}.)
 */
class KafkaClusterViewTest {

    private static final Node ONE = new Node(1, "kafka-1", 9092);
    private static final Node TWO = new Node(2, "kafka-2", 9092);
    private static final Node THREE = new Node(3, "kafka-3", 9092);
    private static final Node TWO_FENCED = new Node(2, "kafka-2", 9092, null, true);
    private static final Node THREE_FENCED = new Node(3, "kafka-3", 9092, null, true);
    /** How the Admin client names a replica on a broker that is not live: its id, no address. */
    private static final Node TWO_OFFLINE = new Node(2, "", -1);
    private static final Node THREE_OFFLINE = new Node(3, "", -1);

    @Test
    void withEveryBrokerUpEveryPartitionIsFullyReplicatedAndTheLeadershipsAreSpread() {
        Cluster cluster = KafkaClusterView.cluster(List.of(ONE, TWO, THREE), Map.of("ad-clicks", topic("ad-clicks",
                partition(0, ONE, List.of(ONE, TWO, THREE), List.of(ONE, TWO, THREE)),
                partition(1, TWO, List.of(TWO, THREE, ONE), List.of(TWO, THREE, ONE)),
                partition(2, THREE, List.of(THREE, ONE, TWO), List.of(THREE, ONE, TWO)))),
                Map.of("ad-clicks", 2), List.of());

        assertThat(cluster.brokers()).containsExactly(new Broker(1, "kafka-1", 9092, true, 1),
                new Broker(2, "kafka-2", 9092, true, 1), new Broker(3, "kafka-3", 9092, true, 1));
        assertThat(cluster.partitions()).containsExactly(
                new Partition("ad-clicks", 0, 1, List.of(1, 2, 3), List.of(1, 2, 3), 2, false, false),
                new Partition("ad-clicks", 1, 2, List.of(2, 3, 1), List.of(2, 3, 1), 2, false, false),
                new Partition("ad-clicks", 2, 3, List.of(3, 1, 2), List.of(3, 1, 2), 2, false, false));
        assertThat(cluster.underReplicated()).isZero();
        assertThat(cluster.belowMinIsr()).isZero();
        assertThat(cluster.withoutLeader()).isZero();
        assertThat(cluster.topicsNotCreated()).isEmpty();
    }

    @Test
    void aFencedBrokerIsDownItsPartitionsAreLedElsewhereAndUnderReplicatedButStillWritable() {
        Cluster cluster = KafkaClusterView.cluster(List.of(ONE, TWO_FENCED, THREE), Map.of("ad-clicks", topic("ad-clicks",
                partition(0, ONE, List.of(ONE, TWO_OFFLINE, THREE), List.of(ONE, THREE)),
                partition(1, THREE, List.of(TWO_OFFLINE, THREE, ONE), List.of(THREE, ONE)))),
                Map.of("ad-clicks", 2), List.of());

        assertThat(cluster.brokers()).containsExactly(new Broker(1, "kafka-1", 9092, true, 1),
                new Broker(2, "kafka-2", 9092, false, 0), new Broker(3, "kafka-3", 9092, true, 1));
        assertThat(cluster.partitions()).allSatisfy(partition -> {
            assertThat(partition.underReplicated()).isTrue();
            assertThat(partition.belowMinIsr()).isFalse();
            assertThat(partition.leader()).isNotNull();
        });
        assertThat(cluster.underReplicated()).isEqualTo(2);
        assertThat(cluster.belowMinIsr()).isZero();
    }

    @Test
    void withTwoBrokersDownThePartitionsRefuseWritesAndOneWithoutAnyInSyncReplicaHasNoLeader() {
        Cluster cluster = KafkaClusterView.cluster(List.of(ONE, TWO_FENCED, THREE_FENCED), Map.of("ad-events", topic(
                "ad-events",
                partition(0, ONE, List.of(ONE, TWO_OFFLINE, THREE_OFFLINE), List.of(ONE)),
                partition(1, null, List.of(TWO_OFFLINE, THREE_OFFLINE), List.of(TWO_OFFLINE)))),
                Map.of("ad-events", 2), List.of("ad-clicks"));

        assertThat(cluster.brokers()).extracting(Broker::up).containsExactly(true, false, false);
        assertThat(cluster.partitions().get(0).belowMinIsr()).isTrue();
        assertThat(cluster.partitions().get(1).leader()).isNull();
        assertThat(cluster.belowMinIsr()).isEqualTo(2);
        assertThat(cluster.withoutLeader()).isEqualTo(1);
        assertThat(cluster.topicsNotCreated()).containsExactly("ad-clicks");
    }

    @Test
    void aBrokerKnownOnlyAsAReplicaIsListedDownWithoutAnAddress() {
        // a broker that holds replicas but has not registered since the cluster started (never came up)
        Cluster cluster = KafkaClusterView.cluster(List.of(ONE), Map.of("ad-clicks", topic("ad-clicks",
                partition(0, ONE, List.of(ONE, TWO_OFFLINE), List.of(ONE)))), Map.of(), List.of());

        assertThat(cluster.brokers()).containsExactly(new Broker(1, "kafka-1", 9092, true, 1),
                new Broker(2, null, null, false, 0));
        assertThat(cluster.partitions().get(0).minIsr()).isNull();
        assertThat(cluster.partitions().get(0).belowMinIsr()).isFalse();
        assertThat(cluster.partitions().get(0).underReplicated()).isTrue();
    }

    private static TopicDescription topic(String name, TopicPartitionInfo... partitions) {
        return new TopicDescription(name, false, List.of(partitions));
    }

    private static TopicPartitionInfo partition(int partition, Node leader, List<Node> replicas, List<Node> isr) {
        return new TopicPartitionInfo(partition, leader, replicas, isr);
    }
}
