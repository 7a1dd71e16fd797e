package dev.adclicks.lab.bench;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import dev.adclicks.lab.ClickLoad;
import dev.adclicks.model.AdClick;
import dev.adclicks.model.AdEvent;
import dev.adclicks.model.PipelineJson;

import tools.jackson.databind.json.JsonMapper;

/**
 * What the relay's JSON costs per record, without Kafka: read a click's bytes, write its priced event,
 * as {@code ClickRouter} does, with {@link PipelineJson#mapper()} ({@code pipeline}) or with the same format
 * in Jackson alone ({@code jackson}, {@link PipelineJson#withoutSpeedUps()}). One mapper per JVM, so that
 * neither shapes the JIT's view of the other; run it with the services' JDK (the lab's, Temurin 25 on this
 * project's machines, not necessarily the {@code java} on the path), heap and collector:
 *
 * <pre>
 * java -Xms64m -Xmx384m -XX:+UseSerialGC -cp "pipeline-lab/target/classes:$(cat pipeline-lab/target/lab.classpath)" \
 *   dev.adclicks.lab.bench.JsonCost pipeline   # or jackson
 * </pre>
 *
 * Prints µs per record for 12 rounds of 300,000 records over 1,000 benchmark clicks (the same as the
 * relay race's), and the median of the last 6. A program that prints numbers, not a test: see
 * docs/performance.md.
 */
public final class JsonCost {

    private static final int ROUNDS = 12;
    private static final int PER_ROUND = 300_000;

    private JsonCost() {
    }

    public static void main(String[] args) {
        String which = args.length > 0 ? args[0] : "pipeline";
        JsonMapper mapper = switch (which) {
            case "pipeline" -> PipelineJson.mapper();
            case "jackson" -> PipelineJson.withoutSpeedUps();
            default -> throw new IllegalArgumentException("pipeline or jackson, not " + which);
        };
        Random random = new Random(42);
        List<byte[]> clicks = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            clicks.add(PipelineJson.write(BenchTopics.click(random, i)));
        }
        double[] readAndWrite = new double[ROUNDS];
        double[] readOnly = new double[ROUNDS];
        long bytes = 0;
        for (int round = 0; round < ROUNDS; round++) {
            long start = System.nanoTime();
            for (int i = 0; i < PER_ROUND; i++) {
                AdClick click = mapper.readValue(clicks.get(i % clicks.size()), AdClick.class);
                bytes += mapper.writeValueAsBytes(new AdEvent(click.clickId(), click.adId(), click.campaignId(),
                        click.userId(), click.occurredAt(), ClickLoad.CAMPAIGN_PRICES.get(click.campaignId()),
                        Instant.now())).length;
            }
            long read = System.nanoTime();
            for (int i = 0; i < PER_ROUND; i++) {
                bytes += mapper.readValue(clicks.get(i % clicks.size()), AdClick.class).adId().length();
            }
            long end = System.nanoTime();
            readAndWrite[round] = (read - start) / 1_000.0 / PER_ROUND;
            readOnly[round] = (end - read) / 1_000.0 / PER_ROUND;
            System.out.printf("%s, round %d: read + write %.2f µs, read %.2f µs per record%n", which, round + 1,
                    readAndWrite[round], readOnly[round]);
        }
        System.out.printf("%s: median of rounds %d-%d: read + write %.2f µs, read %.2f µs per record (%,d bytes)%n",
                which, ROUNDS / 2 + 1, ROUNDS, medianOfLastHalf(readAndWrite), medianOfLastHalf(readOnly), bytes);
    }

    private static double medianOfLastHalf(double[] values) {
        double[] last = Arrays.copyOfRange(values, values.length / 2, values.length);
        Arrays.sort(last);
        return (last[last.length / 2 - 1] + last[last.length / 2]) / 2;
    }
}
