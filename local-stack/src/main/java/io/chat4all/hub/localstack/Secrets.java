package io.chat4all.hub.localstack;

import io.chat4all.hub.localstack.process.StackException;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Properties;

/**
 * The local stack's generated credentials, made once at the first start and kept (mode 600) so
 * the data written with them stays readable after a restart.
 */
public final class Secrets {

    private static final String ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The signing secret of the gateway's tokens (HS256 needs at least 32 bytes). */
    public static final String JWT_SECRET = "jwt.secret";
    /** The channel providers' app secret (signs webhooks), access token and webhook verify token. */
    public static final String WHATSAPP_APP_SECRET = "whatsapp.app.secret";
    public static final String INSTAGRAM_APP_SECRET = "instagram.app.secret";
    public static final String PROVIDER_ACCESS_TOKEN = "provider.access.token";
    public static final String WEBHOOK_VERIFY_TOKEN = "webhook.verify.token";
    private static final String[] KEYS = {"postgres.password", "postgres.superuser.password", "s3.secret.key",
        "admin.password", JWT_SECRET, WHATSAPP_APP_SECRET, INSTAGRAM_APP_SECRET, PROVIDER_ACCESS_TOKEN,
        WEBHOOK_VERIFY_TOKEN};

    private final Properties values;
    private final boolean created;

    private Secrets(Properties values, boolean created) {
        this.values = values;
        this.created = created;
    }

    public static Secrets loadOrCreate(Path file) {
        Properties props = new Properties();
        boolean exists = Files.exists(file);
        try {
            if (exists) {
                try (Reader in = Files.newBufferedReader(file)) {
                    props.load(in);
                }
            }
            boolean changed = false;
            for (String key : KEYS) {
                if (!props.containsKey(key)) {
                    props.setProperty(key, random(key.equals(JWT_SECRET) ? 48 : 24));
                    changed = true;
                }
            }
            if (changed) {
                Files.createDirectories(file.getParent());
                Files.deleteIfExists(file);
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                try (Writer out = Files.newBufferedWriter(file)) {
                    props.store(out, "Chat4All Hub local stack credentials (generated; keep private)");
                }
            }
            return new Secrets(props, !exists);
        } catch (IOException e) {
            throw new StackException("cannot read or write " + file + ": " + e.getMessage(),
                    "check permissions of the .hub directory", e);
        }
    }

    /** Throwaway credentials for a test stack. */
    public static Secrets ephemeral() {
        Properties props = new Properties();
        for (String key : KEYS) {
            props.setProperty(key, random(key.equals(JWT_SECRET) ? 48 : 24));
        }
        return new Secrets(props, true);
    }

    /** True when this start created the credentials (the admin password is shown only then). */
    public boolean createdNow() {
        return created;
    }

    public String get(String key) {
        return values.getProperty(key);
    }

    public static String random(int length) {
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return s.toString();
    }
}
