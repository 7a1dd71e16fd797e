package dev.adclicks.lab.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

import dev.adclicks.infra.Directories;
import dev.adclicks.lab.ClickLoad;
import dev.adclicks.model.AdClick;
import dev.adclicks.model.PipelineJson;
import dev.adclicks.relay.processing.ClickProcessor;
import dev.adclicks.relay.processing.PricingProperties;

/**
 * The peer: the relay's transformation (read the click, price it with the relay's own
 * {@link ClickProcessor}, write the event) as a Kafka Streams topology with
 * {@code processing.guarantee=exactly_once_v2}, Streams' defaults otherwise (commit every 100 ms
 * under EOS, one stream thread).
 */
final class StreamsRelay implements AutoCloseable {

    private final KafkaStreams streams;
    private final Path stateDir;

    /**
     * In a JVM of its own ({@link PeerProcess}): bootstrap servers, input, output, application id;
     * the lab's campaign prices; until SIGTERM.
     */
    public static void main(String[] args) throws Exception {
        StreamsRelay relay = new StreamsRelay(args[0], args[1], args[2], args[3], ClickLoad.CAMPAIGN_PRICES);
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            relay.close();
            closed.countDown();
        }));
        closed.await();
    }

    StreamsRelay(String bootstrapServers, String input, String output, String applicationId, Map<String, Long> prices)
            throws java.io.IOException {
        ClickProcessor processor = new ClickProcessor(new PricingProperties(prices),
                Clock.systemUTC());
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(Serdes.String(), Serdes.ByteArray()))
                .mapValues(bytes -> {
                    ClickProcessor.Outcome outcome = processor.process(PipelineJson.read(bytes, AdClick.class));
                    // the benchmark's clicks are all valid: every one is priced
                    return PipelineJson.write(((ClickProcessor.Outcome.Priced) outcome).event());
                })
                .to(output, Produced.with(Serdes.String(), Serdes.ByteArray()));

        Path stateDir = Files.createTempDirectory("bench-streams-");
        Properties config = new Properties();
        config.putAll(PeerProcess.clientProperties(bootstrapServers)); // servers and credentials
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        config.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        config.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
        this.stateDir = stateDir;
        this.streams = new KafkaStreams(builder.build(), config);
        streams.start();
    }

    @Override
    public void close() {
        streams.close(Duration.ofSeconds(30));
        Directories.deleteRecursively(stateDir); // the topology keeps no state; nothing to keep
    }
}
