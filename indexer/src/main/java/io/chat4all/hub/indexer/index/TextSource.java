package io.chat4all.hub.indexer.index;

/** Where the whole text of a large message is read from (the gateway stored it once in object storage). */
@FunctionalInterface
public interface TextSource {

    /**
     * @param objectKey the text's object key
     * @param preview the preview kept in the row, for when the text cannot be read
     */
    String read(String objectKey, String preview);
}
