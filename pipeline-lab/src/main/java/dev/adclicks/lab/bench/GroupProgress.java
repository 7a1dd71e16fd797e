package dev.adclicks.lab.bench;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

import dev.adclicks.infra.KafkaConnection;
import dev.adclicks.infra.TopicReader;

/**
 * Throughput as the broker sees it: how fast a consumer group's COMMITTED offsets move through its
 * input. Committed means done for good (in a transaction, or after the DB commit), so every variant
 * is measured by the same yardstick, whatever it runs in. The clock starts once the group's
 * commits passed a warm-up share of the input (and, in the relay race, a minimum time after its first
 * commit or a larger share, whichever comes first), which leaves JVM start-up, group joining and JIT
 * compilation out.
 */
final class GroupProgress implements AutoCloseable {

    private final Admin admin;

    GroupProgress(KafkaConnection kafka) {
        this.admin = Admin.create(kafka.clientProperties());
    }

    /** Records in {@code topic} (its end offsets; for a topic written without transactions). */
    static long end(KafkaConnection kafka, String topic) {
        return TopicReader.endOffsets(kafka, topic, IsolationLevel.READ_UNCOMMITTED).values().stream()
                .mapToLong(Long::longValue).sum();
    }

    /**
     * Committed offsets over an admin client kept open: read every 50 ms while a variant runs, where
     * {@code TopicReader.committedOffsets} would start a consumer each time.
     */
    long committed(String group, String topic) {
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            return offsets.entrySet().stream().filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
                    .mapToLong(e -> e.getValue().offset()).sum();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        catch (Exception e) {
            return 0; // the group does not exist yet
        }
    }

    /**
     * Waits until {@code group} has committed {@code target} offsets of {@code topic}, and measures
     * from the moment its commits passed {@code warmUp} offsets (at least its first commit): the
     * records before that warm the JVM up (JIT compilation, connection pools) and are not measured.
     * {@code atStart} runs when the clock starts.
     */
    Rate await(String group, String topic, long target, long warmUp, Duration timeout, Runnable atStart) {
        return await(group, topic, target, warmUp, Duration.ZERO, target, timeout, atStart);
    }

    /**
     * As above, and the clock starts no earlier than {@code minWarmUp} after the group's first commit
     * either (a JVM that has just started still compiles its hot code for that long, whatever share of
     * the input it has read by then), unless the group's commits pass {@code maxWarmUp} offsets first:
     * a fast variant still has the rest of its input measured. With a {@code minWarmUp}, fails if the
     * group is through its input before the clock started.
     */
    Rate await(String group, String topic, long target, long warmUp, Duration minWarmUp, long maxWarmUp,
            Duration timeout, Runnable atStart) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long firstCommitNanos = 0;
        long startNanos = 0;
        long startOffset = 0;
        while (System.nanoTime() < deadline) {
            long committed = committed(group, topic);
            long now = System.nanoTime();
            if (firstCommitNanos == 0 && committed > 0) {
                firstCommitNanos = now;
            }
            if (startNanos == 0 && committed > 0 && committed >= Math.min(warmUp, target)
                    && (now - firstCommitNanos >= minWarmUp.toNanos() || committed >= maxWarmUp)) {
                if (committed >= target && !minWarmUp.isZero()) {
                    throw new IllegalStateException(group + " read all " + target + " records of " + topic
                            + " within the " + minWarmUp.toSeconds() + " s of warm-up before its clock would start: "
                            + "give the benchmark more clicks (docs/performance.md)");
                }
                startNanos = now;
                startOffset = committed;
                atStart.run();
            }
            if (startNanos != 0 && committed >= target) {
                double seconds = (now - startNanos) / 1e9;
                return new Rate(target - startOffset, seconds);
            }
            sleep(50);
        }
        throw new IllegalStateException(group + " did not commit " + target + " offsets of " + topic + " within "
                + timeout + " (at " + committed(group, topic) + ")");
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        admin.close();
    }

    /** {@code records} committed in {@code seconds}, after the warm-up share of the input. */
    record Rate(long records, double seconds) {

        double perSecond() {
            return seconds <= 0 ? 0 : records / seconds;
        }
    }
}
