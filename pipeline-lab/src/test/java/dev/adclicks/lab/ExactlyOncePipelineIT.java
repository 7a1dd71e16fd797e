package dev.adclicks.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.nio.file.Paths;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.adclicks.infra.PipelineInfrastructure;
import dev.adclicks.lab.PipelineVerifier.Layer;
import dev.adclicks.lab.PipelineVerifier.Report;

/**
 * The three packaged services as OS processes on real Kafka and MySQL (either backend): 10,000
 * clicks, 10% of them sent a second time with the same clickId, end up as exactly one row per
 * distinct clickId, and the aggregates add up to the rows. Relay and sink run on the KIP-848
 * {@code consumer} group protocol here (the fault scenario of {@code ExactlyOnceUnderFaultsIT}
 * runs the classic one), so every build runs both.
 */
class ExactlyOncePipelineIT {

    private static final int CLICKS = 10_000;

    @Test
    void everyAcknowledgedClickBecomesExactlyOneRow() {
        FaultScenario.Plan plan = new FaultScenario.Plan("e2e", CLICKS, Integer.MAX_VALUE, 0.10, List.of());
        FaultScenario.Outcome outcome = FaultScenario.run(PipelineInfrastructure.shared(),
                Paths.get(System.getProperty("lab.work.dir", "target/lab"), "e2e"), "exactly-once", Pipeline.CONSUMER,
                plan, System.out::println);
        Report report = outcome.report();
        System.out.print(report.table());

        ClickLoad.Result load = outcome.load();
        assertThat(load.unacknowledged()).isEmpty();
        assertThat(load.distinctAcknowledged()).isEqualTo(CLICKS);
        // every click once, 10% of them once more; a send that got no 202 is retried (more sends)
        long acknowledged = load.totalAcknowledged();
        assertThat(acknowledged).isEqualTo(CLICKS + CLICKS / 10);
        assertThat(report.layers()).allSatisfy(layer -> {
            assertThat(layer.lost()).as("%s lost", layer.name()).isZero();
            assertThat(layer.duplicated()).as("%s duplicated", layer.name()).isZero();
        });
        Layer clicks = report.layers().get(1);
        Layer events = report.layers().get(2);
        assertThat(report.layers()).extracting(Layer::name, Layer::distinct).containsExactly(
                tuple("HTTP 202 (producer)", (long) CLICKS),
                tuple("ad-clicks", (long) CLICKS),
                tuple("ad-events (read_committed)", (long) CLICKS),
                tuple("MySQL click_event rows", (long) CLICKS),
                tuple("MySQL ad_daily_stats clicks", (long) CLICKS));
        assertThat(clicks.records()).isBetween(acknowledged, (long) load.totalSends());
        assertThat(events.records()).isEqualTo(clicks.records());
        assertThat(report.rows()).isEqualTo(CLICKS);
        assertThat(report.aggregateClicks()).isEqualTo(CLICKS);
        assertThat(report.absorbedBySink()).isEqualTo(events.records() - CLICKS);
        assertThat(report.aggregateSpendMicros()).isEqualTo(report.rowCostMicros()).isPositive();
        assertThat(outcome.settled()).isTrue();
        assertThat(outcome.exactlyOnce()).isTrue();
    }
}
