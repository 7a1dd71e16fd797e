package dev.adclicks.lab;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.adclicks.infra.KafkaConnection;
import dev.adclicks.infra.TopicReader;
import dev.adclicks.model.AdClick;
import dev.adclicks.model.AdEvent;
import dev.adclicks.model.PipelineJson;
import dev.adclicks.model.Topics;

/**
 * A read_committed consumer of {@code ad-events} that runs while the faults happen, as in Kafka's
 * own transactions system test: the end-of-run check reads a settled topic, this one reads it
 * while transactions are open, aborted, fenced and brokers fail over. It assigns every
 * partition (no group, nothing committed), reads from the beginning and keeps the records whose key
 * (the adId) starts with the run's prefix. Every flagged record is logged at once with its
 * partition, offset and the time it was read, and kept in {@link #flagged()}.
 *
 * <p><b>Duplicates, flagged as read.</b> An event does not carry the partition and offset of the
 * ad-clicks record it came from (only its clickId), so a duplicate is counted by multiplicity: a
 * second consumer follows ad-clicks (read_uncommitted: the producer is not transactional), and the
 * k-th event of a clickId is a duplicate when the clickId has fewer than k records in ad-clicks.
 * Before flagging, that consumer reads ad-clicks to its end offsets taken after the event was
 * read: an event is written after the record it came from, so every record that could be its
 * source is then counted. Each excess event is flagged once; a client's re-send is a record of its
 * own and allows one more event. (Like the end check, this cannot tell which of two records of a
 * clickId an event came from.)
 *
 * <p><b>Aborted reads, flagged at {@link #stop()}.</b> Whether a record read now belongs to a
 * transaction that will abort is unknown until the transaction ends, so the check runs once the
 * reader has stopped: a record it returned whose offset a read_committed read made then does not
 * return was not committed (nothing deletes ad-events records during a run). After the drain no
 * transaction is open, so such a record is one of an aborted transaction. The reader counts each
 * offset once, so with no such record, reading as many records as the run committed means reading
 * every one of them.
 */
