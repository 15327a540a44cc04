package io.github.cae4j.examples.report;

import io.github.cae4j.examples.HtmlReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The report page renders in a real browser: its tables and every figure, offline. */
public class HtmlReportTest {

    @TempDir
    Path dir;

    @Test
    void tablesAndFiguresRenderInHeadlessChromium() throws Exception {
        Path png = dir.resolve("a.png");
        ImageIO.write(new BufferedImage(30, 20, BufferedImage.TYPE_BYTE_GRAY), "png", png.toFile());
        Path page = dir.resolve("report.html");
        new HtmlReport("A <run>")
                .markdown("### 1000 labelled digits\n\n| model | test error % |\n|---|---|\n| **CAE** | 8.77 ± 0.33 |\n| AE | 9.45 |\n\n- a note")
                .figure(png, "Figure 1: a caption")
                .figure(png, "Figure 2: another")
                .definitions(Map.of("SAT", "saturated units"))
                .write(page);
        String dom = HeadlessChromium.dumpDom(page);
        assertTrue(dom.contains("data-figures=\"2/2\""), "both figures rendered: " + dom.substring(0, Math.min(400, dom.length())));
        assertEquals(2, count(dom, "data-rendered=\"yes\""));
        assertTrue(dom.contains("<th>model</th><th>test error %</th>"), "header row");
        assertTrue(dom.contains("<td><strong>CAE</strong></td><td>8.77 ± 0.33</td>"), "body row with bold");
        assertTrue(dom.contains("<title>A &lt;run&gt;</title>"), "title escaped");
        assertFalse(dom.contains("<p class=\"missing\">"), "no figure marked missing");
    }

    @Test
    void aBrokenFigureIsMarkedVisibly() throws Exception {
        Path png = dir.resolve("broken.png");
        Files.write(png, new byte[]{1, 2, 3});
        Path page = dir.resolve("report.html");
        new HtmlReport("broken").figure(png, "broken figure").write(page);
        String dom = HeadlessChromium.dumpDom(page);
        assertTrue(dom.contains("data-figures=\"0/1\""), dom);
        assertTrue(dom.contains("<p class=\"missing\">This figure could not be displayed.</p>"), "the broken figure is marked");
    }

    /** Checks a run's report: every figure rendered and at least one table with data rows. */
    public static void assertReportRenders(Path page, int expectedFigures) throws Exception {
        String dom = HeadlessChromium.dumpDom(page);
        Matcher m = Pattern.compile("data-figures=\"(\\d+)/(\\d+)\"").matcher(dom);
        assertTrue(m.find(), "no figure count in " + page);
        assertEquals(m.group(2), m.group(1), "figures rendered / total in " + page);
        assertEquals(expectedFigures, Integer.parseInt(m.group(2)), "figures in " + page);
        assertTrue(count(dom, "<td>") >= 4, "a table with data rows in " + page);
    }

    private static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
