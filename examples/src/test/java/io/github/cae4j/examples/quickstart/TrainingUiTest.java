package io.github.cae4j.examples.quickstart;

import org.deeplearning4j.core.storage.StatsStorage;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.ui.api.UIServer;
import org.deeplearning4j.ui.model.stats.StatsListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The live UI of {@code --ui}: DL4J's server starts on a free port, serves the session, and stops. */
@Timeout(60)
class TrainingUiTest {

    @AfterEach
    void stopServer() throws Exception {
        UIServer.stopInstance();
    }

    @Test
    void uiServesTheTrainingSessionUntilStopped() throws Exception {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(3).activation(Activation.SIGMOID).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(3).nOut(2).build()).build());
        net.init();
        StatsStorage stats = TrainingUi.attach(net, null, 0);
        UIServer ui = UIServer.getInstance();
        int port = ui.getPort();
        assertTrue(port > 0 && ui.isAttached(stats));
        for (int i = 0; i <= TrainingUi.REPORT_EVERY; i++) {
            net.fit(new DataSet(Nd4j.rand(8, 4), Nd4j.rand(8, 2)));
        }
        String session = stats.listSessionIDs().get(0);
        String worker = stats.listWorkerIDsForSession(session).get(0);
        assertEquals(1, stats.getAllUpdatesAfter(session, StatsListener.TYPE_ID, worker, 0).size());

        HttpClient http = HttpClient.newHttpClient();
        // The server learns of new sessions from its own event thread, some time after the listener
        // stored them (CI once asked before it had): wait for it, within the test's timeout.
        HttpResponse<String> current = currentSession(http, port);
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!current.body().contains(session) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            current = currentSession(http, port);
        }
        assertEquals(200, current.statusCode());
        assertTrue(current.body().contains(session), "current session '" + current.body() + "', stored " + session);
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/train/overview")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());

        UIServer.stopInstance();
        assertTrue(ui.isStopped());
    }

    private static HttpResponse<String> currentSession(HttpClient http, int port) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/train/sessions/current")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void nothingIsAttachedWithoutAFileOrAPort() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(2).nOut(1).activation(Activation.IDENTITY).build()).build());
        net.init();
        assertNull(TrainingUi.attach(net, null, null));
        assertTrue(net.getListeners() == null || net.getListeners().isEmpty());
    }
}
