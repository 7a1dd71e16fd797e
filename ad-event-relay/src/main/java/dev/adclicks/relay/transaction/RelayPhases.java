package dev.adclicks.relay.transaction;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import dev.adclicks.delivery.DeliverySemantics;

/**
 * Where each batch's time goes, as {@code relay.phase{semantics, phase}} timers: what the
 * guarantee costs, measured in production rather than argued. Per batch:
 * <ul>
 * <li>{@code process}: routing every record and handing its output to the producer (CPU: JSON in,
 * price, JSON out);</li>
 * <li>{@code offsets}: handing over the input offsets — {@code sendOffsetsToTransaction}
 * (exactly-once: they join the transaction and commit with it) or {@code commitSync}
 * (at-least-once / at-most-once: committed there and then);</li>
 * <li>{@code flush}: waiting until the broker acknowledged every output (exactly-once and
 * at-least-once; at-most-once awaits nothing);</li>
 * <li>{@code commit}: {@code commitTransaction} (exactly-once only).</li>
 * </ul>
 * The exactly-once relay's cost over at-least-once is its offsets + flush + commit against the
 * other's offsets + flush; the benchmark prints both (docs/performance.md).
 *
 * <p>One instance per relay thread: {@link #start()} marks the batch's beginning, each
 * {@link #done(Phase)} records the time since the previous mark.
 */
public final class RelayPhases {

    public enum Phase {
        PROCESS, OFFSETS, FLUSH, COMMIT
    }

    private final Map<Phase, Timer> timers = new EnumMap<>(Phase.class);
    private final MeterRegistry meters;
    private final String semantics;
    private long mark;

    public RelayPhases(MeterRegistry meters, DeliverySemantics semantics) {
        this.meters = meters;
        this.semantics = semantics.profileName();
    }

    public void start() {
        mark = System.nanoTime();
    }

    public void done(Phase phase) {
        long now = System.nanoTime();
        timers.computeIfAbsent(phase, this::timer).record(now - mark, TimeUnit.NANOSECONDS);
        mark = now;
    }

    private Timer timer(Phase phase) {
        return Timer.builder("relay.phase")
                .tag("semantics", semantics)
                .tag("phase", phase.name().toLowerCase(Locale.ROOT))
                .description("Time per batch spent in one phase of the relay's read-process-write cycle")
                .register(meters);
    }
}
