package dev.adclicks.relay.processing;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.adclicks.model.AdClick;
import dev.adclicks.model.PipelineJson;
import dev.adclicks.relay.processing.ClickProcessor.Outcome;
import dev.adclicks.relay.transaction.RelayProperties;

/**
 * Before a relay joins its group: the per-record work of {@link ClickRouter} — read a click's JSON,
 * validate and price it, write the event's JSON, half of the relay's time per record
 * (docs/performance.md) — done {@code relay.warm-up-clicks} times on made-up clicks, in memory. The
 * JIT compiles that code here instead of while the first real clicks wait: a relay that has just
 * started otherwise runs it interpreted, on CPU shared with everything else starting. In the
 * benchmark's first minute this cut the p99 from 202 to the relay from 8.1 s to 1.0–1.5 s
 * (docs/recovery.md#warm-up). Nothing is sent or counted, and no {@code ClickRouter} meter moves.
 *
 * <p>Hand-written because no library warms an application's own code: JDK 25's AOT cache, which
 * the services start from, keeps method profiles but not compiled code (docs/recovery.md).
 */
@Component
public class ProcessingWarmUp {

    private static final Logger log = LoggerFactory.getLogger(ProcessingWarmUp.class);

    private final ClickProcessor processor;
    private final List<String> campaigns;
    private final int clicks;

    public ProcessingWarmUp(ClickProcessor processor, PricingProperties pricing, RelayProperties relay) {
        this.processor = processor;
        this.campaigns = List.copyOf(pricing.campaignPricesMicros().keySet());
        this.clicks = relay.warmUpClicks();
    }

    /** Runs the warm-up; returns how many made-up clicks were priced (all of them, unless there is no price). */
    public int run() {
        if (clicks == 0 || campaigns.isEmpty()) {
            return 0;
        }
        long started = System.nanoTime();
        int priced = 0;
        long bytesWritten = 0;
        for (int i = 0; i < clicks; i++) {
            // valid clicks of priced campaigns: the path real clicks take, not the rejection's
            byte[] json = PipelineJson.write(new AdClick(UUID.randomUUID(), "warm-up-" + (i % 40),
                    campaigns.get(i % campaigns.size()), "warm-up", Instant.now().minusMillis(i % 60_000)));
            if (processor.process(PipelineJson.read(json, AdClick.class)) instanceof Outcome.Priced event) {
                bytesWritten += PipelineJson.write(event.event()).length; // used, so the JIT cannot drop it
                priced++;
            }
        }
        log.info("Warm-up: {} made-up clicks read, priced and written as {} bytes of events in {} ms", priced,
                bytesWritten, Duration.ofNanos(System.nanoTime() - started).toMillis());
        return priced;
    }
}
