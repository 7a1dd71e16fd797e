package dev.adclicks.observability;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * {@code GET /actuator/pipeline}: this service's share of the exactly-once story, as plain numbers
 * — the meters whose names start with one of {@code pipeline.observability.meter-prefixes}
 * (clicks accepted, transactions committed and aborted, duplicates absorbed, producer retries,
 * consumer lag...). The dashboard (pipeline-dashboard) adds these up over every instance of every
 * service. The same meters are in {@code /actuator/prometheus} for a real monitoring system.
 */
@Endpoint(id = "pipeline")
public class PipelineEndpoint {

    private final String service;
    private final String instance;
    private final MeterRegistry registry;
    private final List<String> prefixes;

    public PipelineEndpoint(String service, String instance, MeterRegistry registry, List<String> prefixes) {
        this.service = service;
        this.instance = instance;
        this.registry = registry;
        this.prefixes = List.copyOf(prefixes);
    }

    @ReadOperation
    public PipelineMeters meters() {
        List<MeterValue> values = new ArrayList<>();
        for (Meter meter : registry.getMeters()) {
            String name = meter.getId().getName();
            if (prefixes.stream().noneMatch(name::startsWith)) {
                continue;
            }
            double value = valueOf(meter);
            if (Double.isNaN(value)) {
                continue; // e.g. a Kafka client gauge before the client's first fetch
            }
            Map<String, String> tags = new TreeMap<>();
            for (Tag tag : meter.getId().getTags()) {
                tags.put(tag.getKey(), tag.getValue());
            }
            values.add(new MeterValue(name, tags, value));
        }
        values.sort((a, b) -> (a.name() + a.tags()).compareTo(b.name() + b.tags()));
        return new PipelineMeters(service, instance, values);
    }

    /** Counters count, gauges measure; timers and summaries report their count. */
    private static double valueOf(Meter meter) {
        return meter.match(
                gauge -> gauge.value(),
                counter -> counter.count(),
                timer -> (double) timer.count(),
                summary -> (double) summary.count(),
                longTask -> (double) longTask.activeTasks(),
                timeGauge -> timeGauge.value(),
                functionCounter -> functionCounter.count(),
                functionTimer -> functionTimer.count(),
                other -> Double.NaN);
    }

    /** One service instance's meters. */
    public record PipelineMeters(String service, String instance, List<MeterValue> meters) {
    }

    public record MeterValue(String name, Map<String, String> tags, double value) {
    }
}