public final class LiveCommittedReader implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LiveCommittedReader.class);

    private static final Duration CATCH_UP = Duration.ofMinutes(1);

    private final KafkaConnection kafka;
    private final String adPrefix;
    private final Thread thread;
    private final AtomicLong recordsRead = new AtomicLong();
    private final List<Flagged> flagged = new CopyOnWriteArrayList<>();

    // owned by the reader thread until it has ended
    private final Map<TopicPartition, Map<Long, Instant>> reads = new HashMap<>();
    private final Map<UUID, Integer> clicksInAdClicks = new HashMap<>();
    private final Map<UUID, Integer> eventsRead = new HashMap<>();
    private final Map<UUID, Integer> duplicatesFlagged = new HashMap<>();
    private final Queue<Read> toCheck = new ArrayDeque<>();

    private volatile boolean running = true;
    private volatile boolean readToTheEndOnStop = true;
    private volatile boolean caughtUp;
    private volatile RuntimeException failure;
    private Result result;

    private LiveCommittedReader(KafkaConnection kafka, String adPrefix) {
        this.kafka = kafka;
        this.adPrefix = adPrefix;
        this.thread = new Thread(this::run, "live-committed-reader");
        this.thread.setDaemon(true);
    }

    /**
     * Starts reading ad-events read_committed, and ad-clicks to know each clickId's records, as
     * {@code kafka}'s principal (the lab's admin: it reads every topic).
     */
    public static LiveCommittedReader start(KafkaConnection kafka, String adPrefix) {
        LiveCommittedReader reader = new LiveCommittedReader(kafka, adPrefix);
        reader.thread.start();
        log.info("Live read_committed reader started on {} for adIds {}*", Topics.AD_EVENTS, adPrefix);
        return reader;
    }

    /** Records of the run read so far, each offset once. */
    public long recordsRead() {
        return recordsRead.get();
    }

    /** Every record flagged so far: duplicates as they are read, aborted reads at {@link #stop()}. */
    public List<Flagged> flagged() {
        return List.copyOf(flagged);
    }

    /**
     * Reads on to the read_committed end offsets of this moment (for up to a minute), stops, and
     * checks every record it returned against a read_committed read of the topic made now.
     */
    public synchronized Result stop() {
        if (result != null) {
            return result;
        }
        running = false;
        join();
        if (failure != null) {
            throw new IllegalStateException("The live read_committed reader failed", failure);
        }
        if (!caughtUp) {
            log.warn("Live reader: could not read {} to its end within {}", Topics.AD_EVENTS, CATCH_UP);
        }
        Set<String> committed = new HashSet<>();
        for (ConsumerRecord<String, byte[]> record : TopicReader.readAll(kafka, Topics.AD_EVENTS,
                IsolationLevel.READ_COMMITTED)) {
            if (ours(record)) {
                committed.add(record.partition() + "@" + record.offset());
            }
        }
        reads.forEach((partition, offsets) -> offsets.forEach((offset, readAt) -> {
            if (!committed.contains(partition.partition() + "@" + offset)) {
                flag(new Flagged(Flagged.Kind.NOT_COMMITTED, partition.partition(), offset, null, readAt));
            }
        }));
        long duplicates = flagged.stream().filter(f -> f.kind() == Flagged.Kind.DUPLICATE).count();
        long abortedReads = flagged.stream().filter(f -> f.kind() == Flagged.Kind.NOT_COMMITTED).count();
        log.info("Live reader stopped: {} records read, {} duplicates, {} not committed ({} committed records of "
                + "the run)", recordsRead.get(), duplicates, abortedReads, committed.size());
        result = new Result(recordsRead.get(), duplicates, abortedReads, List.copyOf(flagged));
        return result;
    }

    /** Stops reading without the final check (when the run fails before its drain). */
    @Override
    public synchronized void close() {
        if (thread.isAlive()) {
            readToTheEndOnStop = false;
            running = false;
            join();
        }
    }

    private void join() {
        try {
            thread.join(CATCH_UP.multipliedBy(2).toMillis()); // a read or a lookup may block past the deadline
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while stopping the live reader", e);
        }
        if (thread.isAlive()) {
            throw new IllegalStateException("The live reader did not stop");
        }
    }

    private void run() {
        try (KafkaConsumer<String, byte[]> events = consumer(IsolationLevel.READ_COMMITTED);
                KafkaConsumer<String, byte[]> clicks = consumer(IsolationLevel.READ_UNCOMMITTED)) {
            List<TopicPartition> eventPartitions = assignFromTheBeginning(events, Topics.AD_EVENTS);
            assignFromTheBeginning(clicks, Topics.AD_CLICKS);
            while (running) {
                readAndCheck(events, clicks);
            }
            // stop(): on to the end offsets as they are now, then the last checks
            long deadline = System.nanoTime() + CATCH_UP.toNanos();
            while (readToTheEndOnStop && !caughtUp && System.nanoTime() < deadline) {
                try {
                    Map<TopicPartition, Long> end = events.endOffsets(eventPartitions, Duration.ofSeconds(10));
                    while (eventPartitions.stream().anyMatch(p -> events.position(p) < end.get(p))
                            && System.nanoTime() < deadline) {
                        readAndCheck(events, clicks);
                    }
                    checkDuplicates(clicks);
                    caughtUp = toCheck.isEmpty()
                            && eventPartitions.stream().allMatch(p -> events.position(p) >= end.get(p));
                }
                catch (KafkaException e) {
                    pauseAfter(e);
                }
            }
        }
        catch (RuntimeException e) {
            failure = e;
        }
    }

    private void readAndCheck(KafkaConsumer<String, byte[]> events, KafkaConsumer<String, byte[]> clicks) {
        try {
            readClicks(clicks.poll(Duration.ZERO));
            List<ConsumerRecord<String, byte[]>> polled = new ArrayList<>();
            events.poll(Duration.ofMillis(200)).forEach(polled::add);
            Instant readAt = Instant.now();
            for (ConsumerRecord<String, byte[]> record : polled) {
                if (ours(record)) {
                    read(record, readAt);
                }
            }
            checkDuplicates(clicks);
        }
        catch (KafkaException e) {
            pauseAfter(e); // e.g. a broker killed: the consumers reconnect by themselves
        }
    }

    private void read(ConsumerRecord<String, byte[]> record, Instant readAt) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        if (reads.computeIfAbsent(partition, p -> new HashMap<>()).putIfAbsent(record.offset(), readAt) != null) {
            return; // the same record again (a consumer reset): not a second event
        }
        recordsRead.incrementAndGet();
        UUID clickId = PipelineJson.read(record.value(), AdEvent.class).clickId();
        int k = eventsRead.merge(clickId, 1, Integer::sum);
        toCheck.add(new Read(record.partition(), record.offset(), clickId, k, readAt));
    }

    /**
     * Flags the events read beyond the ad-clicks records of their clickId, reading ad-clicks to its
     * end offsets of now first when the records read so far do not cover them.
     */
    private void checkDuplicates(KafkaConsumer<String, byte[]> clicks) {
        if (toCheck.stream().anyMatch(read -> uncovered(read) > 0)) {
            readToTheEnd(clicks);
        }
        for (Read read; (read = toCheck.poll()) != null;) {
            int excess = uncovered(read);
            if (excess > 0) {
                duplicatesFlagged.merge(read.clickId(), excess, Integer::sum);
                flag(new Flagged(Flagged.Kind.DUPLICATE, read.partition(), read.offset(), read.clickId(),
                        read.readAt()));
            }
        }
    }

    /** How far the k-th event of its clickId is beyond the records in ad-clicks and the excess already flagged. */
    private int uncovered(Read read) {
        return read.k() - clicksInAdClicks.getOrDefault(read.clickId(), 0)
                - duplicatesFlagged.getOrDefault(read.clickId(), 0);
    }

    private void readToTheEnd(KafkaConsumer<String, byte[]> clicks) {
        List<TopicPartition> partitions = List.copyOf(clicks.assignment());
        Map<TopicPartition, Long> end = clicks.endOffsets(partitions, Duration.ofSeconds(10));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (partitions.stream().anyMatch(p -> clicks.position(p) < end.get(p))) {
            if (System.nanoTime() > deadline) {
                throw new KafkaException("Could not read " + Topics.AD_CLICKS + " to " + end); // checked again later
            }
            readClicks(clicks.poll(Duration.ofMillis(100)));
        }
    }

    private void readClicks(Iterable<ConsumerRecord<String, byte[]>> records) {
        for (ConsumerRecord<String, byte[]> record : records) {
            if (ours(record)) {
                clicksInAdClicks.merge(PipelineJson.read(record.value(), AdClick.class).clickId(), 1, Integer::sum);
            }
        }
    }

    private void flag(Flagged record) {
        flagged.add(record);
        log.warn("LIVE READER: {}", record);
    }

    private boolean ours(ConsumerRecord<String, byte[]> record) {
        return record.key() != null && record.key().startsWith(adPrefix);
    }

    private KafkaConsumer<String, byte[]> consumer(IsolationLevel isolationLevel) {
        return new KafkaConsumer<>(kafka.clientProperties(Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolationLevel.toString(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.CLIENT_ID_CONFIG, "live-reader-" + isolationLevel + "-" + UUID.randomUUID())),
                new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static List<TopicPartition> assignFromTheBeginning(KafkaConsumer<String, byte[]> consumer, String topic) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(info -> new TopicPartition(topic, info.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return partitions;
    }

    private static void pauseAfter(KafkaException e) {
        log.info("Live reader: {}; reading on", e.toString());
        ServiceProcess.sleep(500);
    }

    private record Read(int partition, long offset, UUID clickId, int k, Instant readAt) {
    }

    /**
     * A record the reader must not have returned.
     *
     * @param clickId for a duplicate, the clickId read once too often; null for a record not committed
     */
    public record Flagged(Kind kind, int partition, long offset, UUID clickId, Instant readAt) {

        public enum Kind {
            /** an event of a clickId beyond its records in ad-clicks */
            DUPLICATE,
            /** a record a read_committed read after the reader stopped does not return */
            NOT_COMMITTED
        }

        @Override
        public String toString() {
            return String.format("%s %s-%d@%d read at %s%s", kind, Topics.AD_EVENTS, partition, offset, readAt,
                    clickId == null ? "" : " (clickId " + clickId + ")");
        }
    }

    /**
     * @param recordsRead records of the run the reader returned, each offset counted once
     * @param duplicates events beyond the ad-clicks records of their clickId (must be 0)
     * @param abortedReads records returned that are not committed: after the drain, records of aborted
     *        transactions (must be 0)
     * @param flagged the flagged records, as logged
     */
    public record Result(long recordsRead, long duplicates, long abortedReads, List<Flagged> flagged) {
    }
}
