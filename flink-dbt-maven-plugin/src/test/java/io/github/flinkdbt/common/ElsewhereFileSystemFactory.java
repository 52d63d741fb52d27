package io.github.flinkdbt.common;

import java.net.URI;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.FileSystemFactory;
import org.apache.flink.core.fs.local.LocalFileSystem;

/**
 * Flink's local file system under the scheme {@code elsewhere:}, found by Flink's own factory
 * discovery: files under a scheme that is not {@code file:} take the way an {@code s3:} or
 * {@code hdfs:} home takes, through Flink's {@link FileSystem}, on a disk the test can look at.
 */
public final class ElsewhereFileSystemFactory implements FileSystemFactory {

    public static final String SCHEME = "elsewhere";

    @Override
    public String getScheme() {
        return SCHEME;
    }

    @Override
    public FileSystem create(URI fsUri) {
        return new LocalFileSystem();
    }
}
