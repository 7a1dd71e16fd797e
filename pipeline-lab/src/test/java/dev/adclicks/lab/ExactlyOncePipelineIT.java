package dev.adclicks.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Paths;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.adclicks.infra.PipelineInfrastructure;
import dev.adclicks.infra.TopicReader;
import dev.adclicks.lab.PipelineVerifier.Layer;
import dev.adclicks.lab.PipelineVerifier.Report;
import dev.adclicks.model.Topics;

/**
 * The three packaged services as OS processes on real Kafka and MySQL: 10,000 clicks, 10% of them
 * sent a second time with the same clickId, end up as exactly one row per distinct clickId.
 */
class ExactlyOncePipelineIT {

    private static final int CLICKS = 10_000;
    private static final double RESEND_SHARE = 0.10;

    private static PipelineInfrastructure infra;
    private static Pipeline pipeline;

    @BeforeAll
    static void startPipeline() {
        infra = PipelineInfrastructure.shared();
        pipeline = Pipeline.start(infra, Paths.get(System.getProperty("lab.work.dir", "target/lab"), "e2e"));
    }

    @AfterAll
    static void stopPipeline() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    void everyAcknowledgedClickBecomesExactlyOneRow() {
        String adPrefix = "e2e-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        ClickLoad.Result load = new ClickLoad(pipeline.producer()).send(adPrefix, CLICKS, RESEND_SHARE, 42, sent -> {
        });
        assertThat(load.failures()).isEmpty();
        assertThat(load.acknowledged()).hasSize(load.sends()).hasSize(CLICKS + (int) (CLICKS * RESEND_SHARE));
        assertThat(load.distinctAcknowledged()).isEqualTo(CLICKS);

        PipelineVerifier verifier = new PipelineVerifier(infra);
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                .until(() -> verifier.rowsStored(adPrefix) >= CLICKS);
        await().atMost(Duration.ofMinutes(1)).until(() -> consumedToTheEnd("ad-event-relay", Topics.AD_CLICKS)
                && consumedToTheEnd("ad-event-sink", Topics.AD_EVENTS));

        Report report = verifier.verify(adPrefix, load.acknowledged());
        System.out.print(report.table());

        assertThat(report.layers()).allSatisfy(layer -> {
            assertThat(layer.lost()).as("%s lost", layer.name()).isZero();
            assertThat(layer.duplicated()).as("%s duplicated", layer.name()).isZero();
        });
        assertThat(report.layers()).extracting(Layer::name, Layer::records, Layer::distinct).containsExactly(
                org.assertj.core.groups.Tuple.tuple("HTTP 202 (producer)", (long) load.sends(), (long) CLICKS),
                org.assertj.core.groups.Tuple.tuple("ad-clicks", (long) load.sends(), (long) CLICKS),
                org.assertj.core.groups.Tuple.tuple("ad-events (read_committed)", (long) load.sends(), (long) CLICKS),
                org.assertj.core.groups.Tuple.tuple("MySQL click_event rows", (long) CLICKS, (long) CLICKS));
        assertThat(report.absorbedBySink()).isEqualTo(load.sends() - CLICKS);
        assertThat(report.aggregateClicks()).isEqualTo(report.rows());
        assertThat(report.aggregateSpendMicros()).isEqualTo(report.rowCostMicros()).isPositive();
        assertThat(report.exactlyOnce()).isTrue();
    }

    private static boolean consumedToTheEnd(String group, String topic) {
        return TopicReader.consumedToTheEnd(infra.kafkaBootstrapServers(), group, topic);
    }
}
