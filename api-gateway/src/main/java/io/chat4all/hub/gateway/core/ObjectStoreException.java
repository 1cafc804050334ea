package io.chat4all.hub.gateway.core;

/** Object storage refused or failed a call; {@link #getCause()} has the client's error. */
public class ObjectStoreException extends RuntimeException {

    public ObjectStoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * True when the storage answered that the upload (or object) does not exist (the client's
     * error may come wrapped, e.g. in a {@code CompletionException}).
     */
    public boolean isNoSuchUpload() {
        for (Throwable cause = getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof io.minio.errors.ErrorResponseException error) {
                return "NoSuchUpload".equals(error.errorResponse().code()) || "NoSuchKey".equals(error.errorResponse().code());
            }
        }
        return false;
    }
}
