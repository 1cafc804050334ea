package io.chat4all.hub.localstack.engine;

import io.chat4all.hub.localstack.process.Directories;
import io.chat4all.hub.localstack.process.StackException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Enumeration;
import java.util.Set;
import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.tukaani.xz.XZInputStream;

/**
 * Unpacks engine distributions into the shared cache once: keeping file modes, under a file lock
 * so that concurrent test JVMs do not unpack over each other, and marked complete only at the end.
 */
final class Archives {

    private static final Set<PosixFilePermission> READABLE_DIR = PosixFilePermissions.fromString("rwxr-xr-x");

    private Archives() {
    }

    interface Unpacker {
        void unpackInto(Path dir) throws IOException;
    }

    static Path unpackOnce(Path cache, String name, Unpacker unpacker) {
        Path target = cache.resolve(name);
        Path marker = cache.resolve(name + ".complete");
        if (Files.exists(marker)) {
            return target;
        }
        try {
            Files.createDirectories(cache);
            try (RandomAccessFile lockFile = new RandomAccessFile(cache.resolve(name + ".lock").toFile(), "rw");
                 FileLock ignored = lockFile.getChannel().lock()) {
                if (Files.exists(marker)) {
                    return target;
                }
                Path partial = cache.resolve(name + ".partial");
                Directories.deleteTree(partial);
                Files.createDirectories(partial);
                unpacker.unpackInto(partial);
                Directories.deleteTree(target);
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
                Files.setPosixFilePermissions(target, READABLE_DIR);
                Files.createFile(marker);
                return target;
            }
        } catch (IOException e) {
            throw new StackException("cannot unpack " + name + " into " + cache + ": " + e.getMessage(),
                    "check free disk space and permissions of " + cache + " (or set HUB_ENGINE_CACHE)", e);
        }
    }

    static void untarXz(InputStream compressed, Path dir) throws IOException {
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new XZInputStream(new BufferedInputStream(compressed)))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path out = safeResolve(dir, entry);
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                } else if (entry.isSymbolicLink()) {
                    Files.createDirectories(out.getParent());
                    Files.createSymbolicLink(out, Path.of(entry.getLinkName()));
                } else {
                    Files.createDirectories(out.getParent());
                    Files.copy(tar, out, StandardCopyOption.REPLACE_EXISTING);
                    Files.setPosixFilePermissions(out, permissions(entry.getMode()));
                }
            }
        }
        makeTreeReadable(dir);
    }

    static void unzip(Path zip, Path dir) throws IOException {
        try (ZipFile file = ZipFile.builder().setPath(zip).get()) {
            Enumeration<ZipArchiveEntry> entries = file.getEntries();
            while (entries.hasMoreElements()) {
                ZipArchiveEntry entry = entries.nextElement();
                Path out = safeResolve(dir, entry);
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                    continue;
                }
                Files.createDirectories(out.getParent());
                try (InputStream in = file.getInputStream(entry)) {
                    Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
                }
                int mode = entry.getUnixMode();
                boolean executable = out.getParent().getFileName().toString().equals("bin");
                Files.setPosixFilePermissions(out, permissions(mode != 0 ? mode : executable ? 0755 : 0644));
            }
        }
        makeTreeReadable(dir);
    }

    private static Path safeResolve(Path dir, ArchiveEntry entry) throws IOException {
        Path out = dir.resolve(entry.getName()).normalize();
        if (!out.startsWith(dir)) {
            throw new IOException("archive entry escapes the target directory: " + entry.getName());
        }
        return out;
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        int m = (mode & 0777) | 0444; // everyone may read: servers run as an unprivileged user
        if ((m & 0100) != 0) {
            m |= 0111;
        }
        StringBuilder s = new StringBuilder();
        String rwx = "rwx";
        for (int bit = 8; bit >= 0; bit--) {
            s.append((m & (1 << bit)) != 0 ? rwx.charAt(2 - bit % 3) : '-');
        }
        return PosixFilePermissions.fromString(s.toString());
    }

    private static void makeTreeReadable(Path dir) throws IOException {
        try (var tree = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) tree::iterator) {
                if (Files.isDirectory(p) && !Files.isSymbolicLink(p)) {
                    Files.setPosixFilePermissions(p, READABLE_DIR);
                }
            }
        }
    }
}
