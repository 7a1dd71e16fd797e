package dev.adclicks.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.adclicks.lab.FaultScenario.FaultEvent;
import dev.adclicks.lab.FaultScenario.Outcome;
import dev.adclicks.lab.PipelineVerifier.Layer;
import dev.adclicks.model.PipelineJson;

/** The lab's results as a comparison table (stdout), a JSON file and a single-file HTML report with charts. */
public final class LabReport {

    private static final String[] COLOURS = { "#1b9e77", "#d95f02", "#7570b3", "#e7298a" };

    private LabReport() {
    }

    /**
     * One row per delivery semantics: what was lost, duplicated and read from aborted transactions,
     * with throughput and latency.
     */
    public static String comparisonTable(List<Outcome> outcomes) {
        StringBuilder out = new StringBuilder(String.format("%-14s %9s %6s %10s %10s %10s %8s %8s %9s %9s %13s%n",
                "semantics", "accepted", "lost", "dup:clicks", "dup:events", "dup:counts", "aborted", "clicks/s",
                "p50 ms", "p99 ms", "stall p50/max"));
        for (Outcome outcome : outcomes) {
            PipelineVerifier.Report report = outcome.report();
            long[] stalls = outcome.faultCosts().stream().mapToLong(FaultCost::stallSeconds).sorted().toArray();
            String stall = stalls.length == 0 ? "-" : stalls[(stalls.length - 1) / 2] + " / " + stalls[stalls.length - 1];
            out.append(String.format("%-14s %9d %6d %10d %10d %10d %8d %8.0f %9d %9d %13s%n", outcome.semantics(),
                    outcome.load().distinctAcknowledged(), layer(report, "MySQL click_event rows").lost(),
                    layer(report, "ad-clicks").duplicated(), layer(report, "ad-events (read_committed)").duplicated(),
                    layer(report, "MySQL ad_daily_stats clicks").duplicated(), report.abortedReads(),
                    outcome.load().acknowledgedPerSecond(), report.latency().p50(), report.latency().p99(), stall));
        }
        out.append("lost: acknowledged clicks with no row in MySQL; dup: copies beyond the legitimate ones in ad-clicks,\n"
                + "ad-events (read_committed) and the per-ad click counters; aborted: rows from aborted transactions;\n"
                + "stall: seconds without a row stored while clicks waited, after each fault (FaultCost), median and largest\n");
        return out.toString();
    }

    private static Layer layer(PipelineVerifier.Report report, String name) {
        return report.layers().stream().filter(layer -> layer.name().equals(name)).findFirst().orElseThrow();
    }

