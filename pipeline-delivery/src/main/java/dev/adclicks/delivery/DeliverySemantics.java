package dev.adclicks.delivery;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.springframework.core.env.Environment;

/**
 * The delivery semantics a service runs with: {@link #EXACTLY_ONCE} unless one of the Spring
 * profiles {@code at-least-once} or {@code at-most-once} is active. The profile is the one switch:
 * the comparison classes are {@code @Profile} beans, and every service has a bean of this type
 * ({@link DeliverySemanticsAutoConfiguration}) that says which mode it runs in.
 *
 * <p>Only {@link #EXACTLY_ONCE} is the pipeline this project is about. The two weaker modes exist
 * for the comparison lab alone: it runs the same load under the same faults in each mode and
 * shows, side by side, what would have been lost or doubled without the guards. They are built
 * from small, separately named classes, so the exactly-once code stays the one to read and copy.
 *
 * <table>
 * <caption>What each mode does, per service</caption>
 * <tr><th></th><th>{@code ad-click-producer}</th><th>{@code ad-event-relay}</th><th>{@code ad-event-sink}</th></tr>
 * <tr><td>{@link #EXACTLY_ONCE}</td>
 *     <td>idempotent producer: {@code enable.idempotence=true}, {@code acks=all}, retries, max.in.flight 5
 *         ({@code IdempotentProducerConfig})</td>
 *     <td>one Kafka transaction per batch holds outputs and consumed offsets ({@code TransactionalRelay})</td>
 *     <td>duplicates found by click_id and skipped, the rest inserted behind UNIQUE(click_id), aggregates
 *         from inserted rows only, same DB transaction; offsets committed after it
 *         ({@code InsertIfAbsentEventWriter})</td></tr>
 * <tr><td>{@link #AT_LEAST_ONCE}</td>
 *     <td>{@code enable.idempotence=false}, {@code acks=1}, retries on: a resend after a lost ack is
 *         appended twice ({@code WeakerDeliveryForComparison})</td>
 *     <td>poll, send, flush, then {@code commitSync}: a crash or error between flush and commit
 *         re-sends the batch ({@code NonTransactionalRelay})</td>
 *     <td>rows still behind UNIQUE(click_id), offsets after the DB commit, but aggregates
 *         {@code x = x + 1} for every delivered event: redeliveries inflate the counters
 *         ({@code NaiveCountingEventWriter})</td></tr>
 * <tr><td>{@link #AT_MOST_ONCE}</td>
 *     <td>{@code enable.idempotence=false}, {@code acks=0}, {@code retries=0}: what the broker never
 *         got is gone ({@code WeakerDeliveryForComparison})</td>
 *     <td>poll, {@code commitSync} FIRST, then send with {@code acks=0}; errors are not retried
 *         ({@code NonTransactionalRelay})</td>
 *     <td>offsets committed BEFORE the DB write; a crash in between or a failed write (DB outage) loses
 *         the batch, nothing is retried ({@code CommitFirstBatchListener})</td></tr>
 * </table>
 */
public enum DeliverySemantics {

    AT_MOST_ONCE("comparison mode: losses expected under faults"),
    AT_LEAST_ONCE("comparison mode: duplicates expected under faults"),
    EXACTLY_ONCE("the pipeline's guarantee");

    private final String consequence;

    DeliverySemantics(String consequence) {
        this.consequence = consequence;
    }

    /**
     * What a weaker mode does to a producer, over the exactly-once settings (the comparison lab
     * only): at-least-once = no idempotence, {@code acks=1}, retries on, 5 in flight (a batch
     * resent after a lost ack is appended twice, a retried batch can land after a later one);
     * at-most-once = no idempotence, {@code acks=0}, no retries (the producer never learns whether
     * the broker got anything).
     */
    public Map<String, Object> producerOverrides() {
        Map<String, Object> overrides = new LinkedHashMap<>();
        overrides.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        switch (this) {
            case AT_LEAST_ONCE -> {
                overrides.put(ProducerConfig.ACKS_CONFIG, "1");
                overrides.put(ProducerConfig.RETRIES_CONFIG, Integer.MAX_VALUE);
                overrides.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
            }
            case AT_MOST_ONCE -> {
                overrides.put(ProducerConfig.ACKS_CONFIG, "0");
                overrides.put(ProducerConfig.RETRIES_CONFIG, 0);
            }
            case EXACTLY_ONCE -> throw new IllegalArgumentException(
                    "exactly-once has no overrides: its settings are the guards' own");
        }
        return overrides;
    }

    /** True for the two weaker modes, which exist only to be compared with {@link #EXACTLY_ONCE}. */
    public boolean isComparisonMode() {
        return this != EXACTLY_ONCE;
    }

    /** What a service logs at startup, e.g. {@code delivery semantics: AT_LEAST_ONCE (comparison mode: ...)}. */
    public String startupMessage() {
        return "delivery semantics: " + name() + " (" + consequence + ")";
    }

    /** The spelling of the Spring profile, e.g. {@code at-least-once}. */
    public String profileName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * The semantics the active profiles select: a weaker mode when its profile is active,
     * exactly-once otherwise. For code that runs before beans exist (bean post-processors).
     *
     * @throws IllegalStateException when both weaker profiles are active
     */
    public static DeliverySemantics active(Environment environment) {
        boolean atLeastOnce = environment.matchesProfiles(AT_LEAST_ONCE.profileName());
        boolean atMostOnce = environment.matchesProfiles(AT_MOST_ONCE.profileName());
        if (atLeastOnce && atMostOnce) {
            throw new IllegalStateException("Profiles at-least-once and at-most-once are both active: pick one");
        }
        return atLeastOnce ? AT_LEAST_ONCE : atMostOnce ? AT_MOST_ONCE : EXACTLY_ONCE;
    }
}
