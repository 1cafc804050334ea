package io.chat4all.hub.archive;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.apache.parquet.io.SeekableInputStream;

/** A Parquet file in memory: one conversation's part, written and then copied into the archive file. */
final class MemoryFile implements OutputFile, InputFile {

    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private byte[] bytes;

    @Override
    public PositionOutputStream create(long blockSizeHint) {
        return createOrOverwrite(blockSizeHint);
    }

    @Override
    public PositionOutputStream createOrOverwrite(long blockSizeHint) {
        buffer.reset();
        bytes = null;
        return new PositionOutputStream() {
            @Override
            public long getPos() {
                return buffer.size();
            }

            @Override
            public void write(int b) {
                buffer.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                buffer.write(b, off, len);
            }
        };
    }

    @Override
    public boolean supportsBlockSize() {
        return false;
    }

    @Override
    public long defaultBlockSize() {
        return 0;
    }

    @Override
    public String getPath() {
        return "memory:" + System.identityHashCode(this);
    }

    private byte[] bytes() {
        if (bytes == null) {
            bytes = buffer.toByteArray();
        }
        return bytes;
    }

    @Override
    public long getLength() {
        return bytes().length;
    }

    @Override
    public SeekableInputStream newStream() {
        Positioned in = new Positioned(bytes());
        return new DelegatingSeekableInputStream(in) {
            @Override
            public long getPos() {
                return in.position();
            }

            @Override
            public void seek(long newPos) {
                in.seek(newPos);
            }
        };
    }

    private static final class Positioned extends ByteArrayInputStream {
        Positioned(byte[] bytes) {
            super(bytes);
        }

        long position() {
            return pos;
        }

        void seek(long position) {
            pos = Math.toIntExact(position);
        }
    }
}
