package dev.adclicks.lab.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

class BenchmarkTest {

    @Test
    void aPerSecondSeriesIsPrintedWithOneEntryPerSecondSoThatASecondWithoutRowsKeepsItsPlace() {
        Map<Long, Long> rowsPerSecond = new TreeMap<>(Map.of(2L, 1_737L, 3L, 5_935L, 5L, 2_000L));

        assertThat(Benchmark.everySecond(rowsPerSecond, "0")).containsExactly("0", "0", "1737", "5935", "0", "2000");
        assertThat(Benchmark.everySecond(Map.of(1L, 480L), "-")).containsExactly("-", "480");
        assertThat(Benchmark.everySecond(Map.of(), "0")).isEmpty();
    }
}
