package dev.adclicks.lab;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
 * <li><b>recovery</b>: seconds from the fault until the pipeline is back to normal: after the stall,
 * the first second in which clicks were accepted (unless the load had ended), rows were stored and
 * the backlog (accepted, not yet stored) was at most {@value #DRAINED_SECONDS} seconds of the offered rate, which a healthy
 * pipeline stays far below (its clicks reach their row in about a second). {@code -1} if it never
 * got back there before the data ends. Faults close together share a backlog: a later one's
 * recovery includes what the earlier one left;</li>
 * <li><b>longest wait</b>: the longest time from 202 to row of the clicks accepted from one second
 * before the fault up to the next fault (or the end). The stall counts seconds in which the whole
 * pipeline stored nothing; the longest wait also sees a fault that stops only some partitions (a
 * killed sink whose partitions wait for the session timeout while another sink goes on storing
 * its own);</li>
 * <li><b>slow clicks</b>: how many of those same clicks waited more than {@value #SLOW_MILLIS} ms
 * from 202 to row, the default plan's p99 target (docs/recovery.md): a p99 within it allows 1% of
 * the run's clicks over it, so the counts say which faults keep the p99 above it. The windows of
 * two faults share the second before the later one, so a click can be counted for both.</li>
 * </ul>
 * Hand-written: a few lines of arithmetic over two per-second series, which no library in the
 * project offers.
 */
public record FaultCost(String fault, long atSecond, long stallSeconds, long recoverySeconds, long longestWaitMillis,
        long slowClicks) {

    /** A click slower than this from 202 to row is a slow click. */
    public static final long SLOW_MILLIS = 5_000;

    /** The backlog, in seconds of the offered rate, below which the pipeline counts as drained. */
    public static final int DRAINED_SECONDS = 2;

    /** The cost of each of {@code faults}, in their order. */
    public static List<FaultCost> of(List<FaultEvent> faults, Map<Long, Long> acceptedPerSecond,
            Map<Long, Long> rowsPerSecond, Map<Long, Long> longestWaitBySecond, Map<Long, Long> slowClicksBySecond,
            double offeredPerSecond) {
        long end = Math.max(lastKey(acceptedPerSecond), lastKey(rowsPerSecond));
        long[] backlog = new long[(int) end + 2];
        long accepted = 0;
        long stored = 0;
        for (int second = 0; second <= end; second++) {
            accepted += acceptedPerSecond.getOrDefault((long) second, 0L);
            stored += rowsPerSecond.getOrDefault((long) second, 0L);
            backlog[second] = accepted - stored;
        }
        double drained = DRAINED_SECONDS * offeredPerSecond;
        long lastAccepted = lastKey(acceptedPerSecond);
        List<FaultCost> costs = new ArrayList<>();
        for (int i = 0; i < faults.size(); i++) {
            long at = faults.get(i).atMillis() / 1000;
            long until = i + 1 < faults.size() ? faults.get(i + 1).atMillis() / 1000 : end + 1; // exclusive
            long stall = 0;
            long stallEnd = at; // the second after the longest stall
            long run = 0;
            for (long second = at; second < until && second <= end; second++) {
                // no row stored in this second, and clicks accepted by its end still waiting
                run = rowsPerSecond.getOrDefault(second, 0L) == 0 && backlog[(int) second] > 0 ? run + 1 : 0;
                if (run > stall) {
                    stall = run;
                    stallEnd = second + 1;
                }
            }
            long recovery = -1;
            for (long second = Math.max(at + 1, stallEnd); second <= end; second++) {
                // accepting again too, unless the load is over (a fault at its end recovers in the drain)
                boolean accepting = acceptedPerSecond.getOrDefault(second, 0L) > 0 || second > lastAccepted;
                if (backlog[(int) second] <= drained && rowsPerSecond.getOrDefault(second, 0L) > 0 && accepting) {
                    recovery = second - at;
                    break;
                }
            }
            long longestWait = 0;
            long slow = 0;
            for (long second = Math.max(0, at - 1); second < until; second++) {
                longestWait = Math.max(longestWait, longestWaitBySecond.getOrDefault(second, 0L));
                slow += slowClicksBySecond.getOrDefault(second, 0L);
            }
            costs.add(new FaultCost(faults.get(i).fault().name(), at, stall, recovery, longestWait, slow));
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

    /**
     * Per kind of fault: how often it was injected, the median and the largest stall, recovery
     * ({@code -1}: not back for at least one of them) and longest wait, and its slow clicks in all.
     */
    public record Summary(String fault, int count, long stallMedian, long stallMax, long recoveryMedian,
            long recoveryMax, long longestWaitMedianMillis, long longestWaitMaxMillis, long slowClicks) {
    }

    /** One {@link Summary} per kind of fault, in the order each kind first occurs. */
    public static List<Summary> byKind(List<FaultCost> costs) {
        Map<String, List<FaultCost>> kinds = new LinkedHashMap<>();
        costs.forEach(cost -> kinds.computeIfAbsent(cost.fault(), kind -> new ArrayList<>()).add(cost));
        List<Summary> summaries = new ArrayList<>();
        kinds.forEach((kind, ofKind) -> {
            long[] stalls = ofKind.stream().mapToLong(FaultCost::stallSeconds).sorted().toArray();
            long[] recoveries = ofKind.stream().mapToLong(FaultCost::recoverySeconds).sorted().toArray();
            long[] waits = ofKind.stream().mapToLong(FaultCost::longestWaitMillis).sorted().toArray();
            boolean allBack = recoveries[0] >= 0;
            summaries.add(new Summary(kind, ofKind.size(), median(stalls), stalls[stalls.length - 1],
                    allBack ? median(recoveries) : -1, allBack ? recoveries[recoveries.length - 1] : -1, median(waits),
                    waits[waits.length - 1], ofKind.stream().mapToLong(FaultCost::slowClicks).sum()));
        });
        return summaries;
    }

    /** One line per fault, then one per kind of fault: stall and recovery in seconds. */
    public static String table(List<FaultCost> costs) {
        String slow = "> " + SLOW_MILLIS / 1000 + " s";
        StringBuilder out = new StringBuilder(String.format("%-28s %6s %8s %10s %15s %8s%n", "fault", "at s", "stall s",
                "recovery s", "longest wait s", slow));
        costs.forEach(cost -> out.append(String.format("%-28s %6d %8d %10s %15.1f %8d%n", cost.fault(), cost.atSecond(),
                cost.stallSeconds(), seconds(cost.recoverySeconds()), cost.longestWaitMillis() / 1000.0,
                cost.slowClicks())));
        out.append(String.format("%n%-28s %5s %13s %16s %20s %8s%n", "per kind", "count", "stall p50/max",
                "recovery p50/max", "longest wait p50/max", slow));
        byKind(costs).forEach(kind -> out.append(String.format("%-28s %5d %13s %16s %20s %8d%n", kind.fault(), kind.count(),
                kind.stallMedian() + " / " + kind.stallMax(),
                kind.recoveryMedian() < 0 ? "not back" : kind.recoveryMedian() + " / " + kind.recoveryMax(),
                String.format("%.1f / %.1f", kind.longestWaitMedianMillis() / 1000.0, kind.longestWaitMaxMillis() / 1000.0),
                kind.slowClicks())));
        out.append("stall: longest run of seconds with no row stored while accepted clicks waited, until the next fault;\n"
                + "recovery: seconds until clicks were accepted and stored again with at most " + DRAINED_SECONDS
                + " s of offered load waiting;\n"
                + "longest wait: longest 202 -> row of the clicks accepted from 1 s before the fault to the next one;\n"
                + slow + ": how many of those clicks waited longer than " + SLOW_MILLIS / 1000 + " s (a p99 within "
                + SLOW_MILLIS / 1000 + " s allows 1% of the run's clicks)\n");
        return out.toString();
    }

    private static String seconds(long value) {
        return value < 0 ? "not back" : String.valueOf(value);
    }

    /** The lower median (a measured value, not an average of two). */
    private static long median(long[] sorted) {
        return sorted[(sorted.length - 1) / 2];
    }

    private static long lastKey(Map<Long, Long> series) {
        return series.keySet().stream().mapToLong(Long::longValue).max().orElse(0);
    }
}
