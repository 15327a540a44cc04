package io.github.cae4j.examples;

import io.github.cae4j.io.ModelFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A run's {@code report.html}: its tables, figures (with captions), definitions and configuration in
 * one self-contained page. Figures are embedded as data URIs and the style sheet is inline, so the
 * page works offline, from any directory, with no CDN. A few lines of script mark every figure that
 * failed to render with a visible note and count the rendered ones in {@code body[data-figures]}
 * ("rendered/total"), which is what the browser test reads.
 *
 * <p>Tables come from the Markdown the run already writes ({@code results.md}, {@code table.md}):
 * headings, pipe tables, bullet lists and paragraphs are rendered; anything else is shown as text.
 */
public final class HtmlReport {

    private static final String STYLE = """
            body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
            h1{font-size:1.6em}h2{font-size:1.3em;margin-top:1.6em}h3{font-size:1.1em}
            table{border-collapse:collapse;margin:.8em 0;font-size:.9em}
            th,td{border:1px solid #bbb;padding:.25em .6em;text-align:right}th{background:#eee}
            td:first-child,th:first-child{text-align:left}
            figure{margin:1.2em 0}figure img{max-width:100%;image-rendering:pixelated;border:1px solid #ddd}
            figcaption{font-size:.9em;color:#444;max-width:900px}
            dl dt{font-weight:600}dl dd{margin:0 0 .5em 1.5em}
            pre{background:#f6f6f6;padding:.6em;overflow-x:auto;font-size:.85em}
            .missing{color:#b00;font-weight:600}
            """;

    private static final String CHECK_FIGURES = """
            window.addEventListener('load', function () {
              var imgs = document.querySelectorAll('figure img'), ok = 0;
              imgs.forEach(function (img) {
                var rendered = img.complete && img.naturalWidth > 0;
                img.setAttribute('data-rendered', rendered ? 'yes' : 'no');
                if (rendered) { ok++; } else {
                  var note = document.createElement('p');
                  note.className = 'missing';
                  note.textContent = 'This figure could not be displayed.';
                  img.parentNode.insertBefore(note, img);
                }
              });
              document.body.setAttribute('data-figures', ok + '/' + imgs.length);
            });
            """;

    private final String title;
    private final List<String> parts = new ArrayList<>();

    public HtmlReport(String title) {
        this.title = title;
    }

    /** A section heading. */
    public HtmlReport heading(String text) {
        parts.add("<h2>" + escape(text) + "</h2>");
        return this;
    }

    /** A paragraph of plain text. */
    public HtmlReport paragraph(String text) {
        parts.add("<p>" + escape(text) + "</p>");
        return this;
    }

    /** Markdown as the run writes it: {@code #} headings, pipe tables, {@code -} lists, paragraphs. */
    public HtmlReport markdown(String md) {
        StringBuilder html = new StringBuilder();
        List<String> table = new ArrayList<>();
        boolean inList = false;
        for (String raw : (md + "\n").split("\n", -1)) {
            String line = raw.strip();
            if (!line.startsWith("|") && !table.isEmpty()) {
                html.append(table(table));
                table.clear();
            }
            if (!line.startsWith("- ") && inList) {
                html.append("</ul>\n");
                inList = false;
            }
            if (line.startsWith("|")) {
                table.add(line);
            } else if (line.startsWith("- ")) {
                if (!inList) {
                    html.append("<ul>\n");
                    inList = true;
                }
                html.append("<li>").append(inline(line.substring(2))).append("</li>\n");
            } else if (line.startsWith("#")) {
                int level = Math.min(4, Math.max(2, (int) line.chars().takeWhile(c -> c == '#').count()));
                html.append("<h").append(level).append('>').append(inline(line.replaceFirst("^#+\\s*", "")))
                        .append("</h").append(level).append(">\n");
            } else if (!line.isEmpty()) {
                html.append("<p>").append(inline(line)).append("</p>\n");
            }
        }
        parts.add(html.toString());
        return this;
    }

    /**
     * A PNG embedded in the page with its caption.
     *
     * @throws IOException if the file cannot be read (a report never silently drops a figure)
     */
    public HtmlReport figure(Path png, String caption) throws IOException {
        String data = Base64.getEncoder().encodeToString(Files.readAllBytes(png));
        parts.add("<figure><img alt=\"" + escape(caption) + "\" src=\"data:image/png;base64," + data + "\">"
                + "<figcaption>" + escape(caption) + "</figcaption></figure>");
        return this;
    }

    /** Terms a reader needs to read the tables and figures, each with its definition. */
    public HtmlReport definitions(Map<String, String> terms) {
        StringBuilder html = new StringBuilder("<dl>\n");
        terms.forEach((term, meaning) -> html.append("<dt>").append(escape(term)).append("</dt><dd>").append(escape(meaning))
                .append("</dd>\n"));
        parts.add(html.append("</dl>").toString());
        return this;
    }

    /** Preformatted text, e.g. the run's configuration as JSON. */
    public HtmlReport preformatted(String text) {
        parts.add("<pre>" + escape(text) + "</pre>");
        return this;
    }

    public String html() {
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape(title) + "</title>\n<style>"
                + STYLE + "</style>\n<script>" + CHECK_FIGURES + "</script></head>\n<body>\n<h1>" + escape(title) + "</h1>\n"
                + String.join("\n", parts) + "\n</body></html>\n";
    }

    /** Writes the page atomically. */
    public void write(Path file) throws IOException {
        ModelFiles.writeStringAtomically(file, html());
    }

    private static String table(List<String> lines) {
        StringBuilder html = new StringBuilder("<table>\n");
        boolean header = true;
        for (String line : lines) {
            if (line.matches("\\|[\\s:|-]+\\|?")) {
                continue; // the separator row
            }
            String[] cells = line.replaceAll("^\\|", "").replaceAll("\\|$", "").split("\\|", -1);
            html.append("<tr>");
            for (String cell : cells) {
                String tag = header ? "th" : "td";
                html.append('<').append(tag).append('>').append(inline(cell.strip())).append("</").append(tag).append('>');
            }
            html.append("</tr>\n");
            header = false;
        }
        return html.append("</table>\n").toString();
    }

    /** Escapes the text, then renders **bold** and `code`. */
    private static String inline(String text) {
        return escape(text).replaceAll("\\*\\*(.+?)\\*\\*", "<strong>$1</strong>").replaceAll("`(.+?)`", "<code>$1</code>");
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
