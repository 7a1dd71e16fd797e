package dev.adclicks.relay.transaction;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

import dev.adclicks.model.Topics;

/**
 * What the exactly-once relay's transactions did, counted when the outcome is final:
 * <ul>
 * <li>{@code relay.transactions{outcome=committed|aborted}}</li>
 * <li>{@code relay.committed.records{topic}}: outputs made visible by a commit (events, rejections,
 * dead letters) — what read_committed readers downstream get</li>
 * <li>{@code relay.aborted.records}: outputs sent in a transaction that was then aborted (in the log
 * or not yet, read_committed readers never get them) — each one would have been a duplicate (or a
 * phantom) downstream without guard 2</li>
 * <li>{@code relay.errors{reaction,exception}}: errors of the relay's clients by its reaction
 * ({@link RelayErrors.Reaction}: abort, recreate, stop, commit_again)</li>
 * </ul>
 * (The router's {@code relay.records{output}} counts every routing attempt, aborted ones included.)
 */
@Component
public class RelayMetrics {

    private final MeterRegistry registry;
    private final Counter committedTransactions;
    private final Counter abortedTransactions;
    private final Counter abortedRecords;

    public RelayMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.committedTransactions = Counter.builder("relay.transactions").tag("outcome", "committed")
                .description("Relay transactions committed (outputs + input offsets)").register(registry);
        this.abortedTransactions = Counter.builder("relay.transactions").tag("outcome", "aborted")
                .description("Relay transactions aborted; their inputs are read again").register(registry);
        this.abortedRecords = Counter.builder("relay.aborted.records")
                .description("Outputs discarded by an abort: in the log, never read by read_committed consumers")
                .register(registry);
        // every output topic shows (as 0) before its first commit
        for (String topic : List.of(Topics.AD_EVENTS, Topics.AD_CLICKS_REJECTED, Topics.AD_CLICKS_DLT)) {
            committedRecords(topic);
        }
    }

    void committed(Outputs outputs) {
        committedTransactions.increment();
        outputs.byTopic.forEach((topic, count) -> committedRecords(topic).increment(count[0]));
    }

    void aborted(int discardedOutputs) {
        abortedTransactions.increment();
        abortedRecords.increment(discardedOutputs);
    }

    /** An error of the relay's clients and the reaction it got ({@link RelayErrors}). */
    void reaction(RelayErrors.Reaction reaction, Throwable error) {
        Counter.builder("relay.errors").tag("reaction", reaction.name().toLowerCase(java.util.Locale.ROOT))
                .tag("exception", error.getClass().getSimpleName())
                .description("Errors of the relay's Kafka clients, by the relay's reaction (abort, recreate, stop, commit_again)")
                .register(registry).increment();
    }

    /** The outputs of one open transaction, counted by topic. */
    static final class Outputs {

        private final Map<String, int[]> byTopic = new HashMap<>();
        private int total;

        void sent(String topic) {
            byTopic.computeIfAbsent(topic, t -> new int[1])[0]++;
            total++;
        }

        int total() {
            return total;
        }
    }

    private Counter committedRecords(String topic) {
        return Counter.builder("relay.committed.records").tag("topic", topic)
                .description("Relay outputs made visible by a committed transaction").register(registry);
    }
}
