package io.github.flinkdbt.project;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIdentityInfo;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.ObjectIdGenerators;
import io.github.flinkdbt.common.SourcePosition;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The text of one project file with its line index. Line endings are normalized to LF, so
 * positions and checksums do not depend on the platform a file was saved on.
 */
@JsonIdentityInfo(generator = ObjectIdGenerators.IntSequenceGenerator.class, property = "@id")
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.NONE, getterVisibility = JsonAutoDetect.Visibility.NONE)
public final class SourceText {

    private final String path;
    private final String text;
    private final int[] lineStarts;

    @JsonCreator
    private SourceText(@JsonProperty("path") String path, @JsonProperty("text") String text) {
        this.path = path;
        this.text = text;
        this.lineStarts = lineStarts(text);
    }

    public static SourceText of(String path, String rawText) {
        String normalized = rawText.replace("\r\n", "\n").replace('\r', '\n');
        if (!normalized.isEmpty() && normalized.charAt(0) == '\uFEFF') {
            normalized = normalized.substring(1);
        }
        return new SourceText(path, normalized);
    }

    /**
     * Text that was not read from a file but stands for something written at {@code at} (a hook in a
     * config, a snapshot's {@code relation:}): it starts on that line, so its problems point there.
     */
    public static SourceText placedAt(SourcePosition at, String text) {
        return of(at.file(), "\n".repeat(Math.max(0, at.line() - 1)) + text);
    }

    /** The path relative to the project directory, with forward slashes. */
    @JsonProperty
    public String path() {
        return path;
    }

    @JsonProperty
    public String text() {
        return text;
    }

    /** The position of a character offset (clamped to the text). */
    public SourcePosition position(int offset) {
        int clamped = Math.max(0, Math.min(offset, text.length()));
        int index = Arrays.binarySearch(lineStarts, clamped);
        int line = index >= 0 ? index : -index - 2;
        return new SourcePosition(path, line + 1, clamped - lineStarts[line] + 1);
    }

    /** The offset of a 1-based line and column (clamped). */
    public int offset(int line, int column) {
        int l = Math.max(1, Math.min(line, lineStarts.length)) - 1;
        int end = l + 1 < lineStarts.length ? lineStarts[l + 1] - 1 : text.length();
        return Math.min(lineStarts[l] + Math.max(0, column - 1), end);
    }

    public SourcePosition start() {
        return new SourcePosition(path, 1, 1);
    }

    /** SHA-256 of the normalized text, hex. */
    public String checksum() {
        return sha256(text);
    }

    public static String sha256(String value) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static int[] lineStarts(String text) {
        int count = 1;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                count++;
            }
        }
        int[] starts = new int[count];
        int line = 1;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                starts[line++] = i + 1;
            }
        }
        return starts;
    }
}
