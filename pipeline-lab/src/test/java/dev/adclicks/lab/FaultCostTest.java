package dev.adclicks.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import dev.adclicks.lab.FaultScenario.FaultEvent;

class FaultCostTest {

    @Test
    void aFaultThatStopsTheRowsForFiveSecondsStallsFiveAndRecoversWhenTheBacklogIsGone() {
        Map<Long, Long> accepted = new TreeMap<>();
        Map<Long, Long> rows = new TreeMap<>();
        for (long second = 0; second < 20; second++) {
            accepted.put(second, 10L);
            if (second < 5 || second > 10) {
                rows.put(second, 10L);
            }
        }
        rows.put(10L, 60L); // the backlog of seconds 5..10 stored at once
        Map<Long, Long> waits = new TreeMap<>(Map.of(3L, 300L, 4L, 5_900L, 5L, 5_300L, 9L, 1_200L, 12L, 200L));
        Map<Long, Long> slow = new TreeMap<>(Map.of(3L, 7L, 4L, 2L, 5L, 1L));

        List<FaultCost> costs = FaultCost.of(List.of(new FaultEvent(5_400, 1_000, Fault.SINK_KILL, "sink killed")),
                accepted, rows, waits, slow, 10);

        // the longest wait and the slow clicks count from 1 s before the fault: the clicks of second 4
        // waited longest, and those of second 3 are not the fault's
        assertThat(costs).containsExactly(new FaultCost("SINK_KILL", 5, 5, 5, 5_900, 3));
    }

    @Test
    void theStallEndsAtTheNextFaultAndABacklogThatNeverDrainsIsNotBack() {
        Map<Long, Long> accepted = new TreeMap<>();
        Map<Long, Long> rows = new TreeMap<>();
        for (long second = 0; second < 10; second++) {
            accepted.put(second, 10L);
            rows.put(second, second < 3 ? 10L : 0L);
        }

        List<FaultCost> costs = FaultCost.of(List.of(new FaultEvent(3_000, 500, Fault.RELAY_KILL, "relay killed"),
                new FaultEvent(6_000, 500, Fault.SINK_KILL, "sink killed")), accepted, rows, Map.of(2L, 100L, 4L, 900L,
                        5L, 800L, 7L, 400L), Map.of(), 10);

        assertThat(costs).containsExactly(new FaultCost("RELAY_KILL", 3, 3, -1, 900, 0),
                new FaultCost("SINK_KILL", 6, 4, -1, 800, 0));
        assertThat(FaultCost.table(costs)).contains("RELAY_KILL").contains("not back");
    }

    @Test
    void aPipelineThatFallsFurtherBehindIsNotBackHoweverSmallTheStepFromBeforeTheFault() {
        Map<Long, Long> accepted = new TreeMap<>();
        Map<Long, Long> rows = new TreeMap<>();
        for (long second = 0; second < 30; second++) {
            accepted.put(second, 10L);
            rows.put(second, 5L); // half the offered rate: the backlog grows by 5 every second
        }

        List<FaultCost> costs = FaultCost.of(List.of(new FaultEvent(10_000, 500, Fault.SINK_KILL, "sink killed")),
                accepted, rows, Map.of(), Map.of(), 10);

        assertThat(costs).containsExactly(new FaultCost("SINK_KILL", 10, 0, -1, 0, 0));
    }

    @Test
    void theSummaryGivesEachKindItsMedianAndLargestStallAndRecovery() {
        List<FaultCost> costs = List.of(new FaultCost("SINK_KILL", 10, 4, 9, 5_000, 0),
                new FaultCost("RELAY_KILL", 30, 2, 5, 2_500, 0), new FaultCost("SINK_KILL", 50, 8, 12, 9_000, 40),
                new FaultCost("SINK_KILL", 70, 6, 10, 7_000, 25), new FaultCost("RELAY_KILL", 90, 1, -1, 1_500, 0));

        assertThat(FaultCost.byKind(costs)).containsExactly(new FaultCost.Summary("SINK_KILL", 3, 6, 8, 10, 12, 7_000,
                9_000, 65), new FaultCost.Summary("RELAY_KILL", 2, 1, 2, -1, -1, 1_500, 2_500, 0));
        assertThat(FaultCost.table(costs)).contains("6 / 8").contains("10 / 12").contains("7.0 / 9.0").contains("     65");
    }

    @Test
    void aFaultAtTheEndOfTheLoadRecoversWhenTheDrainEmptiesTheBacklog() {
        Map<Long, Long> accepted = new TreeMap<>();
        Map<Long, Long> rows = new TreeMap<>();
        for (long second = 0; second < 10; second++) {
            accepted.put(second, 10L);
            rows.put(second, second < 8 ? 10L : 0L);
        }
        rows.put(12L, 20L); // the load ended at second 9; the drain stores the last 20 at second 12

        List<FaultCost> costs = FaultCost.of(List.of(new FaultEvent(8_000, 500, Fault.MYSQL_OUTAGE, "MySQL down")),
                accepted, rows, Map.of(8L, 4_500L), Map.of(), 10);

        assertThat(costs).containsExactly(new FaultCost("MYSQL_OUTAGE", 8, 4, 4, 4_500, 0));
    }
}
