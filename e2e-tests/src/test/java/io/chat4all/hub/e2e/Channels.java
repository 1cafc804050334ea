package io.chat4all.hub.e2e;

import io.chat4all.hub.channel.web.WebhookSignature;
import io.chat4all.hub.localstack.HubService;
import io.chat4all.hub.localstack.ProviderWiring;
import io.chat4all.hub.localstack.Secrets;
import io.chat4all.hub.localstack.junit.HubApi;
import io.chat4all.hub.localstack.junit.ServiceProcess;
import io.chat4all.hub.localstack.junit.TestStack;
import io.chat4all.hub.localstack.process.Ports;
import java.util.HashMap;
import java.util.Map;

/**
 * The provider simulator and both channel adapters of this test JVM, wired to each other as
 * {@code ./hub up} wires them, started once (on top of the {@link Pipeline}).
 */
final class Channels {

    private static Channels instance;

    private final Secrets secrets = Secrets.ephemeral();
    final ServiceProcess simulator;
    final ServiceProcess whatsapp;
    final ServiceProcess instagram;

    private Channels(TestStack stack) {
        int simulatorPort = Ports.freePort();
        int whatsappPort = Ports.freePort();
        int instagramPort = Ports.freePort();
        ProviderWiring wiring = new ProviderWiring(secrets);
        Map<String, String> simulatorEnv = new HashMap<>(wiring.simulator(local(whatsappPort), local(instagramPort)));
        simulatorEnv.put("SERVER_PORT", Integer.toString(simulatorPort));
        simulatorEnv.put("SIM_SENT_DELAY_MS", "30");
        simulatorEnv.put("SIM_DELIVERED_DELAY_MS", "120");
        simulatorEnv.put("SIM_READ_DELAY_MS", "250");
        simulator = ServiceProcess.start(HubService.PROVIDER_SIMULATOR, stack, simulatorEnv);
        Map<String, String> adapterEnv = wiring.adapters(local(simulatorPort));
        whatsapp = ServiceProcess.start(HubService.CHANNEL_WHATSAPP, stack, with(adapterEnv, whatsappPort));
        instagram = ServiceProcess.start(HubService.CHANNEL_INSTAGRAM, stack, with(adapterEnv, instagramPort));
    }

    static synchronized Channels get(TestStack stack) {
        if (instance == null) {
            instance = new Channels(stack);
        }
        return instance;
    }

    HubApi simulatorApi() {
        return new HubApi(simulator.url());
    }

    /** Signs a WhatsApp callback as Meta would, with the app secret the adapter knows. */
    String whatsappSignature(byte[] body) {
        return new WebhookSignature(secrets.get(Secrets.WHATSAPP_APP_SECRET)).headerFor(body);
    }

    private static Map<String, String> with(Map<String, String> env, int port) {
        Map<String, String> copy = new HashMap<>(env);
        copy.put("SERVER_PORT", Integer.toString(port));
        return copy;
    }

    private static String local(int port) {
        return "http://127.0.0.1:" + port;
    }
}
