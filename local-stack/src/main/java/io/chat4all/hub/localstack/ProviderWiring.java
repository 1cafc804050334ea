package io.chat4all.hub.localstack;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How the channel adapters and the provider simulator find each other on one machine: the adapters'
 * provider base URLs point at the simulator, the simulator's webhooks at the adapters, and both
 * sides share the app secrets, the access token and the verify token. Production sets the same
 * adapter variables to Meta's values instead (docs/services/channel-*.md).
 */
public final class ProviderWiring {

    /** The business phone number id and display number the local WhatsApp adapter sends from. */
    public static final String WHATSAPP_PHONE_NUMBER_ID = "106540352242922";
    public static final String WHATSAPP_DISPLAY_NUMBER = "15550001000";
    /** The Instagram professional account id of the local Instagram adapter. */
    public static final String INSTAGRAM_ACCOUNT_ID = "17841400000000000";

    private final Secrets secrets;

    public ProviderWiring(Secrets secrets) {
        this.secrets = secrets;
    }

    /** The variables of both channel adapters, given the simulator's base URL. */
    public Map<String, String> adapters(String simulatorUrl) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("WHATSAPP_BASE_URL", simulatorUrl + "/whatsapp");
        env.put("WHATSAPP_PHONE_NUMBER_ID", WHATSAPP_PHONE_NUMBER_ID);
        env.put("WHATSAPP_ACCESS_TOKEN", secrets.get(Secrets.PROVIDER_ACCESS_TOKEN));
        env.put("WHATSAPP_APP_SECRET", secrets.get(Secrets.WHATSAPP_APP_SECRET));
        env.put("WHATSAPP_VERIFY_TOKEN", secrets.get(Secrets.WEBHOOK_VERIFY_TOKEN));
        env.put("INSTAGRAM_BASE_URL", simulatorUrl + "/instagram");
        env.put("INSTAGRAM_ACCOUNT_ID", INSTAGRAM_ACCOUNT_ID);
        env.put("INSTAGRAM_ACCESS_TOKEN", secrets.get(Secrets.PROVIDER_ACCESS_TOKEN));
        env.put("INSTAGRAM_APP_SECRET", secrets.get(Secrets.INSTAGRAM_APP_SECRET));
        env.put("INSTAGRAM_VERIFY_TOKEN", secrets.get(Secrets.WEBHOOK_VERIFY_TOKEN));
        return env;
    }

    /** The simulator's variables, given the adapters' base URLs. */
    public Map<String, String> simulator(String whatsappAdapterUrl, String instagramAdapterUrl) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SIM_WHATSAPP_WEBHOOK_URL", whatsappAdapterUrl + "/webhooks/whatsapp");
        env.put("SIM_INSTAGRAM_WEBHOOK_URL", instagramAdapterUrl + "/webhooks/instagram");
        env.put("SIM_WHATSAPP_APP_SECRET", secrets.get(Secrets.WHATSAPP_APP_SECRET));
        env.put("SIM_INSTAGRAM_APP_SECRET", secrets.get(Secrets.INSTAGRAM_APP_SECRET));
        env.put("SIM_ACCESS_TOKEN", secrets.get(Secrets.PROVIDER_ACCESS_TOKEN));
        env.put("SIM_WHATSAPP_DISPLAY_NUMBER", WHATSAPP_DISPLAY_NUMBER);
        env.put("SIM_INSTAGRAM_BUSINESS_ID", INSTAGRAM_ACCOUNT_ID);
        return env;
    }
}