    public static void write(Path dir, List<Outcome> outcomes) {
        try {
            Files.createDirectories(dir);
            List<Map<String, Object>> json = outcomes.stream().map(LabReport::summary).toList();
            Files.write(dir.resolve("lab-report.json"), PipelineJson.mapper().writerWithDefaultPrettyPrinter()
                    .writeValueAsBytes(json));
            Files.writeString(dir.resolve("lab-report.html"), html(outcomes));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Object> summary(Outcome outcome) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("semantics", outcome.semantics());
        summary.put("plan", outcome.plan());
        summary.put("clicksAcknowledged", outcome.load().distinctAcknowledged());
        summary.put("httpSends", outcome.load().totalSends());
        summary.put("loadSeconds", outcome.load().elapsed().toMillis() / 1000.0);
        summary.put("acknowledgedPerSecond", outcome.load().acknowledgedPerSecond());
        summary.put("drainMillis", outcome.drainMillis());
        summary.put("settled", outcome.settled());
        summary.put("exactlyOnce", outcome.exactlyOnce());
        summary.put("report", outcome.report());
        summary.put("faults", outcome.faults());
        summary.put("faultCosts", outcome.faultCosts());
        return summary;
    }

    private static String html(List<Outcome> outcomes) {
        StringBuilder body = new StringBuilder();
        body.append("<h1>ad-clicks pipeline: faults lab</h1>");
        body.append("<pre>").append(escape(comparisonTable(outcomes))).append("</pre>");
        body.append("<h2>Rows stored per second, faults marked</h2>").append(throughputChart(outcomes));
        body.append("<h2>Lost and duplicated, per layer and semantics</h2>").append(layerBars(outcomes));
        for (Outcome outcome : outcomes) {
            body.append("<h2>").append(escape(outcome.semantics())).append("</h2><pre>")
                    .append(escape(outcome.report().table())).append("</pre><ol>");
            List<FaultCost> costs = outcome.faultCosts();
            for (int k = 0; k < outcome.faults().size(); k++) {
                FaultEvent event = outcome.faults().get(k);
                FaultCost cost = costs.get(k);
                body.append(String.format("<li>t=%.1fs (%.1fs): %s; stall %d s, recovery %s, longest wait %.1f s, "
                        + "%d clicks over %d s</li>",
                        event.atMillis() / 1000.0, event.tookMillis() / 1000.0, escape(event.description()),
                        cost.stallSeconds(), cost.recoverySeconds() < 0 ? "not back" : cost.recoverySeconds() + " s",
                        cost.longestWaitMillis() / 1000.0, cost.slowClicks(), FaultCost.SLOW_MILLIS / 1000));
            }
            body.append("</ol><pre>").append(escape(FaultCost.table(costs))).append("</pre>");
            List<LiveCommittedReader.Flagged> flagged = outcome.report().live().flagged();
            if (!flagged.isEmpty()) {
                body.append(String.format("<h3>Flagged by the live read_committed reader (%d)</h3><ol>", flagged.size()));
                flagged.stream().limit(100).forEach(flag -> body.append("<li>").append(escape(flag.toString()))
                        .append("</li>"));
                body.append(flagged.size() > 100 ? "<li>... (all of them in lab-report.json)</li></ol>" : "</ol>");
            }
        }
        return "<!doctype html><html><head><meta charset=\"utf-8\"><title>faults lab</title><style>"
                + "body{font-family:sans-serif;margin:2em;max-width:1100px}pre{background:#f6f6f6;padding:1em}"
                + "svg{background:#fff;border:1px solid #ddd}</style></head><body>" + body + "</body></html>";
    }

    private static String throughputChart(List<Outcome> outcomes) {
        int width = 1000;
        int height = 260;
        long maxSecond = 1;
        long maxRows = 1;
        for (Outcome outcome : outcomes) {
            for (Map.Entry<Long, Long> point : outcome.report().rowsPerSecond().entrySet()) {
                maxSecond = Math.max(maxSecond, point.getKey());
                maxRows = Math.max(maxRows, point.getValue());
            }
        }
        StringBuilder svg = new StringBuilder(String.format("<svg width=\"%d\" height=\"%d\">", width, height + 30));
        for (int i = 0; i < outcomes.size(); i++) {
            Outcome outcome = outcomes.get(i);
            String colour = COLOURS[i % COLOURS.length];
            StringBuilder points = new StringBuilder();
            for (Map.Entry<Long, Long> point : outcome.report().rowsPerSecond().entrySet()) {
                points.append(String.format("%.1f,%.1f ", 40 + point.getKey() * (width - 50.0) / maxSecond,
                        height - point.getValue() * (height - 20.0) / maxRows));
            }
            svg.append(String.format("<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" points=\"%s\"/>", colour,
                    points));
            for (int k = 0; k < outcome.faults().size(); k++) {
                FaultEvent event = outcome.faults().get(k);
                double x = 40 + event.atMillis() / 1000.0 * (width - 50.0) / maxSecond;
                svg.append(String.format("<line x1=\"%.1f\" x2=\"%.1f\" y1=\"10\" y2=\"%d\" stroke=\"%s\" "
                        + "stroke-dasharray=\"3,3\"><title>%s</title></line>", x, x, height, colour,
                        escape(event.description())));
                // the marker's number in the fault list below the chart, staggered so that close ones stay readable
                svg.append(String.format("<text x=\"%.1f\" y=\"%d\" font-size=\"10\" fill=\"%s\">%d</text>", x + 2,
                        20 + (k % 3) * 11, colour, k + 1));
            }
            svg.append(String.format("<text x=\"%d\" y=\"%d\" fill=\"%s\">%s</text>", 50 + i * 160, height + 22, colour,
                    escape(outcome.semantics())));
        }
        svg.append(String.format("<text x=\"2\" y=\"15\">%d/s</text><text x=\"%d\" y=\"%d\">%ds</text>", maxRows,
                width - 40, height + 22, maxSecond));
        return svg.append("</svg>").toString();
    }

    private static String layerBars(List<Outcome> outcomes) {
        List<String> layers = outcomes.get(0).report().layers().stream().map(Layer::name).skip(1).toList();
        long max = 1;
        for (Outcome outcome : outcomes) {
            for (Layer layer : outcome.report().layers()) {
                max = Math.max(max, Math.max(layer.lost(), layer.duplicated()));
            }
        }
        int rowHeight = 18;
        int height = layers.size() * (outcomes.size() * 2 * rowHeight + 24);
        StringBuilder svg = new StringBuilder(String.format("<svg width=\"1000\" height=\"%d\">", height));
        int y = 10;
        for (String name : layers) {
            svg.append(String.format("<text x=\"0\" y=\"%d\" font-weight=\"bold\">%s</text>", y + 12, escape(name)));
            y += 18;
            for (int i = 0; i < outcomes.size(); i++) {
                Layer layer = layer(outcomes.get(i).report(), name);
                String colour = COLOURS[i % COLOURS.length];
                for (String kind : List.of("lost", "duplicated")) {
                    long value = kind.equals("lost") ? layer.lost() : layer.duplicated();
                    double w = value * 600.0 / max;
                    svg.append(String.format("<text x=\"10\" y=\"%d\" font-size=\"12\">%s %s</text>"
                            + "<rect x=\"230\" y=\"%d\" width=\"%.1f\" height=\"12\" fill=\"%s\" opacity=\"%s\"/>"
                            + "<text x=\"%.1f\" y=\"%d\" font-size=\"12\">%d</text>", y + 11,
                            escape(outcomes.get(i).semantics()), kind, y + 1, w, colour,
                            kind.equals("lost") ? "1" : "0.55", 236 + w, y + 11, value));
                    y += rowHeight;
                }
            }
            y += 6;
        }
        return svg.append("</svg>").toString();
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
