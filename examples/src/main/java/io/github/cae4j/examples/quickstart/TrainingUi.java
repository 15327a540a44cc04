package io.github.cae4j.examples.quickstart;

import org.deeplearning4j.core.storage.StatsStorage;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.ui.VertxUIServer;
import org.deeplearning4j.ui.api.UIServer;
import org.deeplearning4j.ui.model.stats.StatsListener;
import org.deeplearning4j.ui.model.storage.FileStatsStorage;
import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * DL4J's training UI, opt-in ({@code deeplearning4j-ui}): a {@link StatsListener} records the score,
 * learning rates, and parameter and update statistics of every iteration into a {@link StatsStorage},
 * which is either kept in memory and served live by {@link UIServer} ({@code --ui}), or written to a
 * file ({@code --stats-file}) to look at later with {@link ViewStats}, with no server while training.
 *
 * <p><b>The UI server listens on every network interface.</b> DL4J 1.0.0-M2.1's {@code VertxUIServer}
 * calls Vert.x's {@code createHttpServer().listen(port)}, whose default host is 0.0.0.0, and offers no
 * setting to bind to localhost only; anyone who can reach the port can read the charts (and upload
 * stats, if the remote listener is enabled). On a shared or public machine use {@code --stats-file}
 * and view it where you are alone, or firewall the port and reach it through {@code ssh -L 9000:localhost:9000}.
 */
public final class TrainingUi {

    /** DL4J's default: the listener reports every 10th iteration (iterations 10, 20, ...; not 0). */
    public static final int REPORT_EVERY = 10;

    private TrainingUi() {
    }

    /**
     * Adds a {@link StatsListener} to {@code model} when a stats file or a UI port is given.
     *
     * @param statsFile a MapDB file for {@link FileStatsStorage} (an existing file gets a new session), or null
     * @param uiPort    port of the live UI (0 picks a free one), or null for no server
     * @return the storage to pass to {@link #close}, or null when neither was asked for
     */
    public static StatsStorage attach(Model model, Path statsFile, Integer uiPort) {
        if (statsFile == null && uiPort == null) {
            return null;
        }
        StatsStorage storage = statsFile != null ? new FileStatsStorage(statsFile.toFile()) : new InMemoryStatsStorage();
        if (uiPort != null) {
            // UIServer.getInstance() on a chosen port; -Dorg.deeplearning4j.ui.port=N still wins, as in DL4J's docs
            UIServer ui = VertxUIServer.getInstance(uiPort, false, null);
            ui.attach(storage);
            System.out.printf("DL4J training UI: http://localhost:%d/train/overview%n"
                    + "  WARNING: it listens on ALL network interfaces (0.0.0.0:%d); DL4J M2.1 cannot bind it to localhost only.%n",
                    ui.getPort(), ui.getPort());
        }
        model.addListeners(new StatsListener(storage, REPORT_EVERY));
        return storage;
    }

    /** Flushes and closes a file storage, unless the UI serves it: then {@link #waitForEnterThenStop} does. */
    public static void close(StatsStorage storage, Integer uiPort) throws IOException {
        if (storage instanceof FileStatsStorage && uiPort == null) {
            storage.close();
        }
    }

    /** For a {@code main} that started the UI: keeps the charts up until the user presses Enter, then stops the server. */
    public static void waitForEnterThenStop() throws Exception {
        System.out.println("The UI stays up; press Enter to stop it.");
        System.in.read();
        List<StatsStorage> served = List.copyOf(UIServer.getInstance().getStatsStorageInstances());   // the running server
        UIServer.stopInstance();
        for (StatsStorage storage : served) {
            storage.close();
        }
    }
}
