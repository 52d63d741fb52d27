package io.github.flinkdbt.project;

import io.github.flinkdbt.common.SourcePosition;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Plants position markers into the literal text of a Jinja template before it is rendered, so
 * that the rendered SQL can be mapped back to the template's lines and columns.
 *
 * <p>A marker is {@code U+E000, 7 digits, U+E001}: an index into {@link #markers()}. It is placed
 * at the start of every literal run (after each newline and after each tag) and right before
 * each {@code {{ }}} expression, never inside whitespace that Jinja's {@code -} control trims, and
 * never inside {@code set}/{@code filter} blocks whose text may be used as a value. Markers contain
 * no newline, so line numbers Jinjava reports stay those of the file.
 */
public final class TemplateInstrumenter {

    static final char MARK_OPEN = '\uE000';
    static final char MARK_CLOSE = '\uE001';
    static final char PLACEHOLDER_OPEN = '\uE002';
    static final char PLACEHOLDER_CLOSE = '\uE003';
    static final int DIGITS = 7;

    private static final Pattern BLOCK_OPENER =
            Pattern.compile("^\\{%[-+]?\\s*(set|filter|raw|docs)\\b([^%]*)", Pattern.DOTALL);

    /** A marker: literal text starting at {@code sourceOffset} and running {@code length} chars. */
    record Marker(int sourceOffset, int length) {}

    private final SourceText source;
    private final StringBuilder out = new StringBuilder();
    private final List<Integer> sourceOffsets = new ArrayList<>();
    private final List<Marker> markers = new ArrayList<>();

    private TemplateInstrumenter(SourceText source) {
        this.source = source;
    }

    public static Instrumented instrument(SourceText source) {
        TemplateInstrumenter instrumenter = new TemplateInstrumenter(source);
        instrumenter.run();
        int[] offsets = new int[instrumenter.sourceOffsets.size() + 1];
        for (int i = 0; i < instrumenter.sourceOffsets.size(); i++) {
            offsets[i] = instrumenter.sourceOffsets.get(i);
        }
        offsets[offsets.length - 1] = source.text().length();
        return new Instrumented(source, instrumenter.out.toString(), offsets, List.copyOf(instrumenter.markers));
    }

    /** The instrumented template, the source offset of each of its characters, and the markers. */
    public record Instrumented(SourceText source, String text, int[] sourceOffsets, List<Marker> markers) {

        /** Maps a 1-based line/column of the instrumented text (as Jinjava reports) to the file. */
        public SourcePosition position(int line, int column) {
            if (line <= 0) {
                return source.start();
            }
            int offset = 0;
            for (int l = 1; l < line && offset < text.length(); offset++) {
                if (text.charAt(offset) == '\n') {
                    l++;
                }
            }
            int target = Math.min(text.length(), offset + Math.max(0, column - 1));
            return source.position(sourceOffsets[target]);
        }
    }

    private void run() {
        String text = source.text();
        int i = 0;
        boolean trimLeft = false;
        String suppressUntil = null;
        while (i < text.length()) {
            int tag = nextTag(text, i);
            int end = tag < 0 ? text.length() : tag;
            boolean trimRight = tag >= 0 && tag + 2 < text.length() && text.charAt(tag + 2) == '-';
            boolean expressionFollows = tag >= 0 && text.startsWith("{{", tag);
            literal(i, end, trimLeft, trimRight, suppressUntil != null);
            if (tag < 0) {
                break;
            }
            if (expressionFollows && !trimRight && suppressUntil == null) {
                marker(tag, 0);
            }
            int close = tagEnd(text, tag);
            String tagText = text.substring(tag, close);
            if (suppressUntil == null) {
                Matcher opener = BLOCK_OPENER.matcher(tagText);
                if (opener.find() && isBlockForm(opener.group(1), opener.group(2))) {
                    suppressUntil = "end" + opener.group(1).toLowerCase(Locale.ROOT);
                    if (opener.group(1).equals("raw")) {
                        int rawEnd = findEndRaw(text, close);
                        copy(tag, rawEnd);
                        i = rawEnd;
                        suppressUntil = null;
                        trimLeft = false;
                        continue;
                    }
                }
            } else if (isEndTag(tagText, suppressUntil)) {
                suppressUntil = null;
            }
            copy(tag, close);
            trimLeft = close >= 3 && text.charAt(close - 3) == '-';
            i = close;
        }
    }

    private static boolean isBlockForm(String keyword, String rest) {
        // `{% set x = 1 %}` is inline; `{% set x %}...{% endset %}` is a block.
        return !keyword.equals("set") || !rest.contains("=");
    }

    private static boolean isEndTag(String tagText, String endName) {
        return tagText.matches("(?s)^\\{%[-+]?\\s*" + endName + "\\b.*");
    }

    private void literal(int start, int end, boolean trimLeft, boolean trimRight, boolean suppressed) {
        String text = source.text();
        if (suppressed) {
            copy(start, end);
            return;
        }
        int from = start;
        if (trimLeft) {
            while (from < end && Character.isWhitespace(text.charAt(from))) {
                from++;
            }
        }
        int to = end;
        if (trimRight) {
            while (to > from && Character.isWhitespace(text.charAt(to - 1))) {
                to--;
            }
        }
        copy(start, from);
        int runStart = from;
        while (runStart < to) {
            int newline = text.indexOf('\n', runStart);
            int runEnd = newline < 0 || newline >= to ? to : newline + 1;
            marker(runStart, runEnd - runStart);
            copy(runStart, runEnd);
            runStart = runEnd;
        }
        copy(to, end);
    }

    private void marker(int sourceOffset, int length) {
        int index = markers.size();
        markers.add(new Marker(sourceOffset, length));
        String token = MARK_OPEN + String.format(Locale.ROOT, "%0" + DIGITS + "d", index) + MARK_CLOSE;
        for (int k = 0; k < token.length(); k++) {
            out.append(token.charAt(k));
            sourceOffsets.add(sourceOffset);
        }
    }

    private void copy(int from, int to) {
        String text = source.text();
        for (int k = from; k < to; k++) {
            out.append(text.charAt(k));
            sourceOffsets.add(k);
        }
    }

    /** The next {@code {{}, {@code {%} or {@code {#} at or after {@code from}, or -1. */
    static int nextTag(String text, int from) {
        for (int k = text.indexOf('{', from); k >= 0 && k + 1 < text.length(); k = text.indexOf('{', k + 1)) {
            char c = text.charAt(k + 1);
            if (c == '{' || c == '%' || c == '#') {
                return k;
            }
        }
        return -1;
    }

    /** The offset just past the tag that opens at {@code start}; strings inside are skipped. */
    static int tagEnd(String text, int start) {
        char kind = text.charAt(start + 1);
        String closer = kind == '{' ? "}}" : kind == '%' ? "%}" : "#}";
        if (kind == '#') {
            int end = text.indexOf(closer, start + 2);
            return end < 0 ? text.length() : end + 2;
        }
        char quote = 0;
        for (int k = start + 2; k < text.length(); k++) {
            char c = text.charAt(k);
            if (quote != 0) {
                if (c == '\\') {
                    k++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (text.startsWith(closer, k)) {
                return k + 2;
            }
        }
        return text.length();
    }

    private static int findEndRaw(String text, int from) {
        Matcher end = Pattern.compile("\\{%[-+]?\\s*endraw\\s*[-+]?%}").matcher(text);
        return end.find(from) ? end.end() : text.length();
    }
}
