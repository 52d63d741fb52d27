package io.github.flinkdbt.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class FlinkDbtExceptionTest {

    @Test
    void theRootCauseIsItsFirstLine() {
        RuntimeException failure = new RuntimeException("outer", new IllegalStateException("inner\nmore lines"));
        assertThat(FlinkDbtException.rootCause(failure)).isEqualTo("IllegalStateException: inner");
    }

    /** The text of a RestClientException as Flink 2.1's REST client gives it for a failed job submission. */
    @Test
    void aClusterSideFailureIsNamedByItsLastCauseNotByTheRestClientsWall() {
        String serverSide = """
                [Internal server error., <Exception on server side:
                org.apache.flink.runtime.client.JobSubmissionException: Failed to submit job.
                \tat org.apache.flink.runtime.dispatcher.Dispatcher.lambda$submitJob$12(Dispatcher.java:666)
                Caused by: java.lang.RuntimeException: java.util.concurrent.ExecutionException: java.lang.RuntimeException: Could not deserialize stream node 160
                \t... 29 more
                Caused by: java.lang.RuntimeException: Could not deserialize stream node 160
                Caused by: java.lang.ClassNotFoundException: org.apache.iceberg.flink.sink.IcebergSink
                \t... 7 more

                End of exception on server side>]""";
        Exception failure = new CompletionException(new IllegalStateException(serverSide));
        assertThat(FlinkDbtException.rootCause(failure))
                .isEqualTo("ClassNotFoundException: org.apache.iceberg.flink.sink.IcebergSink (on the cluster)");
    }
}
