package io.github.cae4j.examples.quickstart;

import org.deeplearning4j.ui.VertxUIServer;
import org.deeplearning4j.ui.api.UIServer;
import org.deeplearning4j.ui.model.storage.FileStatsStorage;

import java.io.File;

/**
 * Shows a file written by {@code CaeMnistExample --stats-file FILE} in DL4J's training UI, after the
 * run: {@code examples/run-example.sh ViewStats FILE [PORT]}. In your own code it is two lines:
 * {@code UIServer.getInstance().attach(new FileStatsStorage(file))}. Like every DL4J UI server, it
 * listens on every network interface (see {@link TrainingUi}).
 */
public final class ViewStats {

    private ViewStats() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args.length > 2 || args[0].startsWith("-")) {
            System.err.println("usage: ViewStats STATS_FILE [PORT]   (PORT default 9000)");
            System.exit(2);
        }
        File file = new File(args[0]);
        // FileStatsStorage would create an empty database for a mistyped name; say so instead
        if (!file.isFile() || file.length() == 0) {
            System.err.println("error: no stats file at " + file.getAbsolutePath() + " (write one with CaeMnistExample --stats-file FILE)");
            System.exit(1);
        }
        FileStatsStorage stats = new FileStatsStorage(file);
        UIServer ui = VertxUIServer.getInstance(args.length == 2 ? Integer.parseInt(args[1]) : VertxUIServer.DEFAULT_UI_PORT, false, null);
        ui.attach(stats);
        System.out.printf("%s: %d session(s). Open http://localhost:%d/train/overview%n"
                + "  WARNING: the UI listens on ALL network interfaces (0.0.0.0:%d).%n", file, stats.listSessionIDs().size(),
                ui.getPort(), ui.getPort());
        TrainingUi.waitForEnterThenStop();
    }
}
