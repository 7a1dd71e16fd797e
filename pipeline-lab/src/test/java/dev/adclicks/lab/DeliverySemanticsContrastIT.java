package dev.adclicks.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.adclicks.infra.PipelineInfrastructure;
import dev.adclicks.lab.PipelineVerifier.Report;

/**
 * The same faults, on the three-broker cluster, under all three semantics. The weaker ones must
 * visibly do damage — otherwise the fault injection is not working and the exactly-once scenario
 * proves nothing: at-least-once duplicates, and loses acknowledged clicks when a leader dies before
 * its followers have them ({@code acks=1}); at-most-once loses at the producer ({@code acks=0})
 * and downstream. Exactly-once, under the same faults, loses and doubles nothing.
 */
class DeliverySemanticsContrastIT {

    private static PipelineInfrastructure infra;
    private static final List<FaultScenario.Outcome> outcomes = new ArrayList<>();
    private static final Path WORK_DIR = Paths.get(System.getProperty("lab.work.dir", "target/lab"), "contrast");

    @BeforeAll
    static void startServers() {
        infra = PipelineInfrastructure.startLocalCluster();
    }

    @AfterAll
    static void stopServers() {
        if (!outcomes.isEmpty()) {
            LabReport.write(WORK_DIR, outcomes);
            System.out.print(LabReport.comparisonTable(outcomes));
        }
        if (infra != null) {
            infra.close();
        }
    }

    @Test
    void atLeastOnceDuplicatesAndLosesWhatOnlyADeadLeaderHad() {
        Report report = run("at-least-once");

        assertThat(clicksLayer(report).lost()).as("acks=1: acknowledged clicks lost with their leader").isPositive();
        assertThat(report.duplicated()).as("at-least-once duplicates under these faults").isPositive();
        assertThat(report.aggregateClicks()).as("the naive counter counts redeliveries").isGreaterThan(report.rows());
        assertThat(report.exactlyOnce()).isFalse();
    }

    @Test
    void atMostOnceLosesAtTheProducerAndDownstream() {
        Report report = run("at-most-once");

        assertThat(clicksLayer(report).lost()).as("acks=0: accepted clicks that never reached ad-clicks").isPositive();
        assertThat(report.lost()).as("at-most-once loses under these faults").isPositive();
        assertThat(report.exactlyOnce()).isFalse();
    }

    @Test
    void exactlyOnceLosesAndDoublesNothingUnderTheSameFaults() {
        Report report = run("exactly-once");

        assertThat(report.lost()).isZero();
        assertThat(report.duplicated()).isZero();
        assertThat(report.exactlyOnce()).isTrue();
    }

    /** The ad-clicks layer: what the producer wrote, against what it acknowledged over HTTP. */
    private static PipelineVerifier.Layer clicksLayer(Report report) {
        return report.layers().stream().filter(layer -> layer.name().equals("ad-clicks")).findFirst().orElseThrow();
    }

    private static Report run(String semantics) {
        FaultScenario.Outcome outcome = FaultScenario.run(infra, WORK_DIR, semantics, FaultScenario.Plan.contrast(),
                System.out::println);
        outcomes.add(outcome);
        System.out.print(outcome.report().table());
        return outcome.report();
    }
}
