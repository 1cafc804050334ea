package io.chat4all.hub.archive;

import com.github.luben.zstd.Zstd;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * ZSTD (and no compression) for parquet-java through zstd-jni directly. parquet-java's own
 * {@code CodecFactory} goes through Hadoop's compression framework, which needs a full Hadoop
 * {@code Configuration} (and its XML stack) at runtime; this keeps Hadoop down to a few interfaces.
 * Files are byte-compatible with those written through Hadoop's codec.
 */
public final class ZstdCodecs implements CompressionCodecFactory {

    private final int level;

    public ZstdCodecs(int level) {
        this.level = level;
    }

    @Override
    public BytesInputCompressor getCompressor(CompressionCodecName codec) {
        return getCompressor(codec, level);
    }

    @Override
    public BytesInputCompressor getCompressor(CompressionCodecName codec, int compressionLevel) {
        return switch (codec) {
            case UNCOMPRESSED -> new Compressor(codec, bytes -> bytes);
            case ZSTD -> new Compressor(codec, bytes -> BytesInput.from(Zstd.compress(array(bytes), compressionLevel)));
            default -> throw new UnsupportedOperationException("archives use ZSTD, not " + codec);
        };
    }

    @Override
    public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
        return switch (codec) {
            case UNCOMPRESSED -> new Decompressor((in, size) -> in);
            case ZSTD -> new Decompressor((in, size) -> {
                byte[] out = Zstd.decompress(in, size);
                if (out.length != size) {
                    throw new IOException("ZSTD page: expected " + size + " bytes, got " + out.length);
                }
                return out;
            });
            default -> throw new UnsupportedOperationException("archives use ZSTD, not " + codec);
        };
    }

    @Override
    public void release() {
    }

    private static byte[] array(BytesInput bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.toIntExact(bytes.size()));
        bytes.writeAllTo(out);
        return out.toByteArray();
    }

    private interface Compression {
        BytesInput apply(BytesInput bytes) throws IOException;
    }

    private interface Decompression {
        byte[] apply(byte[] in, int decompressedSize) throws IOException;
    }

    private record Compressor(CompressionCodecName codec, Compression compression) implements BytesInputCompressor {
        @Override
        public BytesInput compress(BytesInput bytes) throws IOException {
            return compression.apply(bytes);
        }

        @Override
        public CompressionCodecName getCodecName() {
            return codec;
        }

        @Override
        public void release() {
        }
    }

    private record Decompressor(Decompression decompression) implements BytesInputDecompressor {
        @Override
        public BytesInput decompress(BytesInput bytes, int decompressedSize) throws IOException {
            return BytesInput.from(decompression.apply(array(bytes), decompressedSize));
        }

        @Override
        public void decompress(ByteBuffer input, int compressedSize, ByteBuffer output, int decompressedSize)
                throws IOException {
            byte[] in = new byte[compressedSize];
            input.get(in);
            output.put(decompression.apply(in, decompressedSize));
        }

        @Override
        public void release() {
        }
    }
}
