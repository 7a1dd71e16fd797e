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
 * The same faults under the weaker semantics must visibly do damage — otherwise the fault
 * injection is not working and the exactly-once scenario proves nothing: at-least-once duplicates
 * (but loses nothing), at-most-once loses.
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
    void atLeastOnceDuplicatesUnderTheSameFaults() {
        Report report = run("at-least-once");

        assertThat(report.lost()).as("at-least-once loses nothing").isZero();
        assertThat(report.duplicated()).as("at-least-once duplicates under these faults").isPositive();
        assertThat(report.aggregateClicks()).as("the naive counter counts redeliveries").isGreaterThan(report.rows());
        assertThat(report.exactlyOnce()).isFalse();
    }

    @Test
    void atMostOnceLosesUnderTheSameFaults() {
        Report report = run("at-most-once");

        assertThat(report.lost()).as("at-most-once loses under these faults").isPositive();
        assertThat(report.exactlyOnce()).isFalse();
    }

    private static Report run(String semantics) {
        FaultScenario.Outcome outcome = FaultScenario.run(infra, WORK_DIR, semantics, FaultScenario.Plan.contrast(),
                System.out::println);
        outcomes.add(outcome);
        System.out.print(outcome.report().table());
        return outcome.report();
    }
}
