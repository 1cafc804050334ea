package io.chat4all.hub.archive;

import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

/**
 * An archive object read with ranged GETs: parquet-java asks for the footer and then for the
 * column chunks of the row groups it reads, so a history page fetches a few ranges of an object,
 * never the whole object. The length comes from the manifest, which saves a HEAD request.
 *
 * <p>Each fetch is at least {@link #MIN_FETCH} bytes (parquet-java reads the footer's length and
 * then the footer: one GET of the object's tail covers both for archives of this hub).
 */
public final class S3InputFile implements InputFile {

    static final int MIN_FETCH = 64 * 1024;

    private final MinioClient client;
    private final String bucket;
    private final String key;
    private final long length;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicLong bytesFetched = new AtomicLong();

    public S3InputFile(MinioClient client, String bucket, String key, long length) {
        this.client = client;
        this.bucket = bucket;
        this.key = key;
        this.length = length;
    }

    @Override
    public long getLength() {
        return length;
    }

    /** How many ranged GETs this file has made (for metrics and tests). */
    public int requests() {
        return requests.get();
    }

    /** How many bytes those GETs fetched. */
    public long bytesFetched() {
        return bytesFetched.get();
    }

    @Override
    public SeekableInputStream newStream() {
        return new RangedStream();
    }

    @Override
    public String toString() {
        return "s3://" + bucket + "/" + key;
    }

    private byte[] fetch(long offset, int size) throws IOException {
        requests.incrementAndGet();
        bytesFetched.addAndGet(size);
        try (InputStream in = client.getObject(GetObjectArgs.builder().bucket(bucket).object(key)
                .offset(offset).length((long) size).build())) {
            byte[] bytes = in.readNBytes(size);
            if (bytes.length != size) {
                throw new EOFException(this + ": expected " + size + " bytes at " + offset + ", got " + bytes.length);
            }
            return bytes;
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("cannot read " + this + " at " + offset + ": " + e.getMessage(), e);
        }
    }

    /** A seekable stream over one fetched window of the object at a time. */
    private final class RangedStream extends SeekableInputStream {

        private long position;
        private long windowStart;
        private byte[] window = new byte[0];

        @Override
        public long getPos() {
            return position;
        }

        @Override
        public void seek(long newPosition) throws IOException {
            if (newPosition < 0 || newPosition > length) {
                throw new EOFException(S3InputFile.this + ": cannot seek to " + newPosition + " of " + length);
            }
            position = newPosition;
        }

        @Override
        public int read() throws IOException {
            if (position >= length) {
                return -1;
            }
            ensure(1);
            return window[(int) (position++ - windowStart)] & 0xff;
        }

        @Override
        public int read(byte[] bytes, int offset, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (position >= length) {
                return -1;
            }
            int n = (int) Math.min(len, length - position);
            ensure(n);
            System.arraycopy(window, (int) (position - windowStart), bytes, offset, n);
            position += n;
            return n;
        }

        @Override
        public void readFully(byte[] bytes) throws IOException {
            readFully(bytes, 0, bytes.length);
        }

        @Override
        public void readFully(byte[] bytes, int offset, int len) throws IOException {
            if (position + len > length) {
                throw new EOFException(S3InputFile.this + ": " + len + " bytes at " + position + " run past " + length);
            }
            if (read(bytes, offset, len) != len && len > 0) {
                throw new EOFException(S3InputFile.this + ": short read at " + position);
            }
        }

        @Override
        public int read(ByteBuffer buffer) throws IOException {
            int len = buffer.remaining();
            if (len == 0) {
                return 0;
            }
            byte[] bytes = new byte[(int) Math.min(len, Math.max(0, length - position))];
            if (bytes.length == 0) {
                return -1;
            }
            readFully(bytes);
            buffer.put(bytes);
            return bytes.length;
        }

        @Override
        public void readFully(ByteBuffer buffer) throws IOException {
            byte[] bytes = new byte[buffer.remaining()];
            readFully(bytes);
            buffer.put(bytes);
        }

        /** Makes the window hold {@code len} bytes from the current position, fetching if it does not. */
        private void ensure(int len) throws IOException {
            if (position >= windowStart && position + len <= windowStart + window.length) {
                return;
            }
            long start = position;
            long end = Math.min(length, position + Math.max(len, MIN_FETCH));
            if (length - position <= MIN_FETCH) {
                start = Math.max(0, Math.min(position, length - MIN_FETCH));
                end = length;
            }
            window = fetch(start, Math.toIntExact(end - start));
            windowStart = start;
        }
    }
}
