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
 * distinct clickId, and the aggregates add up to the rows.
 */
class ExactlyOncePipelineIT {

    private static final int CLICKS = 10_000;

    @Test
    void everyAcknowledgedClickBecomesExactlyOneRow() {
        FaultScenario.Plan plan = new FaultScenario.Plan("e2e", CLICKS, Integer.MAX_VALUE, 0.10, List.of());
        FaultScenario.Outcome outcome = FaultScenario.run(PipelineInfrastructure.shared(),
                Paths.get(System.getProperty("lab.work.dir", "target/lab"), "e2e"), "exactly-once", plan,
                System.out::println);
        Report report = outcome.report();
        System.out.print(report.table());

        ClickLoad.Result load = outcome.load();
        assertThat(load.unacknowledged()).isEmpty();
        assertThat(load.distinctAcknowledged()).isEqualTo(CLICKS);
        assertThat(load.totalSends()).isEqualTo(CLICKS + CLICKS / 10);
        assertThat(report.layers()).allSatisfy(layer -> {
            assertThat(layer.lost()).as("%s lost", layer.name()).isZero();
            assertThat(layer.duplicated()).as("%s duplicated", layer.name()).isZero();
        });
        long sends = load.totalSends();
        assertThat(report.layers()).extracting(Layer::name, Layer::records, Layer::distinct).containsExactly(
                tuple("HTTP 202 (producer)", sends, (long) CLICKS),
                tuple("ad-clicks", sends, (long) CLICKS),
                tuple("ad-events (read_committed)", sends, (long) CLICKS),
                tuple("MySQL click_event rows", (long) CLICKS, (long) CLICKS),
                tuple("MySQL ad_daily_stats clicks", (long) CLICKS, (long) CLICKS));
        assertThat(report.absorbedBySink()).isEqualTo(sends - CLICKS);
        assertThat(report.aggregateSpendMicros()).isEqualTo(report.rowCostMicros()).isPositive();
        assertThat(report.exactlyOnce()).isTrue();
    }
}
