package dev.adclicks.lab;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.adclicks.lab.FaultScenario.FaultEvent;

/**
 * What one fault cost the pipeline, read from the clicks accepted and the rows stored in each second
 * of the run (whole seconds since the load started):
 * <ul>
 * <li><b>stall</b>: the longest run of seconds, from the fault's second up to the next fault's (or
 * the end), in which no row was stored while clicks accepted by the end of the second waited for one;</li>
 * <li><b>recovery</b>: seconds from the fault until the backlog (accepted, not yet stored) is back to
 * what it was just before the fault plus one second of the offered rate; {@code -1} if it never got
 * back there before the data ends. Faults close together share a backlog: a later one's recovery
 * includes what the earlier one left.</li>
 * </ul>
 * Hand-written: a few lines of arithmetic over two per-second series, which no library in the
 * project offers.
 */
public record FaultCost(String fault, long atSecond, long stallSeconds, long recoverySeconds) {

    /** The cost of each of {@code faults}, in their order. */
    public static List<FaultCost> of(List<FaultEvent> faults, Map<Long, Long> acceptedPerSecond,
            Map<Long, Long> rowsPerSecond, double offeredPerSecond) {
        long end = Math.max(lastKey(acceptedPerSecond), lastKey(rowsPerSecond));
        long[] backlog = new long[(int) end + 2];
        long accepted = 0;
        long stored = 0;
        for (int second = 0; second <= end; second++) {
            accepted += acceptedPerSecond.getOrDefault((long) second, 0L);
            stored += rowsPerSecond.getOrDefault((long) second, 0L);
            backlog[second] = accepted - stored;
        }
        List<FaultCost> costs = new ArrayList<>();
        for (int i = 0; i < faults.size(); i++) {
            long at = faults.get(i).atMillis() / 1000;
            long until = i + 1 < faults.size() ? faults.get(i + 1).atMillis() / 1000 : end + 1; // exclusive
            long stall = 0;
            long run = 0;
            for (long second = at; second < until && second <= end; second++) {
                // no row stored in this second, and clicks accepted by its end still waiting
                run = rowsPerSecond.getOrDefault(second, 0L) == 0 && backlog[(int) second] > 0 ? run + 1 : 0;
                stall = Math.max(stall, run);
            }
            long before = at == 0 ? 0 : backlog[(int) Math.min(at - 1, end)];
            long recovery = -1;
            for (long second = at + 1; second <= end; second++) {
                if (backlog[(int) second] <= before + offeredPerSecond) {
                    recovery = second - at;
                    break;
                }
            }
            costs.add(new FaultCost(faults.get(i).fault().name(), at, stall, recovery));
        }
        return costs;
    }

    /** Clicks first accepted in each second since {@code started}. */
    public static Map<Long, Long> perSecond(Map<?, Instant> acceptedAt, Instant started) {
        Map<Long, Long> perSecond = new TreeMap<>();
        acceptedAt.values().forEach(at -> perSecond.merge(Math.max(0, Duration.between(started, at).toSeconds()), 1L,
                Long::sum));
        return perSecond;
    }

    /** One line per fault: stall and recovery in seconds. */
    public static String table(List<FaultCost> costs) {
        StringBuilder out = new StringBuilder(String.format("%-28s %6s %8s %10s%n", "fault", "at s", "stall s",
                "recovery s"));
        costs.forEach(cost -> out.append(String.format("%-28s %6d %8d %10s%n", cost.fault(), cost.atSecond(),
                cost.stallSeconds(), cost.recoverySeconds() < 0 ? "not back" : String.valueOf(cost.recoverySeconds()))));
        out.append("stall: longest run of seconds with no row stored while accepted clicks waited, until the next fault;\n"
                + "recovery: seconds until the backlog was back to its level before the fault (+1 s of offered load)\n");
        return out.toString();
    }

    private static long lastKey(Map<Long, Long> series) {
        return series.keySet().stream().mapToLong(Long::longValue).max().orElse(0);
    }
}
