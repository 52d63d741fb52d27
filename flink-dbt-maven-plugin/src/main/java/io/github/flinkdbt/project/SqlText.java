package io.github.flinkdbt.project;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.github.flinkdbt.common.SourcePosition;
import java.util.ArrayList;
import java.util.List;

/**
 * Rendered SQL together with a map back to the files it came from. A position in the SQL the
 * planner saw (line/column of the rendered text) maps to the model file, the ephemeral model
 * inlined as a CTE, or the Jinja tag that produced it.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.NONE, getterVisibility = JsonAutoDetect.Visibility.NONE)
public final class SqlText {

    /**
     * Output starting at {@code outputStart} comes from {@code source} at {@code sourceOffset}.
     * A literal segment maps character by character for {@code literalLength} characters; output
     * past that (or a generated segment, length 0) maps to the end of the literal run, which is
     * where the Jinja tag that produced it starts.
     */
    record Segment(int outputStart, SourceText source, int sourceOffset, int literalLength) {}

    private final String text;
    private final List<Segment> segments;
    private final int[] lineStarts;

    @JsonCreator
    private SqlText(@JsonProperty("text") String text, @JsonProperty("segments") List<Segment> segments) {
        this.text = text;
        this.segments = List.copyOf(segments);
        this.lineStarts = SourceText.lineStarts(text);
    }

    @JsonProperty
    public String text() {
        return text;
    }

    @JsonProperty
    private List<Segment> segments() {
        return segments;
    }

    /** Where a character of the rendered text came from. */
    public SourcePosition positionAt(int outputOffset) {
        int low = 0;
        int high = segments.size() - 1;
        Segment found = null;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (segments.get(mid).outputStart() <= outputOffset) {
                found = segments.get(mid);
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        if (found == null) {
            return segments.isEmpty()
                    ? SourcePosition.of("?")
                    : segments.get(0).source().start();
        }
        int delta = Math.min(outputOffset - found.outputStart(), found.literalLength());
        return found.source().position(found.sourceOffset() + delta);
    }

    /** Where a 1-based line/column of the rendered text came from. */
    public SourcePosition positionAt(int line, int column) {
        int l = Math.max(1, Math.min(line, lineStarts.length)) - 1;
        return positionAt(lineStarts[l] + Math.max(0, column - 1));
    }

    /** The first position of the text in its file. */
    public SourcePosition start() {
        return positionAt(0);
    }

    /** The text without trailing whitespace and semicolons (a model is one query). */
    public SqlText trimTrailing() {
        int end = text.length();
        while (end > 0 && (Character.isWhitespace(text.charAt(end - 1)) || text.charAt(end - 1) == ';')) {
            end--;
        }
        if (end == text.length()) {
            return this;
        }
        List<Segment> kept = new ArrayList<>();
        for (Segment segment : segments) {
            if (segment.outputStart() <= end) {
                kept.add(segment);
            }
        }
        return new SqlText(text.substring(0, end), kept);
    }

    /** The text without leading whitespace. */
    public SqlText trimLeading() {
        int start = 0;
        while (start < text.length() && Character.isWhitespace(text.charAt(start))) {
            start++;
        }
        if (start == 0) {
            return this;
        }
        List<Segment> kept = new ArrayList<>();
        Segment running = null;
        for (Segment segment : segments) {
            if (segment.outputStart() <= start) {
                running = segment;
            } else {
                kept.add(new Segment(
                        segment.outputStart() - start,
                        segment.source(),
                        segment.sourceOffset(),
                        segment.literalLength()));
            }
        }
        if (running != null) {
            int consumed = Math.min(start - running.outputStart(), running.literalLength());
            kept.add(
                    0,
                    new Segment(
                            0,
                            running.source(),
                            running.sourceOffset() + consumed,
                            running.literalLength() - consumed));
        }
        return new SqlText(text.substring(start), kept);
    }

    /** Inserts mapped text at an offset of this text. */
    public SqlText insert(int offset, SqlText inserted) {
        Builder builder = new Builder();
        List<Segment> before = new ArrayList<>();
        List<Segment> after = new ArrayList<>();
        Segment open = null;
        for (Segment segment : segments) {
            if (segment.outputStart() < offset) {
                before.add(segment);
                open = segment;
            } else {
                after.add(segment);
            }
        }
        builder.text.append(text, 0, offset);
        builder.segments.addAll(before);
        builder.append(inserted);
        int shift = inserted.text.length();
        if (open != null && (after.isEmpty() || after.get(0).outputStart() > offset)) {
            // the segment that was running at the insertion point continues after the insert
            int consumed = offset - open.outputStart();
            int remaining = Math.max(0, open.literalLength() - consumed);
            builder.segments.add(new Segment(
                    offset + shift,
                    open.source(),
                    open.sourceOffset() + Math.min(consumed, open.literalLength()),
                    remaining));
        }
        for (Segment segment : after) {
            builder.segments.add(new Segment(
                    segment.outputStart() + shift, segment.source(), segment.sourceOffset(), segment.literalLength()));
        }
        builder.text.append(text, offset, text.length());
        return builder.build();
    }

    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.append(this);
        return builder;
    }

    /** Concatenates pieces, keeping each piece's map. */
    public static final class Builder {
        private final StringBuilder text = new StringBuilder();
        private final List<Segment> segments = new ArrayList<>();

        /** Appends text we generated, attributed to one place in a file. */
        public Builder appendGenerated(String generated, SourceText source, int sourceOffset) {
            segments.add(new Segment(text.length(), source, sourceOffset, 0));
            text.append(generated);
            return this;
        }

        /** Appends another mapped text. */
        public Builder append(SqlText other) {
            int shift = text.length();
            for (Segment s : other.segments) {
                segments.add(new Segment(s.outputStart() + shift, s.source(), s.sourceOffset(), s.literalLength()));
            }
            text.append(other.text);
            return this;
        }

        /** Starts a segment at the current end without adding text (used while copying). */
        Builder mark(SourceText source, int sourceOffset, int literalLength) {
            segments.add(new Segment(text.length(), source, sourceOffset, literalLength));
            return this;
        }

        Builder appendRaw(char c) {
            text.append(c);
            return this;
        }

        Builder appendRaw(String s) {
            text.append(s);
            return this;
        }

        int length() {
            return text.length();
        }

        public SqlText build() {
            return new SqlText(text.toString(), segments);
        }
    }
}
