package io.chat4all.hub.consolidator.archive;

import io.chat4all.hub.archive.ArchiveFile;
import io.chat4all.hub.archive.ParquetArchives;
import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import io.minio.UploadObjectArgs;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Archive objects in the hub's bucket: upload, and the read-back that proves an upload is whole. */
public final class ArchiveStore {

    private final MinioClient client;
    private final String bucket;
    private final ParquetArchives parquet;

    public ArchiveStore(MinioClient client, String bucket, ParquetArchives parquet) {
        this.client = client;
        this.bucket = bucket;
        this.parquet = parquet;
    }

    public void upload(String key, ArchiveFile file) {
        try {
            client.uploadObject(UploadObjectArgs.builder().bucket(bucket).object(key).filename(file.path().toString())
                    .contentType("application/vnd.apache.parquet").build());
        } catch (Exception e) {
            throw new IllegalStateException("cannot upload " + key + ": " + e.getMessage(), e);
        }
    }

    /**
     * Downloads the object and checks it is the file that was written: same SHA-256, and a Parquet
     * footer announcing the same number of rows. Only then may the hot rows go.
     */
    public void verify(String key, ArchiveFile file) {
        Path copy = null;
        try {
            copy = Files.createTempFile("verify-", ".parquet");
            try (InputStream in = client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
                Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
            }
            String sha256 = ParquetArchives.sha256(copy);
            if (!sha256.equals(file.sha256())) {
                throw new IllegalStateException("object " + key + " reads back with SHA-256 " + sha256 + ", written "
                        + file.sha256());
            }
            long rows = parquet.rowCount(copy);
            if (rows != file.rows().size()) {
                throw new IllegalStateException("object " + key + " holds " + rows + " rows, written " + file.rows().size());
            }
        } catch (IllegalStateException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("cannot read back " + key + ": " + e.getMessage(), e);
        } finally {
            if (copy != null) {
                try {
                    Files.deleteIfExists(copy);
                } catch (IOException ignored) {
                    // a temp file
                }
            }
        }
    }
}
